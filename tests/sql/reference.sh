#!/bin/sh
# The SQL reference, checked.  The transcripts are its source: each function's
# signature and result are one "-- reference: " line in the transcript that shows it,
#     -- reference: tg_predict(text [, name]) -> TEXT
# and README.md's SQL reference table (its first column) and ext/sql/tg.c's header
# must list the same lines (tg.c's arguments in capitals; case is not compared).  The
# extension itself must agree too: the functions and table-valued functions it
# registers and their numbers of arguments, a table's columns and a JSON object's
# keys when the reference lists them.  Prints one line per disagreement and ends
# with status 1 if there is any.
#   sh tests/sql/reference.sh FIXTURE_DB      (from the repository root, tg.so built)
set -u
db=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-reference.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM
bad=0
fail() { echo "reference: $*"; bad=1; }

sed -n 's/^-- reference: //p' tests/sql/*.sql | LC_ALL=C sort >"$tmp/transcripts"
[ -s "$tmp/transcripts" ] || fail "no '-- reference:' line in tests/sql/*.sql"
awk '/^## / { in_ref = ($0 == "## SQL reference") } in_ref && /^\| `tg_/ {
	sub(/^\| `/, ""); sub(/` \|.*/, ""); print }' README.md | LC_ALL=C sort >"$tmp/readme"
sed -n 's/^\*\*   \(tg_[a-z_]*(.*) -> .*\)$/\1/p' ext/sql/tg.c | LC_ALL=C sort >"$tmp/tg_c"
for doc in readme tg_c; do
	tr 'A-Z' 'a-z' <"$tmp/transcripts" >"$tmp/a"
	tr 'A-Z' 'a-z' <"$tmp/$doc" >"$tmp/b"
	diff "$tmp/a" "$tmp/b" >"$tmp/diff" ||
		fail "$([ $doc = readme ] && echo "README.md's SQL reference table" || echo "ext/sql/tg.c's header")" \
			"differs from the transcripts' reference lines (< transcripts, > it):
$(sed -n 's/^[<>] /  &/p' "$tmp/diff")"
done

# What the extension registers: "name arities" per function, the same for a module
# (a table-valued function takes its arguments as hidden columns).
q() { printf '.load ./tg\n%s\n' "$1" | ${SQLITE3:-sqlite3} -batch -bail "$db"; }
q "SELECT name || ' ' || group_concat(narg, ',') FROM (SELECT DISTINCT name, narg FROM pragma_function_list
     WHERE name GLOB 'tg_*' ORDER BY name, narg) GROUP BY name;
   SELECT m.name || ' ' || (SELECT group_concat(n, ',') FROM (SELECT count(*) - sum(x.name = 'name') + value AS n
     FROM pragma_table_xinfo(m.name) AS x, (SELECT 0 AS value UNION ALL SELECT 1) WHERE x.hidden
     GROUP BY value ORDER BY value))
   FROM pragma_module_list AS m WHERE m.name GLOB 'tg_*';" | LC_ALL=C sort >"$tmp/registered" ||
	fail "cannot list what tg.so registers"
# The same from the reference lines: NAME(required [, optional]) takes required..all.
awk '{ name = $0; sub(/\(.*/, "", name); args = $0; sub(/^[^(]*\(/, "", args); sub(/\) -> .*/, "", args)
	opt = args; req = args; sub(/^[^[]*/, "", opt); sub(/\[.*/, "", req)
	nreq = gsub(/[a-z_]+/, "", req); nopt = gsub(/[a-z_]+/, "", opt)
	s = name " " nreq; for (i = 1; i <= nopt; i++) s = s "," nreq + i; print s }' \
	"$tmp/transcripts" | LC_ALL=C sort >"$tmp/referenced"
diff "$tmp/referenced" "$tmp/registered" >"$tmp/diff" ||
	fail "the reference lines' functions and numbers of arguments differ from tg.so's (< reference, > tg.so):
$(sed -n 's/^[<>] /  &/p' "$tmp/diff")"

# A result's listed columns (a table) or keys (a JSON object of a call without arguments).
while IFS= read -r line; do
	name=${line%%(*} list=${line##*-> }
	case $list in
	*'('*')') fields=${list#*(} fields=${fields%)} ;;
	*) continue ;;
	esac
	case $list in
	table*) got=$(q "SELECT group_concat(name, ', ') FROM pragma_table_xinfo('$name') WHERE NOT hidden;") ;;
	'JSON object'*) got=$(q "SELECT group_concat(key, ', ') FROM json_each($name());") ;;
	*) fail "$name: a list in a result that is neither a table nor a JSON object"; continue ;;
	esac
	[ "$got" = "$fields" ] || fail "$name returns ($got), its reference line says ($fields)"
done <"$tmp/transcripts"
exit $bad
