#!/bin/sh
# Runs the SQL tests: each tests/sql/NAME.sql goes through the sqlite3 shell, from
# the repository root (so `.load ./tg` finds ./tg.so), against a fresh copy of the
# fixture database (its path in $TG_SQL_DB, for tests that copy it); its output
# (stdout and stderr) must equal tests/sql/NAME.out.
#   sh tests/sql/run.sh [NAME.sql...]      (run from the repository root)
#   TG_SQL_ACCEPT=1 sh tests/sql/run.sh   rewrites the .out files: review the diff!
set -u
cd "$(dirname "$0")/../.." || exit 2
SQLITE3=${SQLITE3:-sqlite3}
FIXTURE=build/tests/tools/tg-fixture
for need in ./tg.so "$FIXTURE"; do
	[ -e "$need" ] || { echo "sqltest: $need is missing; run make tg.so $FIXTURE" >&2; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-sqltest.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
"$FIXTURE" "$tmp/fixture.db" || exit 2

[ $# -gt 0 ] || set -- tests/sql/*.sql
failed=0
for sql in "$@"; do
	name=$(basename "$sql" .sql)
	expected=tests/sql/$name.out
	cp "$tmp/fixture.db" "$tmp/test.db"
	TG_SQL_DB="$tmp/test.db" "$SQLITE3" -batch "$tmp/test.db" <"$sql" >"$tmp/$name.out" 2>&1
	if [ "${TG_SQL_ACCEPT:-}" = 1 ]; then
		cp "$tmp/$name.out" "$expected"
		echo "accepted $name"
	elif diff -u "$expected" "$tmp/$name.out" >"$tmp/diff"; then
		echo "ok   $name"
	else
		echo "FAIL $name: output differs from $expected (- expected, + actual):"
		cat "$tmp/diff"
		failed=$((failed + 1))
	fi
	rm -f "$tmp/test.db"
done
[ "$failed" -eq 0 ] || { echo "sqltest: $failed file(s) failed"; exit 1; }
