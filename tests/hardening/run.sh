#!/bin/sh
# make hardening: runs the hardening steps (everything but long fuzzing) one after the
# other, each as its own make target, and counts their "ok" / "not ok" / "skip" lines.
# A step that fails without printing "not ok" counts as one failure.  Logs go to
# build/hardening/logs/STEP.log.  Ends with "N passed, M failed".
#   sh tests/hardening/run.sh [STEP...]     (default: all steps)
MAKE=${MAKE:-make}
[ $# -gt 0 ] || set -- fuzz-regress portable asan valgrind tsan oom kill diskfull
logs=build/hardening/logs
mkdir -p "$logs"
passed=0 failed=0 skipped=0 summary=""
start=$(date +%s)
for step in "$@"; do
	t0=$(date +%s)
	echo "=== hardening: $step"
	($MAKE --no-print-directory "$step" 2>&1; echo $? >"$logs/$step.rc") | tee "$logs/$step.log"
	rc=$(cat "$logs/$step.rc")
	p=$(grep -c '^ok ' "$logs/$step.log")
	f=$(grep -c '^not ok ' "$logs/$step.log")
	s=$(grep -c '^skip ' "$logs/$step.log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $step: make $step failed (exit $rc) without a failing check; see $logs/$step.log" |
			tee -a "$logs/$step.log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	summary="$summary$(printf '  %-13s %3d passed, %d failed, %d skipped  (%ds)' "$step" "$p" "$f" "$s" $(($(date +%s) - t0)))
"
done
echo
echo "=== hardening summary ($(($(date +%s) - start)) s)"
printf '%s' "$summary"
for step in "$@"; do
	grep -h '^not ok ' "$logs/$step.log" | sed 's/^/  /'
done
[ "$skipped" -eq 0 ] || echo "($skipped skipped: see the skip lines above)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
