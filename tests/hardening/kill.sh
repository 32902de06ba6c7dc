#!/bin/sh
# make kill: crash consistency of the registry, and hostile input files.
#
# 1. Kills: train once (model A deployed), then run tg-train --deploy always --force on
#    a larger CSV (KILL_CSV, default a generated one of KILL_FILMS films) and SIGKILL it
#    after 5, 20, 50, 100, 200 ms, at random points of a full run, and the moment its
#    rollback journal appears (mid-commit).  After each kill: PRAGMA integrity_check is
#    ok, foreign keys hold, exactly one model is deployed and the extension serves it
#    (tg_predict is not NULL), every stored blob loads (blobcheck: no half row), and the
#    movies table holds all films of one of the two CSVs (never a part).
# 2. Two trainers at once on the same registry (default busy timeout, then
#    --busy-timeout 0): each finishes or fails with a "locked"/"busy" message; the
#    registry then holds one new model per success, still exactly one deployed.
# 3. Hostile CSV files: binary garbage, a 1 GB line (streamed through a FIFO, never
#    stored), no required columns, an unbalanced quote at EOF, a directory, an
#    unreadable file, a missing file, an empty file: a "tg-train:" message, an exit
#    status from 1 to 123 (no signal), and the registry file byte-for-byte unchanged.
. tests/hardening/lib.sh
h_tmpdir
TRAIN=${TRAIN:-./tg-train}
BLOBCHECK=${BLOBCHECK:-build/hardening/blobcheck}
KILL_FILMS=${KILL_FILMS:-40000}
LONG_LINE_BYTES=${LONG_LINE_BYTES:-1073741824}
for f in "$TRAIN" "$BLOBCHECK" ./tg.so; do
	[ -e "$f" ] || { notok "kill: $f is missing"; h_finish; }
done
# Private copies: a rebuild running meanwhile must not swap the binaries mid-test.
cp "$TRAIN" "$H_TMP/tg-train" && cp "$BLOBCHECK" "$H_TMP/blobcheck" && cp ./tg.so "$H_TMP/tg.so" || exit 2
TRAIN=$H_TMP/tg-train BLOBCHECK=$H_TMP/blobcheck
db=$H_TMP/reg.db
small=$H_TMP/small.csv
sh tests/hardening/gen_csv.sh 300 7 >"$small"
if [ -n "${KILL_CSV:-}" ]; then
	big=$KILL_CSV
else
	big=$H_TMP/big.csv
	sh tests/hardening/gen_csv.sh "$KILL_FILMS" 3 >"$big"
fi
now_ms() { date +%s%3N; }

"$TRAIN" -q --deploy always "$small" "$db" >"$H_TMP/o" 2>&1 || { notok "kill: training model A failed"; cat "$H_TMP/o"; h_finish; }
films_small=$(sqlite3 "$db" 'SELECT count(*) FROM movies')
# One full run on the big file, on a copy: its length spreads the random kill points,
# and it gives the big file's film count.
cp "$db" "$H_TMP/full.db"
t0=$(now_ms)
"$TRAIN" -q --deploy always --force "$big" "$H_TMP/full.db" >"$H_TMP/o" 2>&1 || { notok "kill: a full run on $big failed"; cat "$H_TMP/o"; h_finish; }
full_ms=$(($(now_ms) - t0))
films_big=$(sqlite3 "$H_TMP/full.db" 'SELECT count(*) FROM movies')
rm -f "$H_TMP/full.db"
echo "# kill: a full run on $(basename "$big") ($films_big films) takes ${full_ms} ms"

# The registry after a crash or a race.  $1: what happened.
registry_ok() {
	problems=""
	ic=$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)
	[ "$ic" = ok ] || problems="$problems; integrity_check: $ic"
	fk=$(sqlite3 "$db" 'PRAGMA foreign_key_check' 2>&1)
	[ -z "$fk" ] || problems="$problems; foreign_key_check: $fk"
	dep=$(sqlite3 "$db" "SELECT count(*) FROM tg_models WHERE name = 'genre' AND deployed = 1" 2>&1)
	[ "$dep" = 1 ] || problems="$problems; $dep deployed models"
	if pred=$(sqlite3 -bail "$db" ".load $H_TMP/tg" "SELECT coalesce(tg_predict('A ghost haunts the cellar of a family home at night'), 'NULL')" 2>&1); then
		case $pred in "" | NULL | *Error* | tg:*) problems="$problems; tg_predict gave '$pred'" ;; esac
	else
		problems="$problems; tg_predict failed: $pred"
	fi
	blobs=$("$BLOBCHECK" "$db" 2>&1) || problems="$problems; blobcheck: $blobs"
	mv=$(sqlite3 "$db" 'SELECT count(*) FROM movies' 2>&1)
	[ "$mv" = "$films_small" ] || [ "$mv" = "$films_big" ] || problems="$problems; movies has $mv rows (want $films_small or $films_big)"
	if [ -z "$problems" ]; then ok "$1: registry consistent ($blobs, predicts $pred)"
	else notok "$1:${problems#;}"; fi
}

# --- 1. kills --------------------------------------------------------------------
kill_after() { # DELAY_MS LABEL
	"$TRAIN" -q --deploy always --force "$big" "$db" >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		state="killed"
	else
		state="had already finished"
	fi
	wait "$pid" 2>/dev/null
	registry_ok "kill after $1 ms${2:+ ($2)}: $state"
}
for ms in 5 20 50 100 200; do
	kill_after "$ms"
done
seed=${KILL_SEED:-$$}
echo "# kill: random points with KILL_SEED=$seed"
for ms in $(awk -v s="$seed" -v t="$full_ms" 'BEGIN { srand(s); for (i = 0; i < 5; i++) printf "%d\n", 200 + rand() * (t * 1.05 - 200) }'); do
	kill_after "$ms" random
done
# The moment the commit starts: the rollback journal exists.
for i in 1 2; do
	"$TRAIN" -q --deploy always --force "$big" "$db" >/dev/null 2>&1 &
	pid=$!
	state="had already finished (journal never seen)"
	while kill -0 "$pid" 2>/dev/null; do
		if [ -e "$db-journal" ] || [ -e "$db-wal" ]; then
			kill -KILL "$pid" 2>/dev/null
			state="killed with the journal present"
			break
		fi
	done
	wait "$pid" 2>/dev/null
	registry_ok "kill mid-commit #$i: $state"
done

# --- 2. two trainers at once ----------------------------------------------------
race() { # LABEL EXTRA-ARGS
	before=$(sqlite3 "$db" 'SELECT count(*) FROM tg_models')
	# shellcheck disable=SC2086
	"$TRAIN" -q --deploy always --force $2 "$small" "$db" >"$H_TMP/r1.out" 2>&1 &
	p1=$!
	# shellcheck disable=SC2086
	"$TRAIN" -q --deploy always --force $2 "$small" "$db" >"$H_TMP/r2.out" 2>&1 &
	p2=$!
	wait "$p1"
	r1=$?
	wait "$p2"
	r2=$?
	wins=0
	msgs=""
	for r in "$r1:$H_TMP/r1.out" "$r2:$H_TMP/r2.out"; do
		rc=${r%%:*}
		if [ "$rc" -eq 0 ]; then
			wins=$((wins + 1))
		elif ! grep -qiE 'locked|busy' "${r#*:}" || [ "$rc" -ge 124 ]; then
			msgs="$msgs; exit $rc: $(head -c 200 "${r#*:}")"
		fi
	done
	after=$(sqlite3 "$db" 'SELECT count(*) FROM tg_models')
	if [ -n "$msgs" ]; then
		notok "two trainers $1: a failure that is not a clean busy error${msgs}"
	elif [ "$after" -ne $((before + wins)) ]; then
		notok "two trainers $1: $wins succeeded but $((after - before)) models were added"
	else
		ok "two trainers $1: $wins of 2 succeeded (exit $r1, $r2)"
	fi
	registry_ok "two trainers $1"
}
race "(busy timeout 10 s)" ""
race "(busy timeout 0)" "--busy-timeout 0"
for i in 1 2 3; do
	race "(busy timeout 0, run $i)" "--busy-timeout 0"
done

# --- 3. hostile input files ------------------------------------------------------
sum_before=$(h_sha "$db")
RUNAS=""
hostile() { # LABEL CSV-PATH [EXPECTED-MESSAGE-REGEX]
	# shellcheck disable=SC2086
	timeout 300 $RUNAS "$TRAIN" -q --force "$2" "$db" >"$H_TMP/h.out" 2>"$H_TMP/h.err"
	rc=$?
	msg=$(head -c 300 "$H_TMP/h.err" | tr '\n' ' ')
	if [ $rc -ge 1 ] && [ $rc -le 123 ] && grep -q '^tg-train: ' "$H_TMP/h.err" &&
	   grep -qE "${3:-.}" "$H_TMP/h.err" && [ "$(h_sha "$db")" = "$sum_before" ]; then
		ok "hostile CSV, $1: exit $rc, registry unchanged: $msg"
	else
		notok "hostile CSV, $1: exit $rc, registry $([ "$(h_sha "$db")" = "$sum_before" ] && echo unchanged || echo CHANGED): $msg"
	fi
}
head -c 200000 /dev/urandom >"$H_TMP/garbage.bin"
hostile "binary garbage" "$H_TMP/garbage.bin" 'NUL byte|missing required|header' 
head -c 200000 /dev/urandom | tr -d '\000' >"$H_TMP/garbage2.bin"
hostile "binary garbage without NUL bytes" "$H_TMP/garbage2.bin"
printf 'id,name,plot\n1,A,"ghost story"\n' >"$H_TMP/nocols.csv"
hostile "no required columns" "$H_TMP/nocols.csv" 'missing required' 
{ head -5 "$small"; printf '9999,"unbalanced quote, ghost house night\nand more text at EOF'; } >"$H_TMP/quote.csv"
hostile "unbalanced quote at EOF" "$H_TMP/quote.csv" 'unterminated' 
mkdir "$H_TMP/adir"
hostile "a directory" "$H_TMP/adir"
hostile "a missing file" "$H_TMP/does-not-exist.csv"
: >"$H_TMP/empty.csv"
hostile "an empty file" "$H_TMP/empty.csv"
head -1 "$small" >"$H_TMP/header.csv"
hostile "a header and no films" "$H_TMP/header.csv"
hostile "an unreadable /proc file (/proc/self/mem: EIO)" /proc/self/mem
cp "$small" "$H_TMP/secret.csv"
chmod 000 "$H_TMP/secret.csv"
if [ "$(id -u)" != 0 ]; then
	hostile "a chmod 000 file" "$H_TMP/secret.csv"
elif command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	# As root every file is readable: drop to nobody.  The registry is never opened
	# (the CSV is read first), so nobody needs no access to it.
	chmod 755 "$H_TMP"
	RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	hostile "a chmod 000 file (as nobody)" "$H_TMP/secret.csv"
	RUNAS=""
	chmod 700 "$H_TMP"
else
	skip "a chmod 000 file (running as root without setpriv)"
fi
# A 1 GB line, streamed: tg-train opens the file twice (fingerprint, then records), so
# the writer serves the stream twice; the reader gives up after --max-record-bytes.
# The pause lets the first reader close the FIFO before the writer opens it again
# (else the second stream would go to the first reader).
mkfifo "$H_TMP/long.fifo"
(
	for i in 1 2; do
		[ "$i" = 2 ] && sleep 1
		{ printf 'id,title,overview,genres\n1,Long,"'; head -c "$LONG_LINE_BYTES" /dev/zero | tr '\000' x; printf '",Drama\n'; } >"$H_TMP/long.fifo" 2>/dev/null
	done
) &
writer=$!
hostile "a $LONG_LINE_BYTES-byte line through a FIFO" "$H_TMP/long.fifo" 'longer than'
# A writer still blocked opening the FIFO dies of the signal; one still writing, of
# SIGPIPE (no reader is left).
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
h_finish
