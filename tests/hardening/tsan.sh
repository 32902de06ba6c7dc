#!/bin/sh
# make tsan: tests/hardening/threads.c and tg-train built with ThreadSanitizer
# (build/tsan): many connections in many threads tagging at once must all get the
# single-threaded answers, and tg-train's fits on 2 and 4 threads the model of 1 thread,
# with no data race reported.
. tests/hardening/lib.sh
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:exitcode=66"
h_tmpdir
bin=build/tsan/build/hardening/threads
log=$H_TMP/log
for conf in "8 40" "16 15"; do
	# shellcheck disable=SC2086
	if "$bin" $conf >"$log" 2>&1 && ! grep -q 'WARNING: ThreadSanitizer' "$log"; then
		ok "tsan $(tail -1 "$log")"
	else
		notok "tsan threads $conf"
		tail -60 "$log"
	fi
done
for threads in 1 2 4; do
	if build/tsan/tg-train --quiet --threads "$threads" data/sample_movies.csv "$H_TMP/t$threads.db" >"$log" 2>&1 &&
	   ! grep -q 'WARNING: ThreadSanitizer' "$log"; then
		ok "tsan tg-train --threads $threads"
	else
		notok "tsan tg-train --threads $threads"
		tail -60 "$log"
	fi
done
model() { sqlite3 "$H_TMP/t$1.db" "SELECT hex(model) FROM tg_models"; }
if [ -n "$(model 1)" ] && [ "$(model 1)" = "$(model 2)" ] && [ "$(model 1)" = "$(model 4)" ]; then
	ok "tsan tg-train: the same model from 1, 2 and 4 threads"
else
	notok "tsan tg-train: the models of 1, 2 and 4 threads differ"
fi
h_finish
