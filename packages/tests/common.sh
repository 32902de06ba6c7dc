# What the package install tests share, sourced after tests/lib.sh from the project root:
# the user's database they tag, the answers they must give (computed by the sqlite3 shell
# with the packages' own tg.so), and the counting of a checker program's output.
pkg_version=$(cat VERSION)
TG_MODEL_DB=${TG_MODEL_DB:-models/genre.db}
films_query="SELECT title, tg_predict(overview) FROM films ORDER BY title"

sqlite_built=$(pkg-config --modversion sqlite3)

# films_db DB: a user's database, no model in it: packages/tests/films.sql's films.
films_db() {
	sqlite3 -batch "$1" <packages/tests/films.sql
}

# films_expected SO DB MODEL OUT: OUT gets "title|genre" per film, as the sqlite3 shell
# tags them with SO and MODEL attached; checked to give every film a genre.
films_expected() {
	sqlite3 -batch "$2" ".load $1" "ATTACH '$3' AS tgm" "$films_query" >"$4" 2>&1
	check "the sqlite3 shell with $1 gives each film a genre (the answers to match)" \
		"$(awk -F '|' -v n="$(sqlite3 "$2" 'SELECT count(*) FROM films')" '$2 == "" { bad = 1 }
		   END { exit bad || NR != n || n == 0 }' "$4" && echo 1 || echo 0)"
}

# show FILE: its last lines, indented under the check they explain.
show() { sed 's/^/     | /' "$1" | tail -n 20; }

# tally OUT STATUS NAME: the "ok"/"FAIL" lines a checker program (NAME) wrote to OUT,
# printed and counted, its other output indented; a failing STATUS without a FAIL line
# counts as one failure.
tally() {
	grep -v '^ok  \|^FAIL' "$1" | sed 's/^/     | /'
	grep '^ok  \|^FAIL' "$1"
	pass=$((pass + $(grep -c '^ok  ' "$1"))) fail=$((fail + $(grep -c '^FAIL' "$1")))
	[ "$2" = 0 ] || grep -q '^FAIL' "$1" || check "$3 exits 0 (status $2)" 0
}
