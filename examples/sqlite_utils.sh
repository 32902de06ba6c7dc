#!/bin/sh
# tg from sqlite-utils (Debian's sqlite-utils 3.30): --load-extension loads tg.so into
# the connection it opens and --attach attaches the model, so the query is plain SQL
# over your own table.  Prints the first five films of DB's table films (title,
# overview) with their genre and tags, as JSON.
#   sh examples/sqlite_utils.sh DB [TG_SO [MODEL_DB]]
# TG_SO defaults to ./tg.so (give a path with a slash: ./tg.so, not tg.so, or SQLite
# looks in the system's library folders), MODEL_DB to the shipped models/genre.db.
# With the Python package:  sh examples/sqlite_utils.sh films.db \
#   "$(python3 -c 'import sqlite_tg; print(sqlite_tg.loadable_path())')" \
#   "$(python3 -c 'import sqlite_tg; print(sqlite_tg.model_path())')"
set -eu
db=${1:?usage: sh examples/sqlite_utils.sh DB [TG_SO [MODEL_DB]]}
so=${2:-./tg.so}
model=${3:-models/genre.db}
sqlite-utils query "$db" --load-extension "$so" --attach tgm "$model" \
	"SELECT title, tg_predict(overview) AS genre, tg_tags(overview) AS tags FROM films LIMIT 5"
