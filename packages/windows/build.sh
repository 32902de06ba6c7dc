#!/bin/sh
# make winzip: tg for Windows x64 as a zip: tg.dll, the model, README.txt, LICENSE.txt.
#   sh packages/windows/build.sh OUT TG_DLL MODEL_DB
# writes OUT/tg-VERSION-win64.zip, its entries dated SOURCE_DATE_EPOCH (packages.mk sets
# it) so that the same commit gives the same bytes; text files with Windows line ends.
set -eu
out=$1 dll=$2 model=$3
version=$(cat VERSION)
: "${SOURCE_DATE_EPOCH:?the build date, in seconds since 1970}"
stage=$out/windows/tg-$version-win64
rm -rf "$out/windows" && mkdir -p "$stage"
cp "$dll" "$stage/tg.dll"
cp "$model" "$stage/genre.db"
sed "s/@VERSION@/$version/" packages/windows/README.txt | sed 's/$/\r/' >"$stage/README.txt"
sed 's/$/\r/' LICENSE >"$stage/LICENSE.txt"
touch -d "@$SOURCE_DATE_EPOCH" "$stage" "$stage"/*
zip=$(pwd)/$out/tg-$version-win64.zip
rm -f "$out"/tg-*-win64.zip
(cd "$out/windows" && TZ=UTC zip -q -X -D "$zip" "tg-$version-win64/README.txt" "tg-$version-win64/LICENSE.txt" \
	"tg-$version-win64/tg.dll" "tg-$version-win64/genre.db")
echo "winzip: $out/tg-$version-win64.zip"
