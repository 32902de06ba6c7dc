# What the package install tests share, sourced after tests/lib.sh from the project root:
# the user's database they tag and the answers they must give, computed by the sqlite3
# shell with the packages' own tg.so.
pkg_version=$(cat VERSION)
TG_MODEL_DB=${TG_MODEL_DB:-models/genre.db}
films_query="SELECT title, tg_predict(overview) FROM films ORDER BY title"

# films_db DB MODEL: a user's database DB holding packages/tests/films.sql's films; while
# tg reads its model from the main schema only, the model's registry is copied in first.
films_db() {
	cp "$2" "$1" && sqlite3 -batch "$1" <packages/tests/films.sql
}

# films_expected SO DB OUT: OUT gets "title|genre" per film, as the sqlite3 shell tags
# them with SO; checked to give every film a genre.
films_expected() {
	sqlite3 -batch "$2" ".load $1" "$films_query" >"$3" 2>&1
	check "the sqlite3 shell with $1 gives each film a genre (the answers to match)" \
		"$(awk -F '|' -v n="$(sqlite3 "$2" 'SELECT count(*) FROM films')" '$2 == "" { bad = 1 }
		   END { exit bad || NR != n || n == 0 }' "$3" && echo 1 || echo 0)"
}
