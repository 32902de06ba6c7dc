#!/bin/sh
# Runs the SQL tests: each tests/sql/NAME.sql is a transcript, a sqlite3 shell script
# with the expected output under the statements (README.md beside this file):
#     SELECT tg_predict('A ghost story');
#     -- => Horror
# It runs through the sqlite3 shell, from the repository root (so `.load ./tg` finds
# ./tg.so), against a fresh copy of the fixture database (its path in $TG_SQL_DB, for
# tests that copy it); each block of "-- => " lines must equal what the statements
# before it printed (stdout and stderr).  A failure shows the statements, the
# expected lines and the actual ones.
#   sh tests/sql/run.sh [NAME.sql...]      (run from the repository root)
#   TG_SQL_ACCEPT=1 sh tests/sql/run.sh    rewrites the blocks from the actual output
#                                          (write "-- =>" under a new query): review the diff!
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
SQLITE3=${SQLITE3:-sqlite3}
FIXTURE=build/tests/tools/tg-fixture
for need in ./tg.so "$FIXTURE"; do
	[ -e "$need" ] || { echo "sqltest: $need is missing; run make tg.so $FIXTURE" >&2; exit 2; }
done
t_begin sqltest
"$FIXTURE" "$tmp/fixture.db" || exit 2
mark='@@tg-sqltest@@'

[ $# -gt 0 ] || set -- tests/sql/*.sql
for sql in "$@"; do
	name=$(basename "$sql" .sql)
	cp "$tmp/fixture.db" "$tmp/test.db"
	awk -v mode=feed -v mark="$mark" -f tests/sql/transcript.awk "$sql" >"$tmp/feed.sql" || exit 2
	TG_SQL_DB="$tmp/test.db" "$SQLITE3" -batch "$tmp/test.db" <"$tmp/feed.sql" >"$tmp/out" 2>&1
	status=$?
	rm -f "$tmp/test.db"
	if [ "${TG_SQL_ACCEPT:-}" = 1 ]; then
		awk -v mode=accept -v mark="$mark" -f tests/sql/transcript.awk "$sql" "$tmp/out" >"$tmp/accepted" &&
			cp "$tmp/accepted" "$sql" && echo "accepted $name"
		continue
	fi
	awk -v mode=check -v mark="$mark" -v name="$name" -f tests/sql/transcript.awk \
		"$sql" "$tmp/out" >"$tmp/report" || exit 2
	read -r _ queries failed <<-EOF
	$(tail -n 1 "$tmp/report")
	EOF
	# The shell ends with 1 after an SQL error (expected here); more means it crashed.
	if [ "$failed" -eq 0 ] && [ "$status" -le 1 ]; then check "$name ($queries queries)" 1
	else check "$name ($failed of $queries queries differ)" 0; fi
	sed '$d' "$tmp/report"
	[ "$status" -le 1 ] || echo "     the sqlite3 shell ended with status $status"
done
# The reference lines of the transcripts against README.md, tg.c and tg.so.
sh tests/sql/reference.sh "$tmp/fixture.db" >"$tmp/reference" 2>&1 && ok=1 || ok=0
check "the SQL reference: README.md's table and tg.c's header agree with the transcripts and tg.so" "$ok"
cat "$tmp/reference"
t_end
