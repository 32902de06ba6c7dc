#!/bin/sh
# `make examples`: every example run as a test, on a fresh database trained from the
# shipped sample, then the man page and `make install` / `make uninstall` into scratch
# directories.  One "ok"/"FAIL" line per check, "examples: N passed, M failed" at the
# end, exit status 1 if any failed.  Expects `make all build/examples/embed_static`
# done (the Makefile's examples target does it); does `npm install` in examples/node
# when better-sqlite3 is missing there.
set -u
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
MAKE=${MAKE:-make}
PY=/usr/bin/python3
. tests/lib.sh
t_begin examples
yes_if() { "$@" >/dev/null 2>&1 && echo 1 || echo 0; }
show() { [ -s "$1" ] && sed 's/^/     | /' "$1" | head -n "${2:-20}"; return 0; }
sq() { sqlite3 -batch "$db" ".load $root/tg" "$@"; }

db=$tmp/movies.db
./tg-train -q data/sample_movies.csv "$db" >"$tmp/train.err" 2>&1 && ok=1 || ok=0
check "tg-train trains the sample into a fresh database" "$ok"
show "$tmp/train.err"
# The films every example tags by default, as the sqlite3 shell tags them: the first
# five with an overview in the test split, "title<TAB>genre<TAB>tags".
sq "SELECT title, tg_predict(overview), tg_tags(overview) FROM movies
    WHERE split = 'test' AND trim(overview) <> '' ORDER BY id LIMIT 5" -separator "$(printf '\t')" \
	>"$tmp/expected" 2>&1
cut -f 1,2 "$tmp/expected" >"$tmp/expected.genres"
[ "$(wc -l <"$tmp/expected")" = 5 ] || { echo "FAIL no test films to tag"; show "$tmp/expected"; exit 1; }
in_labels="IN (SELECT value FROM json_each(tg_model() ->> '\$.labels'))"

# --- 1. the sqlite3 shell session -------------------------------------------------------
sqlite3 -batch "$db" <examples/shell_session.sql >"$tmp/shell.out" 2>"$tmp/shell.err" && ok=1 || ok=0
check "shell_session.sql runs in sqlite3 without error" "$([ "$ok" = 1 ] && [ ! -s "$tmp/shell.err" ] && echo 1 || echo 0)"
show "$tmp/shell.err"
n=$(sq "SELECT count(*) FROM my_films WHERE trim(overview) <> ''")
stored=$(sq "SELECT count(*) FROM my_films WHERE trim(overview) <> '' AND genre $in_labels
             AND genre = tags ->> 0 AND genre IS tg_predict(overview)")
check "shell_session.sql stores tg_predict's genre and the tags of every film ($stored of $n)" \
	"$([ "$n" -gt 0 ] && [ "$stored" = "$n" ] && echo 1 || echo 0)"
# Its tg_genres count, recomputed from the stored tags: the same (genre, films) rows.
sq "SELECT t.value, count(*) FROM my_films, json_each(my_films.tags) AS t
    GROUP BY t.value ORDER BY 2 DESC, 1" -separator ' ' >"$tmp/counts.want"
awk 'NR > 2 && /^[A-Z][A-Za-z ]* +[0-9]+ *$/ { sub(/ +$/, ""); n = $NF; sub(/ +[0-9]+$/, ""); print $0, n }
     /^genre +films/ { if (++h == 2) exit }' "$tmp/shell.out" >"$tmp/counts.got"
check "shell_session.sql counts the tagged genres with tg_genres ($(wc -l <"$tmp/counts.got") genres)" \
	"$([ -s "$tmp/counts.got" ] && cmp -s "$tmp/counts.want" "$tmp/counts.got" && echo 1 || echo 0)"

# --- 2. C, tg linked in ----------------------------------------------------------------
emb=build/examples/embed_static
(cd "$tmp" && "$root/$emb" movies.db) >"$tmp/embed.out" 2>&1 && ok=1 || ok=0
check "embed_static tags films with tg linked in, no .load" \
	"$([ "$ok" = 1 ] && head -n 1 "$tmp/embed.out" | grep -q '^tg [0-9.]* in SQLite .*, linked in$' &&
	   tail -n +2 "$tmp/embed.out" | cmp -s - "$tmp/expected" && echo 1 || echo 0)"
[ "$ok" = 1 ] || show "$tmp/embed.out"
case "${EMBED_LIBS:--l:libsqlite3.a}" in
*libsqlite3.a*) check "embed_static needs neither tg.so nor libsqlite3.so at run time" \
	"$(ldd "$emb" 2>&1 | grep -Eq 'sqlite|tg\.so' && echo 0 || echo 1)" ;;
*) check "embed_static does not need tg.so at run time" "$(ldd "$emb" 2>&1 | grep -q 'tg\.so' && echo 0 || echo 1)" ;;
esac
"$emb" "$db" "Two detectives chase a killer" "..." >"$tmp/embed2.out" 2>&1 &&
	g=$(sed -n 2p "$tmp/embed2.out" | cut -f 2) && [ "$(sed -n 3p "$tmp/embed2.out" | cut -f 2)" = - ] &&
	[ "$(sq "SELECT '$g' $in_labels")" = 1 ] && ok=1 || ok=0
check "embed_static tags texts from its command line ('$g', and '-' for no words)" "$ok"
sqlite3 "$tmp/bare.db" "CREATE TABLE movies (id, title, overview, split);
                        INSERT INTO movies VALUES (1, 'Film', 'A ghost story', 'test')"
"$emb" "$tmp/bare.db" >/dev/null 2>"$tmp/embed3.err"; rc=$?
check "embed_static without a model: exit 1 with tg's message" \
	"$([ $rc = 1 ] && grep -q '^embed_static: tagging: tg: no model registry' "$tmp/embed3.err" && echo 1 || echo 0)"

# A database of the user's own (films, no registry) and what the sqlite3 shell says of it
# through the shipped model, attached: "title<TAB>genre<TAB>tags".
films=$tmp/films.db
sqlite3 "$films" "ATTACH '$db' AS t; CREATE TABLE films AS SELECT title, overview FROM t.movies
                  WHERE split = 'test' AND trim(overview) <> '' ORDER BY id LIMIT 5"
sqlite3 -batch "$films" ".load $root/tg" "ATTACH '$(ro_uri "$root/models/genre.db")' AS tgm" \
	"SELECT title, tg_predict(t), replace(replace(replace(tg_tags(t), '[', ''), ']', ''), '\"', '')
	 FROM (SELECT title, tg_text(title, overview) AS t FROM films ORDER BY rowid)" -separator "$(printf '\t')" >"$tmp/shipped.expected"

# --- 3. Python ---------------------------------------------------------------------------
if [ -x $PY ] && $PY -c 'import sqlite3; sqlite3.connect(":memory:").enable_load_extension' 2>/dev/null; then
	(cd "$tmp" && $PY "$root/examples/python_tag.py" movies.db) >"$tmp/py.out" 2>&1 && ok=1 || ok=0
	check "python_tag.py tags films as SQL does ($PY, sqlite3 module)" \
		"$([ "$ok" = 1 ] && cut -f 1,2 "$tmp/py.out" | cmp -s - "$tmp/expected.genres" && echo 1 || echo 0)"
	[ "$ok" = 1 ] || show "$tmp/py.out"
	check "python_tag.py reads tg_tags and tg_scores as JSON (tags, three best scores)" \
		"$(awk -F '\t' 'NF != 4 || $3 == "" || $4 !~ /^[A-Z][A-Za-z ]* [01]\.[0-9][0-9], [A-Z][A-Za-z ]* [01]\.[0-9][0-9], [A-Z][A-Za-z ]* [01]\.[0-9][0-9]$/ { bad = 1 }
		   END { exit bad || NR != 5 }' "$tmp/py.out" && echo 1 || echo 0)"
	$PY examples/python_tag.py "$tmp/bare.db" >/dev/null 2>"$tmp/py.err"; rc=$?
	check "python_tag.py without a model: exit 1 with tg's message" \
		"$([ $rc = 1 ] && grep -q 'tg: no model registry' "$tmp/py.err" && echo 1 || echo 0)"
	$PY examples/python_tag.py "$films" --model-db "$root/models/genre.db" >"$tmp/pyship.out" 2>&1 && ok=1 || ok=0
	check "python_tag.py --model-db: a database of films, no model, tagged by the shipped model as SQL tags it" \
		"$([ "$ok" = 1 ] && cut -f 1-3 "$tmp/pyship.out" | sed 's/, /,/g' | cmp -s - "$tmp/shipped.expected" && echo 1 || echo 0)"
	[ "$ok" = 1 ] || show "$tmp/pyship.out"
	# A model database whose path holds '?', '#' and '%': still that file, opened read-only.
	odd="$tmp/my?model#1%41.db"
	cp models/genre.db "$odd"
	$PY examples/python_tag.py "$films" --model-db "$odd" >"$tmp/pyodd.out" 2>&1 && ok=1 || ok=0
	sh_odd=$(sqlite3 -batch "$films" ".load $root/tg" "ATTACH '$(ro_uri "$odd")' AS tgm" "SELECT tg_model() ->> '\$.schema'" 2>&1)
	check "python_tag.py --model-db and ro_uri with '?', '#', '%' in the path: the same answers, no other file" \
		"$([ "$ok" = 1 ] && cmp -s "$tmp/pyodd.out" "$tmp/pyship.out" && [ "$sh_odd" = tgm ] &&
		   [ -z "$(ls "$tmp" | grep -e '^my$' -e '^my?model$' -e '^my?model#1A\.db$')" ] && echo 1 || echo 0)"
	[ "$ok" = 1 ] || show "$tmp/pyodd.out"
else
	check "$PY exists and its sqlite3 module can load extensions (Debian's python3)" 0
fi

# --- 4. Node.js: better-sqlite3, tag.js, server.js ---------------------------------------
nodedir=examples/node
load='new (require("better-sqlite3"))(":memory:").close()'
node_setup() { # npm ci when better-sqlite3 is missing, npm rebuild when it does not load
	(cd $nodedir && node -e "$load") >/dev/null 2>&1 && return 0
	if [ ! -d $nodedir/node_modules/better-sqlite3 ]; then
		echo "     (npm in $nodedir: the first time, it may build better-sqlite3 from source, minutes)"
		if [ -f $nodedir/package-lock.json ]; then npm_cmd=ci; else npm_cmd=install; fi
		(cd $nodedir && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL npm $npm_cmd --no-audit --no-fund) >"$tmp/npm.log" 2>&1 && ok=1 || ok=0
	else
		echo "     (better-sqlite3 does not load under node $(node --version): npm rebuild)"
		npm_cmd="rebuild better-sqlite3"
		(cd $nodedir && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL npm rebuild better-sqlite3) >"$tmp/npm.log" 2>&1 && ok=1 || ok=0
	fi
	check "npm $npm_cmd in $nodedir" "$ok"
	[ "$ok" = 1 ] || tail -n 30 "$tmp/npm.log"
}
if command -v node >/dev/null && command -v npm >/dev/null; then
	# Under a lock: concurrent runs (make test here and there) share node_modules.
	mkdir -p build/examples
	if command -v flock >/dev/null; then
		exec 9>build/examples/npm.lock
		flock 9
		node_setup
		exec 9>&-
	else
		node_setup
	fi
	check "better-sqlite3 loads in node $(node --version)" "$(cd $nodedir && yes_if node -e "$load")"
	TG_DB=$db TG_EXT=$root/tg.so node $nodedir/test.js >"$tmp/node.out" 2>&1; rc=$?
	sed -n '/^node: [0-9]* passed/!p' "$tmp/node.out"
	p=$(grep -c '^ok ' "$tmp/node.out") f=$(grep -c '^FAIL' "$tmp/node.out")
	pass=$((pass + p)) fail=$((fail + f))
	[ $rc = 0 ] || [ "$f" -gt 0 ] || check "node test.js exits 0 (status $rc)" 0
	TG_MODEL_DB=$root/models/genre.db TG_EXT=$root/tg.so node $nodedir/tag.js "$films" >"$tmp/nodeship.out" 2>&1 && ok=1 || ok=0
	check "tag.js with TG_MODEL_DB: the user's films tagged by the shipped model as SQL tags them" \
		"$([ "$ok" = 1 ] && sed 's/, /,/g' "$tmp/nodeship.out" | cmp -s - "$tmp/shipped.expected" && echo 1 || echo 0)"
	[ "$ok" = 1 ] || show "$tmp/nodeship.out"
else
	check "node and npm are installed (Debian: nodejs, npm)" 0
fi

# --- 5. the man page -----------------------------------------------------------------------
man=man/tg-train.1
bs=$(printf '\b')
if command -v man >/dev/null; then
	render() { LC_ALL=C MANWIDTH=200 man --warnings -l "$1" 2>"$tmp/man.err"; }
elif command -v groff >/dev/null; then
	render() { LC_ALL=C groff -man -Tascii -ww -rLL=200n "$1" 2>"$tmp/man.err" | sed "s/.$bs//g"; }
else
	render() { mandoc -Tascii -W warning -O width=200 "$1" 2>"$tmp/man.err" | sed "s/.$bs//g"; }
fi
render $man >"$tmp/man.txt" && ok=1 || ok=0
check "man/tg-train.1 renders without warnings" \
	"$([ "$ok" = 1 ] && [ ! -s "$tmp/man.err" ] && [ -s "$tmp/man.txt" ] && echo 1 || echo 0)"
show "$tmp/man.err"
missing=""
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
	grep -q "^$s\$" "$tmp/man.txt" || missing="$missing '$s'"
done
check "the man page has its sections${missing:+ (missing:$missing)}" "$([ -z "$missing" ] && echo 1 || echo 0)"
# OPTIONS against tg-train --help: the same entries ("-n, --name NAME", ...) and, for
# each, the same defaults in parentheses.  Entries: help's option lines, the man page's
# tags (7 spaces in), the description up to the next entry.
entries() { # TEXT-FILE: "entry<TAB>defaults" per option, sorted
	awk -v man="$2" -v on="$3" '
	function flush() { if (e != "") { d = ""; s = desc
		while (match(s, /\((default[^)]*|[0-9.]+)\)/)) { d = d " " substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH) }
		print e "\t" d } e = "" }
	man && /^[A-Z]/ { flush(); on = ($0 == "OPTIONS"); next }
	!on { next }
	(man && /^       -/) || (!man && /^  (-[a-zA-Z], )?--|^      --/) {
		flush(); line = $0; sub(/^ +/, "", line)
		match(line, /^(-[a-zA-Z], )?--[a-zA-Z-]+( [A-Z]+)?(, --[a-zA-Z-]+)*/)
		e = substr(line, 1, RLENGTH); desc = substr(line, RLENGTH + 1); next }
	{ desc = desc " " $0 }
	END { flush() }' "$1" | sort
}
./tg-train --help >"$tmp/help.txt"
entries "$tmp/help.txt" 0 1 >"$tmp/opts.help"
entries "$tmp/man.txt" 1 0 >"$tmp/opts.man"
check "the man page's OPTIONS are tg-train --help's ($(wc -l <"$tmp/opts.help") entries, same defaults)" \
	"$([ -s "$tmp/opts.help" ] && cmp -s "$tmp/opts.help" "$tmp/opts.man" && echo 1 || echo 0)"
cmp -s "$tmp/opts.help" "$tmp/opts.man" || diff "$tmp/opts.help" "$tmp/opts.man" | sed 's/^/     | /'

# --- 6. make install / make uninstall -------------------------------------------------------
stage=$tmp/stage
pre=/usr/local
$MAKE --no-print-directory install DESTDIR="$stage" PREFIX=$pre >"$tmp/install.log" 2>&1 && ok=1 || ok=0
check "make install DESTDIR=... PREFIX=$pre" "$ok"
[ "$ok" = 1 ] || show "$tmp/install.log"
(cd "$stage" && find . ! -type d -printf '%m %p\n' | sort) >"$tmp/installed"
cat >"$tmp/want" <<EOF
644 .$pre/lib/tg/tg.so
644 .$pre/share/man/man1/tg-train.1
644 .$pre/share/tg/genre.db
644 .$pre/share/tg/registry.sql
$(for f in sql/*.sql; do echo "644 .$pre/share/tg/${f#sql/}"; done)
755 .$pre/bin/tg-train
EOF
sort -o "$tmp/want" "$tmp/want"
check "it installs tg-train, tg.so, the man page, the model, sql/*.sql and registry.sql, with modes 755/644" \
	"$(cmp -s "$tmp/want" "$tmp/installed" && echo 1 || echo 0)"
cmp -s "$tmp/want" "$tmp/installed" || diff "$tmp/want" "$tmp/installed" | sed 's/^/     | /'
check "the installed tg-train --version runs" \
	"$([ "$("$stage$pre/bin/tg-train" --version 2>&1)" = "$(./tg-train --version)" ] && echo 1 || echo 0)"
got=$(sqlite3 -batch "$db" ".load $stage$pre/lib/tg/tg" "SELECT tg_version(), tg_predict('A ghost story') $in_labels" 2>&1)
check "the installed tg.so loads in sqlite3 and tags ($got)" \
	"$([ "$got" = "$(sq "SELECT tg_version()")|1" ] && echo 1 || echo 0)"
render "$stage$pre/share/man/man1/tg-train.1" >/dev/null 2>&1 && ok=1 || ok=0
check "the installed man page renders" "$([ "$ok" = 1 ] && [ ! -s "$tmp/man.err" ] && echo 1 || echo 0)"
$MAKE --no-print-directory uninstall DESTDIR="$stage" PREFIX=$pre >"$tmp/install.log" 2>&1 && ok=1 || ok=0
left=$(cd "$stage" && find . ! -type d | wc -l)
check "make uninstall removes them all ($left files left)" \
	"$([ "$ok" = 1 ] && [ "$left" = 0 ] && [ ! -d "$stage$pre/lib/tg" ] && [ ! -d "$stage$pre/share/tg" ] && echo 1 || echo 0)"
# Installed for real into a scratch PREFIX: the scripts and man page name its paths.
pre=$tmp/prefix
$MAKE --no-print-directory install PREFIX="$pre" >"$tmp/install.log" 2>&1 &&
	(cd "$tmp" && sqlite3 -batch -bail movies.db <"$pre/share/tg/demo.sql" >/dev/null 2>&1) &&
	grep -q "load $pre/lib/tg/tg\$" "$pre/share/tg/demo.sql" &&
	render "$pre/share/man/man1/tg-train.1" | grep -q "$pre/lib/tg/tg.so" && ok=1 || ok=0
check "installed in PREFIX=\$TMP: share/tg/demo.sql runs from anywhere, the man page names PREFIX" "$ok"
$MAKE --no-print-directory uninstall PREFIX="$pre" >/dev/null 2>&1
check "uninstalled from PREFIX=\$TMP" "$([ "$(find "$pre" ! -type d | wc -l)" = 0 ] && echo 1 || echo 0)"

# --- 7. sqlite-utils: query --load-extension --attach ----------------------------------
# The user's own table of films made above, no model in it; the shipped model attached.
if command -v sqlite-utils >/dev/null; then
	sqlite3 -batch "$films" ".load $root/tg" "ATTACH 'models/genre.db' AS tgm" \
		"SELECT title, tg_predict(overview) FROM films" -separator "$(printf '\t')" >"$tmp/su.want" 2>&1
	sh examples/sqlite_utils.sh "$films" "$root/tg.so" >"$tmp/su.json" 2>&1 && ok=1 || ok=0
	$PY -c 'import json, sys
for r in json.load(open(sys.argv[1])): print(r["title"], r["genre"], sep="\t")' "$tmp/su.json" \
		>"$tmp/su.genres" 2>&1 || ok=0
	check "sqlite_utils.sh: sqlite-utils $(sqlite-utils --version | sed 's/.* //') tags a user's films with models/genre.db attached" \
		"$([ "$ok" = 1 ] && [ "$(wc -l <"$tmp/su.want")" = 5 ] && cmp -s "$tmp/su.genres" "$tmp/su.want" && echo 1 || echo 0)"
	[ "$ok" = 1 ] || show "$tmp/su.json"
	sqlite3 "$tmp/nomodel.db" "VACUUM"
	sh examples/sqlite_utils.sh "$films" "$root/tg.so" "$tmp/nomodel.db" >/dev/null 2>"$tmp/su.err"; rc=$?
	check "sqlite_utils.sh with a model database that holds none: fails with tg's message" \
		"$([ $rc != 0 ] && grep -q 'tg: no model registry' "$tmp/su.err" && echo 1 || echo 0)"
else
	check "sqlite-utils is installed (Debian: sqlite-utils)" 0
fi

t_end
