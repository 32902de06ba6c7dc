#!/bin/sh
# make demo.  With data/movies_metadata.csv: train on it into demo.db and tour the SQL
# functions (sql/demo.sql).  Without it: your own database, the way most users start
# -- demo.db with a table of films and no model -- tagged by the shipped model
# (models/genre.db, trained on the real file), attached read-only (sql/demo_shipped.sql).
# Training is shown too, on the synthetic sample, as a toy.
set -eu
cd "$(dirname "$0")/.."
MODEL=${TG_MODEL_DB:-models/genre.db}
CSV=${TG_DEMO_CSV:-data/movies_metadata.csv}   # tests point these elsewhere
DB=${TG_DEMO_DB:-demo.db}
if [ -r "$CSV" ]; then
	./tg-train "$CSV" "$DB"
	sqlite3 "$DB" <sql/demo.sql
	exit
fi
echo "tg: no data/movies_metadata.csv, so: the shipped model ($MODEL) tags the sample's films."
echo "tg: first a toy, to show training: tg-train on data/sample_movies.csv (800 invented films)."
mkdir -p build/demo
rm -f build/demo/toy.db "$DB"
./tg-train -q data/sample_movies.csv build/demo/toy.db
sqlite3 build/demo/toy.db "SELECT 'toy model ' || id || ': test micro-F1 ' || round(metrics ->> '\$.test.micro_f1', 3)
                                  || ' on invented films (synthetic, not a real model)' FROM tg_models WHERE deployed"
# demo.db: a user's database -- films, no registry.
sqlite3 "$DB" "ATTACH 'build/demo/toy.db' AS toy;
                 CREATE TABLE films AS SELECT id, title, overview, genres FROM toy.movies ORDER BY id"
echo "tg: $DB has table films (title, overview) and no model; sql/demo_shipped.sql attaches $MODEL:"
sed "s|models/genre\.db|$MODEL|" sql/demo_shipped.sql | sqlite3 -bail "$DB"
