#!/bin/sh
# make wheel: the sqlite-tg wheel, built offline from a staged copy of packages/python
# with VERSION, LICENSE, tg.so and the model.
#   sh packages/python/build.sh OUT TG_SO MODEL_DB
# writes OUT/sqlite_tg-VERSION-py3-none-linux_x86_64.whl.
set -eu
out=$1 so=$2 model=$3
stage=$out/python
rm -rf "$stage" && mkdir -p "$stage"
cp -r packages/python/pyproject.toml packages/python/setup.py packages/python/README.md \
	packages/python/sqlite_tg VERSION LICENSE "$stage/"
cp "$so" "$stage/sqlite_tg/tg.so"
cp "$model" "$stage/sqlite_tg/genre.db"
rm -f "$out"/sqlite_tg-*.whl
/usr/bin/python3 -m pip wheel --quiet --no-build-isolation --no-index --no-deps -w "$out" "$stage"
echo "wheel: $(ls "$out"/sqlite_tg-*.whl)"
