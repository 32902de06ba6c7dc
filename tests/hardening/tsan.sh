#!/bin/sh
# make tsan: tests/hardening/threads.c built with ThreadSanitizer (build/tsan): many
# connections in many threads tagging at once must all get the single-threaded answers,
# with no data race reported.
. tests/hardening/lib.sh
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:exitcode=66"
bin=build/tsan/build/hardening/threads
log=$(mktemp "${TMPDIR:-/tmp}/tg-tsan.XXXXXX")
trap 'rm -f "$log"' EXIT
for conf in "8 40" "16 15"; do
	# shellcheck disable=SC2086
	if "$bin" $conf >"$log" 2>&1 && ! grep -q 'WARNING: ThreadSanitizer' "$log"; then
		ok "tsan $(tail -1 "$log")"
	else
		notok "tsan threads $conf"
		tail -60 "$log"
	fi
done
h_finish
