#!/bin/sh
# tg from sqlite-utils (Debian's sqlite-utils 3.30): its --load-extension loads tg.so
# into the connection it opens, and the query is plain SQL.  Prints the first five films
# of DB's test split with their genre and tags, as JSON.
#   sh examples/sqlite_utils.sh DB [TG_SO]
# TG_SO defaults to ./tg.so; give a path with a slash (./tg.so, not tg.so), or SQLite
# looks for the file in the system's library folders instead.  With the Python package:
#   TG_SO=$(python3 -c 'import sqlite_tg; print(sqlite_tg.loadable_path())')
set -eu
db=${1:?usage: sh examples/sqlite_utils.sh DB [TG_SO]}
so=${2:-./tg.so}
sqlite-utils query "$db" --load-extension "$so" \
	"SELECT title, tg_predict(overview) AS genre, tg_tags(overview) AS tags FROM movies
	 WHERE split = 'test' AND trim(overview) <> '' ORDER BY id LIMIT 5"
