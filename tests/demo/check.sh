#!/bin/sh
# make demo's path, checked: train on the shipped sample into a fresh database, run
# sql/demo.sql, and require every query to answer without error and the tagged
# genres to be genres of the sample.
set -eu
cd "$(dirname "$0")/../.."
. tests/lib.sh
t_begin demo
./tg-train -q data/sample_movies.csv "$tmp/demo.db" && ok=1 || ok=0
check "tg-train trains on the sample" $ok
sqlite3 -batch -bail "$tmp/demo.db" <sql/demo.sql >"$tmp/out" 2>"$tmp/err" && ok=1 || ok=0
check "sql/demo.sql runs without error" "$([ $ok = 1 ] && [ ! -s "$tmp/err" ] && echo 1 || echo 0)"
[ -s "$tmp/err" ] && cat "$tmp/err"
n=$(sqlite3 -batch "$tmp/demo.db" ".load ./tg" "SELECT count(*) FROM movies WHERE tg_predict(overview) IN (SELECT value FROM json_each(json_extract(tg_model(), '\$.labels')))")
total=$(sqlite3 -batch "$tmp/demo.db" "SELECT count(*) FROM movies WHERE trim(overview) <> ''")
check "every non-empty overview gets one of the model's genres ($n of $total)" "$([ "$n" = "$total" ] && echo 1 || echo 0)"
./tg-train data/sample_movies.csv "$tmp/demo.db" >"$tmp/again" && grep -q "not training again" "$tmp/again" && ok=1 || ok=0
check "a second run on the same data reuses the model" $ok
sqlite3 -batch -bail "$tmp/demo.db" <sql/tag_movies.sql >/dev/null 2>"$tmp/err" && ok=1 || ok=0
tagged=$(sqlite3 -batch "$tmp/demo.db" "SELECT count(*) FROM movie_tags WHERE genre IS NOT NULL")
check "sql/tag_movies.sql stores a genre for every film with an overview ($tagged of $total)" \
	"$([ $ok = 1 ] && [ "$tagged" = "$total" ] && echo 1 || echo 0)"
# The newcomer's demo (no data/movies_metadata.csv): the sample's films in a database
# with no registry, tagged through the shipped model attached read-only.
TG_DEMO_CSV=/nonexistent TG_DEMO_DB="$tmp/shipped.db" sh sql/demo.sh >"$tmp/shipped.out" 2>"$tmp/err" && ok=1 || ok=0
check "make demo without the Kaggle file runs without error" "$([ $ok = 1 ] && [ ! -s "$tmp/err" ] && echo 1 || echo 0)"
[ -s "$tmp/err" ] && cat "$tmp/err"
check "it says the training shown is a toy" "$(grep -q 'synthetic, not a real model' "$tmp/shipped.out" && echo 1 || echo 0)"
row=$(sqlite3 -batch "$tmp/shipped.db" ".load ./tg" "ATTACH 'file:models/genre.db?mode=ro' AS tgm" \
	"SELECT (SELECT count(*) FROM sqlite_master WHERE name = 'tg_models'), tg_model() ->> '\$.schema',
	        count(*) = count(tg_predict(overview)) FROM films WHERE trim(overview) <> ''")
check "its database has no registry and every film is tagged by the attached model ($row)" \
	"$([ "$row" = "0|tgm|1" ] && echo 1 || echo 0)"
t_end
