#!/bin/sh
# make npm: the two npm packages as tarballs, made with `npm pack` from staged copies of
# the templates here, their version taken from VERSION.
#   sh packages/npm/build.sh OUT TG_SO MODEL_DB
# writes OUT/sqlite-tg-VERSION.tgz (index.*, genre.db) and
# OUT/sqlite-tg-linux-x64-VERSION.tgz (tg.so), and removes older ones, so that
# `npm install build/packages/sqlite-tg-*.tgz` installs this pair.
set -eu
out=$1 so=$2 model=$3
version=$(cat VERSION)
stage=$out/npm
rm -rf "$stage" && mkdir -p "$stage"
for pkg in sqlite-tg sqlite-tg-linux-x64; do
	mkdir "$stage/$pkg"
	for f in packages/npm/$pkg/*; do
		case $f in
		*/package.json.in) sed "s/@VERSION@/$version/g" "$f" >"$stage/$pkg/package.json" ;;
		*) cp "$f" "$stage/$pkg/" ;;
		esac
	done
	cp LICENSE "$stage/$pkg/"
done
cp "$model" "$stage/sqlite-tg/genre.db"
cp "$so" "$stage/sqlite-tg-linux-x64/tg.so"
rm -f "$out"/sqlite-tg-*.tgz
for pkg in sqlite-tg sqlite-tg-linux-x64; do
	npm pack --silent --pack-destination "$out" "./$stage/$pkg" >/dev/null
	echo "npm: $out/$pkg-$version.tgz"
done
