#!/bin/sh
# Where the shipped model came from, checked: retrains from CSV and VECTORS and compares the
# new blob with the one in models/genre.db, byte for byte, and the data
# fingerprints.  Exit 0 when they match.
#   sh models/check.sh CSV SHIPPED.db VECTORS
set -u
csv=$1 shipped=$2 vectors=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-modelcheck.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
sh models/build.sh "$csv" "$tmp/genre.db" "$vectors" >/dev/null || exit 1
digest() { sqlite3 "$1" "SELECT data_sha256, length(model), params ->> '\$.trainer' FROM tg_models WHERE deployed"; }
# sha256 of the blob itself, outside SQLite, so the comparison does not trust tg.
blob_sha() { sqlite3 "$1" "SELECT writefile('$tmp/blob', model) FROM tg_models WHERE deployed" >/dev/null &&
             sha256sum "$tmp/blob" | cut -d ' ' -f 1; }
want="$(digest "$shipped") $(blob_sha "$shipped")"
got="$(digest "$tmp/genre.db") $(blob_sha "$tmp/genre.db")"
echo "shipped:   $want"
echo "retrained: $got"
if [ "$want" = "$got" ]; then echo "model: the shipped blob is what tg-train makes from $csv"; exit 0; fi
echo "model: FAIL the shipped model differs from a retrain on $csv (run make model and commit it)"; exit 1
