#!/bin/sh
# What tg outputs, as digests: trains on CSV with tg-train's defaults, then prints the
# sha256 of the stored blob and one md5 per SQL function over every film's overview in
# the trained database (tg_model() without its created_at).  A refactor that claims
# "outputs unchanged" compares this script's output before and after.
#   sh tests/realdata/digest.sh CSV [TG_TRAIN TG_SO]
set -eu
csv=$1 train=${2:-./tg-train} so=${3:-./tg.so}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-digest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM   # so that EXIT's cleanup runs when killed too
"$train" -q "$csv" "$tmp/t.db" >/dev/null
sqlite3 "$tmp/t.db" "SELECT writefile('$tmp/blob', model) FROM tg_models WHERE deployed" >/dev/null
echo "blob $(sha256sum "$tmp/blob" | cut -d ' ' -f 1)"
q() {
	printf '.load %s\n%s\n' "$so" "$2" | sqlite3 -batch -bail "$tmp/t.db" >"$tmp/out"
	echo "$(md5sum <"$tmp/out" | cut -d ' ' -f 1) $1 ($(wc -l <"$tmp/out") lines)"
}
films="FROM movies ORDER BY rowid"
q tg_predict "SELECT tg_predict(overview) $films;"
q tg_tags    "SELECT tg_tags(overview) $films;"
q tg_scores  "SELECT tg_scores(overview) $films;"
q tg_explain "SELECT tg_explain(overview, tg_predict(overview)) FROM movies WHERE tg_predict(overview) IS NOT NULL ORDER BY rowid;"
q tg_genres  "SELECT m.rowid, g.genre, g.score, g.tagged, g.rank FROM movies m, tg_genres(m.overview) g ORDER BY m.rowid, g.rank;"
q tg_model   "SELECT json_remove(tg_model(), '\$.created_at');"
