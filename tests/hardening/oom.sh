#!/bin/sh
# make oom: the extension out of memory (oom_ext, built with ASan + LSan), then the
# trainer out of memory (oom_trainer.sh).
. tests/hardening/lib.sh
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:exitcode=86"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87"
h_tmpdir
bin=build/asan/build/hardening/oom_ext
log=$H_TMP/oom_ext.log
if "$bin" >"$log" 2>&1; then
	ok "$(grep 'problem' "$log" | tail -1)"
	grep 'note:' "$log"
else
	notok "oom_ext (exit $?)"
	grep -v '^$' "$log" | head -60
fi
sh tests/hardening/oom_trainer.sh || H_FAILED=$((H_FAILED + 1))
h_finish
