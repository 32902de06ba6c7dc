#!/bin/sh
# make valgrind: the unit tests (CK_FORK=no, so one process sees everything) and
# tg-train on a small generated CSV, under valgrind memcheck: any invalid access,
# uninitialised use or leak fails (--error-exitcode, --leak-check=full).
. tests/hardening/lib.sh
h_tmpdir
if ! command -v valgrind >/dev/null 2>&1; then
	skip "valgrind (not installed: apt-get install valgrind)"
	exit 0
fi
VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible"
# --track-origins=yes says where an uninitialised value came from, at twice the time.
[ "${VALGRIND_ORIGINS:-0}" = 1 ] && VG="$VG --track-origins=yes"
JOBS=${VALGRIND_JOBS:-2}

# The unit tests, JOBS at a time (valgrind runs a program on one core).
unit_result() {
	if [ "$(cat "$H_TMP/$1.rc")" = 0 ]; then ok "valgrind unit $1 ($(cat "$H_TMP/$1.secs")s)"
	else notok "valgrind unit $1 (exit $(cat "$H_TMP/$1.rc"))"; tail -40 "$H_TMP/$1.log"; fi
}
running=""
n=0
for t in build/tests/check_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	(s=$(date +%s); CK_FORK=no $VG "$t" >"$H_TMP/$name.log" 2>&1; echo $? >"$H_TMP/$name.rc"
	 echo $(($(date +%s) - s)) >"$H_TMP/$name.secs") &
	running="$running $name"
	n=$((n + 1))
	if [ $n -ge "$JOBS" ]; then
		wait
		for r in $running; do unit_result "$r"; done
		running="" n=0
	fi
done
wait
for r in $running; do unit_result "$r"; done
sh tests/hardening/gen_csv.sh 200 >"$H_TMP/films.csv"
run() {
	what=$1
	shift
	$VG "$@" >"$H_TMP/run.log" 2>&1
	rc=$?
	if [ $rc -ne 99 ] && ! grep -q '^==[0-9]*==' "$H_TMP/run.log"; then ok "valgrind $what (exit $rc)"
	else notok "valgrind $what (exit $rc)"; tail -40 "$H_TMP/run.log"; fi
}
run "tg-train train" ./tg-train --threads 2 "$H_TMP/films.csv" "$H_TMP/reg.db"
run "tg-train train again (skipped: same data)" ./tg-train "$H_TMP/films.csv" "$H_TMP/reg.db"
run "tg-train --force --no-bigrams --deploy always" ./tg-train -q --force --no-bigrams --deploy always "$H_TMP/films.csv" "$H_TMP/reg.db"
run "tg-train list" ./tg-train list "$H_TMP/reg.db"
run "tg-train rollback" ./tg-train rollback "$H_TMP/reg.db"
run "tg-train prune" ./tg-train prune "$H_TMP/reg.db"
run "tg-train on a file with bad quoting" ./tg-train -q tests/fixtures/bad_quoting.csv "$H_TMP/bad.db"
run "tg-train on a missing file" ./tg-train -q "$H_TMP/no-such.csv" "$H_TMP/bad.db"
h_finish
