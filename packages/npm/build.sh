#!/bin/sh
# make npm: the npm packages as tarballs, made with `npm pack` from staged copies of the
# templates here, their version taken from VERSION: sqlite-tg (index.*, genre.db) and
# one sqlite-tg-PLATFORM per built library, from the one template sqlite-tg-platform/.
#   sh packages/npm/build.sh OUT MODEL_DB PLATFORM=LIBRARY...
#   (PLATFORM: Node's process.platform-process.arch, e.g. linux-x64=build/packages/bin/tg.so)
# writes OUT/sqlite-tg-VERSION.tgz and OUT/sqlite-tg-PLATFORM-VERSION.tgz, and removes
# older ones; `npm install` of sqlite-tg-VERSION.tgz with the platform tarball of the
# machine installs the pair.
set -eu
out=$1 model=$2
shift 2
version=$(cat VERSION)
stage=$out/npm
rm -rf "$stage" && mkdir -p "$stage/sqlite-tg"
sed "s/@VERSION@/$version/g" packages/npm/sqlite-tg/package.json.in >"$stage/sqlite-tg/package.json"
cp packages/npm/sqlite-tg/index.* packages/npm/sqlite-tg/README.md LICENSE "$stage/sqlite-tg/"
cp "$model" "$stage/sqlite-tg/genre.db"
rm -f "$out"/sqlite-tg-*.tgz
pkgs=sqlite-tg
for spec; do
	key=${spec%%=*} lib=${spec#*=}
	# npm's os, cpu and libc fields (libc only where there is a choice), the README's words.
	case $key in
	linux-x64) os=linux cpu=x64 libc=glibc desc="Linux on x86-64 with glibc" ;;
	linux-arm64) os=linux cpu=arm64 libc=glibc desc="Linux on arm64 (aarch64) with glibc" ;;
	win32-x64) os=win32 cpu=x64 libc="" desc="Windows on x64" ;;
	*) echo "tg: packages/npm/build.sh: no npm platform $key" >&2; exit 1 ;;
	esac
	dir=$stage/sqlite-tg-$key file=$(basename "$lib")
	mkdir "$dir"
	for f in package.json README.md; do
		sed -e "s/@VERSION@/$version/g" -e "s/@PLATFORM@/$key/g" -e "s/@OS@/$os/g" -e "s/@CPU@/$cpu/g" \
		    -e "s/@LIB@/$file/g" -e "s/@DESC@/$desc/g" \
		    -e "s/@LIBC@/${libc:+\n  \"libc\": [\"$libc\"],}/" "packages/npm/sqlite-tg-platform/$f.in" >"$dir/$f"
	done
	cp LICENSE "$dir/" && cp "$lib" "$dir/$file"
	pkgs="$pkgs sqlite-tg-$key"
done
for pkg in $pkgs; do
	npm pack --silent --pack-destination "$out" "./$stage/$pkg" >/dev/null
	echo "npm: $out/$pkg-$version.tgz"
done
