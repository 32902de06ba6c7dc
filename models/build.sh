#!/bin/sh
# make model: the shipped model database, rebuilt from a movies_metadata.csv and the
# pinned word vectors (make vectors).
#   sh models/build.sh CSV OUT.db VECTORS
# Trains on titles and overviews (--inputs title,overview), every word of the films
# (--min-df 1), one threshold for every genre (--thresholds shared) and the word
# vectors (--vectors; tg-train's defaults otherwise) into a
# scratch database, then copies the deployed
# model (blob, params, metrics, data fingerprint) into OUT.db, a registry with no
# film text in it: that is what ships as models/genre.db.  Training is
# deterministic, so the blob is the same bytes on every machine (models/check.sh).
set -eu
[ $# -eq 3 ] || { echo "usage: sh models/build.sh CSV OUT.db VECTORS" >&2; exit 2; }
csv=$1 out=$2 vectors=$3
[ -r "$csv" ] || { echo "tg: make model needs $csv (the Kaggle movies_metadata.csv); put your copy there" >&2; exit 1; }
[ -r "$vectors" ] || { echo "tg: make model needs the word vectors $vectors (make vectors)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-model.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
./tg-train -q --inputs title,overview --min-df 1 --vectors "$vectors" --thresholds shared "$csv" "$tmp/train.db"
./tg-train -q import "$tmp/train.db" "$tmp/genre.db"
sqlite3 "$tmp/genre.db" "VACUUM"
mv "$tmp/genre.db" "$out"
sqlite3 "$out" "SELECT 'tg: ' || '$out' || ': model ' || id || ', data ' || substr(data_sha256, 1, 12) ||
                       ', ' || (params ->> '\$.trainer') || ', test P@1 ' || round(metrics ->> '\$.test.p_at_1', 4) ||
                       ', micro-F1 ' || round(metrics ->> '\$.test.micro_f1', 4)
                FROM tg_models WHERE deployed"
