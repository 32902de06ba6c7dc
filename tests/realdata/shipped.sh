#!/bin/sh
# The shipped model as a newcomer meets it: a new database of their own with a table
# of real overviews and no registry, models/genre.db attached read-only, plain
# tg_predict / tg_tags.  Measured on the test split of CSV through SQL
# (quality.sql), with floors on P@1 and micro-F1; the figures must also equal the
# ones the shipped model's registry row reports (same file, same split, same scorer).
# Usage: sh tests/realdata/shipped.sh CSV MIN_P_AT_1 MIN_MICRO_F1 [MODEL.db]
set -eu
cd "$(dirname "$0")/../.."
csv=$1 min_p1=$2 min_micro=$3 model=${4:-models/genre.db}
[ -r "$csv" ] || { echo "shipped: $csv not found" >&2; exit 2; }
. tests/lib.sh
. tests/realdata/lib.sh
t_begin shipped
# tg-train reads the CSV (its own model is not used: only the films are kept).
./tg-train -q --deploy never "$csv" "$tmp/read.db"
sqlite3 "$tmp/films.db" "ATTACH '$tmp/read.db' AS r; CREATE TABLE movies AS SELECT id, title, overview, genres FROM r.movies"
check "the user's database has films and no registry" \
	"$(sqlite3 "$tmp/films.db" "SELECT count(*) > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'tg_models') FROM movies")"
{ echo ".load ./tg"; echo "ATTACH '$(ro_uri "$model")' AS tgm;"; cat tests/realdata/quality.sql; } |
	sqlite3 -batch -bail "$tmp/films.db" >"$tmp/quality"
sql=$(sed -n 1p "$tmp/quality")
shipped=$(registry_test_figures "$model")
echo "shipped: through SQL, attached  films|P@1|micro-F1|macro-F1 = $sql"
echo "shipped: the model's registry row films|P@1|micro-F1|macro-F1 = $shipped"
check "SQL figures equal the shipped model's own" "$([ "$sql" = "$shipped" ] && echo 1 || echo 0)"
check "P@1 >= $min_p1 and micro-F1 >= $min_micro" \
	"$(echo "$sql" | awk -F'|' -v p="$min_p1" -v mi="$min_micro" '{ print ($2 >= p && $3 >= mi) }')"
where=$(sqlite3 -batch "$tmp/films.db" ".load ./tg" "ATTACH '$(ro_uri "$model")' AS tgm" \
	"SELECT tg_model() ->> '\$.schema', count(tg_predict(overview)) > 0 FROM movies")
check "the model in use comes from the attached schema ($where)" "$([ "$where" = "tgm|1" ] && echo 1 || echo 0)"
t_end
