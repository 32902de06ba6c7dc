#!/bin/sh
# Runs the libFuzzer harnesses (see fuzz/README.md).
#   sh fuzz/run.sh fuzz SECONDS [NAME...]   fuzz each harness SECONDS seconds
#   sh fuzz/run.sh regress [NAME...]        replay fuzz/regressions/NAME and fuzz/corpus/NAME
# Fuzzing grows build/fuzz/corpus/NAME (seeded from fuzz/corpus/NAME, which stays as
# written).  A crash, leak or timeout found is moved to fuzz/regressions/NAME/, so
# `make fuzz-regress` replays it from then on, and the run fails.
# Prints one "ok - ..." / "not ok - ..." line per harness (see tests/hardening/run.sh).
usage() { echo "usage: sh fuzz/run.sh fuzz SECONDS [NAME...] | regress [NAME...]" >&2; exit 2; }
mode=$1
case $mode in
fuzz) [ $# -ge 2 ] || usage; secs=$2; shift 2 ;;
regress) shift ;;
*) usage ;;
esac
[ $# -gt 0 ] || set -- model_load genre_list csv_reader tokenizer sql vectors
failed=0
for name in "$@"; do
	bin=build/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz $name: $bin is not built (make fuzz-build; needs clang and libclang-rt-14-dev)"
		failed=$((failed + 1))
		continue
	fi
	log=build/fuzz/logs/$name.$mode.log
	mkdir -p build/fuzz/logs "build/fuzz/corpus/$name" "build/fuzz/artifacts/$name" "fuzz/corpus/$name"
	if [ "$mode" = regress ]; then
		files=$(find "fuzz/regressions/$name" "fuzz/corpus/$name" -type f 2>/dev/null | sort)
		n=$(echo "$files" | grep -c .)
		if [ "$n" -eq 0 ]; then
			echo "skip - fuzz-regress $name (no inputs)"
			continue
		fi
		# shellcheck disable=SC2086
		if "$bin" -runs=1 $files >"$log" 2>&1; then
			echo "ok - fuzz-regress $name: $n inputs ($(find "fuzz/regressions/$name" -type f 2>/dev/null | wc -l) regressions)"
		else
			echo "not ok - fuzz-regress $name: see $log"
			grep -E 'ERROR|invariant|runtime error|Running:' "$log" | tail -5
			failed=$((failed + 1))
		fi
		continue
	fi
	maxlen=16384
	case $name in csv_reader) maxlen=8192 ;; genre_list) maxlen=4096 ;; tokenizer) maxlen=4096 ;; vectors) maxlen=4096 ;; esac
	dict=""
	[ -f "fuzz/dict/$name.dict" ] && dict="-dict=fuzz/dict/$name.dict"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -max_len=$maxlen -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		$dict -artifact_prefix="build/fuzz/artifacts/$name/" "build/fuzz/corpus/$name" "fuzz/corpus/$name" \
		>"$log" 2>&1
	rc=$?
	execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
	found=$(find "build/fuzz/artifacts/$name" -type f 2>/dev/null)
	if [ -n "$found" ]; then
		mkdir -p "fuzz/regressions/$name"
		for f in $found; do
			cp "$f" "fuzz/regressions/$name/" && rm -f "$f"
		done
	fi
	if [ $rc -eq 0 ] && [ -z "$found" ]; then
		echo "ok - fuzz $name: ${execs:-?} executions in ${secs}s, corpus $(find "build/fuzz/corpus/$name" -type f | wc -l) inputs"
	else
		echo "not ok - fuzz $name: exit $rc after ${execs:-?} executions; inputs saved in fuzz/regressions/$name/: $(echo $found | xargs -n1 basename 2>/dev/null | tr '\n' ' '); log $log"
		grep -E 'ERROR|invariant|runtime error|SUMMARY' "$log" | head -5
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]
