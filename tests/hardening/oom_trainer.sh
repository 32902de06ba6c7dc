#!/bin/sh
# The trainer out of memory: tg-train runs with tests/hardening/failmalloc.so preloaded,
# which fails its Nth malloc/calloc/realloc (and, in "always" mode, every one after).
# For each N: the exit status is 0, or non-zero with a message on stderr, never a
# signal or a hang; and the registry (a copy holding one deployed model) is either
# unchanged (same .sha3sum of its content) or fully written: integrity_check ok, the
# new model's blob loads (blobcheck), it is the deployed one, and the movies table
# holds every film.
#
# N runs over every allocation when there are at most OOM_MAX_RUNS of them (default
# 500); otherwise over 1..150 and then evenly spaced points up to the last one, so the
# whole pipeline (reading, training, storing) is covered.  OOM_MAX_RUNS=0: all of them.
. tests/hardening/lib.sh
h_tmpdir
SHIM=${SHIM:-build/hardening/failmalloc.so}
BLOBCHECK=${BLOBCHECK:-build/hardening/blobcheck}
TRAIN=${TRAIN:-./tg-train}
MAX_RUNS=${OOM_MAX_RUNS:-500}
for f in "$SHIM" "$BLOBCHECK" "$TRAIN"; do
	[ -e "$f" ] || { notok "oom trainer: $f is missing"; h_finish; }
done
# Private copies: a rebuild running meanwhile must not swap the binaries mid-test.
cp "$TRAIN" "$H_TMP/tg-train" && cp "$SHIM" "$H_TMP/failmalloc.so" && cp "$BLOBCHECK" "$H_TMP/blobcheck" || exit 2
TRAIN=$H_TMP/tg-train SHIM=$H_TMP/failmalloc.so BLOBCHECK=$H_TMP/blobcheck
csv=$H_TMP/films.csv
sh tests/hardening/gen_csv.sh 120 >"$csv"
args="-q --force --deploy always --threads 1 $csv"

"$TRAIN" $args "$H_TMP/pristine.db" >"$H_TMP/out" 2>&1 || { notok "oom trainer: first training failed"; cat "$H_TMP/out"; h_finish; }
pristine=$(sqlite3 "$H_TMP/pristine.db" .sha3sum)
cp "$H_TMP/pristine.db" "$H_TMP/ref.db"
"$TRAIN" $args "$H_TMP/ref.db" >/dev/null 2>&1 || { notok "oom trainer: reference training failed"; h_finish; }
films=$(sqlite3 "$H_TMP/ref.db" 'SELECT count(*) FROM movies')

# No request for 0 bytes is taken for a failure: with the shim answering every one with
# NULL (as C allows; glibc returns a pointer), training on the sample still succeeds,
# and with a vocabulary of a few features (--max-bytes 1000: empty rows).
for extra in "" "--max-bytes 1000"; do
	rm -f "$H_TMP/zero.db"
	TG_FAILMALLOC_ZERO=1 LD_PRELOAD="$SHIM" "$TRAIN" -q --threads 1 $extra data/sample_movies.csv "$H_TMP/zero.db" \
		>/dev/null 2>"$H_TMP/e"
	if [ $? = 0 ]; then ok "oom trainer: 0-byte allocations NULL, ${extra:-default}: trains"
	else notok "oom trainer: 0-byte allocations NULL, ${extra:-default}: $(head -c 300 "$H_TMP/e")"; fi
done

# How many allocations a successful run makes.
cp "$H_TMP/pristine.db" "$H_TMP/count.db"
TG_FAILMALLOC_REPORT="$H_TMP/report" LD_PRELOAD="$SHIM" "$TRAIN" $args "$H_TMP/count.db" >/dev/null 2>&1
total=$(cut -d' ' -f1 "$H_TMP/report" 2>/dev/null)
[ -n "$total" ] && [ "$total" -gt 0 ] || { notok "oom trainer: the shim did not count allocations"; h_finish; }

if [ "$MAX_RUNS" -eq 0 ] || [ "$total" -le "$MAX_RUNS" ]; then
	points=$(seq 1 "$total")
else
	dense=150
	rest=$((MAX_RUNS - dense))
	points=$( (seq 1 $dense; awk -v a=$dense -v b="$total" -v k=$rest 'BEGIN { for (i = 1; i <= k; i++) printf "%d\n", a + (b - a) * i / k }') | sort -un)
fi

runs=0 bad=0 clean_fail=0 stored=0 stored_nonzero=0
t0=$(date +%s)
one() { # N MODE(once|always)
	n=$1 mode=$2
	cp "$H_TMP/pristine.db" "$H_TMP/t.db"
	always=0
	[ "$mode" = always ] && always=1
	TG_FAILMALLOC_N=$n TG_FAILMALLOC_ALWAYS=$always LD_PRELOAD="$SHIM" \
		timeout 60 "$TRAIN" $args "$H_TMP/t.db" >"$H_TMP/o" 2>"$H_TMP/e"
	rc=$?
	runs=$((runs + 1))
	problem=""
	if [ $rc -ge 124 ]; then
		problem="exit $rc (signal or timeout)"
	elif [ $rc -ne 0 ] && [ ! -s "$H_TMP/e" ]; then
		problem="exit $rc without a message"
	fi
	state=$(sqlite3 "$H_TMP/t.db" 'PRAGMA integrity_check' 'SELECT count(*) FROM tg_models' 2>&1 | tr '\n' ' ')
	case $state in
	"ok 1 ")
		[ "$(sqlite3 "$H_TMP/t.db" .sha3sum)" = "$pristine" ] || problem="$problem; registry changed but no model added"
		[ $rc -eq 0 ] && problem="$problem; exit 0 but no model stored"
		[ $rc -ne 0 ] && clean_fail=$((clean_fail + 1))
		;;
	"ok 2 ")
		stored=$((stored + 1))
		[ $rc -ne 0 ] && stored_nonzero=$((stored_nonzero + 1))
		"$BLOBCHECK" "$H_TMP/t.db" >/dev/null 2>&1 || problem="$problem; a stored blob does not load"
		check=$(sqlite3 "$H_TMP/t.db" "SELECT (SELECT max(id) FROM tg_models WHERE deployed = 1) = (SELECT max(id) FROM tg_models), (SELECT count(*) FROM movies)" 2>&1)
		[ "$check" = "1|$films" ] || problem="$problem; new model not deployed or movies incomplete ($check)"
		;;
	*)
		problem="$problem; registry damaged: $state"
		;;
	esac
	if [ -n "$problem" ]; then
		bad=$((bad + 1))
		[ $bad -le 10 ] && notok "oom trainer N=$n $mode: ${problem#; }: $(head -c 300 "$H_TMP/e" | tr '\n' ' ')"
	fi
}
for n in $points; do
	one "$n" once
done
# "always" mode: a sample (every 5th point), where failures keep coming.
i=0
for n in $points; do
	i=$((i + 1))
	[ $((i % 5)) -eq 1 ] && one "$n" always
done
secs=$(($(date +%s) - t0))
summary="$runs runs over $total allocations (N in $(echo "$points" | head -1)..$(echo "$points" | tail -1)): $clean_fail failed cleanly leaving the registry unchanged, $stored stored a complete model ($stored_nonzero of them exiting non-zero) [${secs}s]"
if [ $bad -eq 0 ]; then ok "oom trainer: $summary"; else notok "oom trainer: $bad bad runs of $summary"; fi
h_finish
