#!/bin/sh
# make cross-test: the packages of the platforms this machine does not run natively,
# installed from their files and run here on held-out films (data/sample_movies.csv, ids
# divisible by 10), whose tg_predict, tg_tags, tg_scores and tg_explain (Drama) must be exactly
# the native build's (the sqlite3 shell with build/packages/bin/tg.so):
#   - Linux x86-64, plain C (-DTG_NO_SIMD, build/portable/tg.so), the path that arm64
#     and processors without SSE2 take;
#   - Linux arm64: the npm package (npm install --os linux --cpu arm64) and the wheel
#     (pip install --platform), the library that getLoadablePath() and loadable_path()
#     pick, run by build/cross/aarch64/tg-run (arm64's libsqlite3) under qemu-user;
#     the arm64 .debs' tg.so and tg-train (lintian, unpacked, under qemu-user);
#   - Windows x64: the npm package, the wheel and the zip, their tg.dll run by
#     build/cross/win64/tg-run.exe (SQLite from Debian's source) under Wine;
#   - each Linux wheel's tag against the glibc its library needs (packages/glibc-audit.sh:
#     the symbol audit alone, no container of an older distribution);
#   - no artifact over 2 MB.
#   sh packages/tests/cross.sh [OUT]     (OUT: build/packages)
# Wine keeps its prefix in OUT/wine (made on the first run: its time is printed).
set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
out=$root/${1:-build/packages}
. tests/lib.sh
. packages/tests/common.sh
t_begin cross-platform
v=$pkg_version model=$root/$TG_MODEL_DB
arm_run=$root/build/cross/aarch64/tg-run win_run=$root/build/cross/win64/tg-run.exe
query="SELECT id, tg_predict(overview), tg_tags(overview), tg_scores(overview),
       tg_explain(overview, 'Drama') FROM films ORDER BY id"
export WINEPREFIX=$out/wine WINEDEBUG=-all
# Wine sees the Linux root as drive Z:.
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

sqlite3 -batch "$tmp/films.db" ".import --csv data/sample_movies.csv movies" \
	"CREATE TABLE films AS SELECT CAST(id AS INTEGER) AS id, overview FROM movies WHERE CAST(id AS INTEGER) % 10 = 0" \
	"DROP TABLE movies"
n=$(sqlite3 "$tmp/films.db" 'SELECT count(*) FROM films')
sqlite3 -batch "$tmp/films.db" ".load $out/bin/tg.so" "ATTACH '$model' AS tgm" "$query" >"$tmp/expected" 2>&1
check "native: $n held-out sample films tagged by the sqlite3 shell with build/packages/bin/tg.so ($(sqlite3 :memory: ".load $out/bin/tg.so" 'SELECT tg_debug()' | sed -n 's/^simd: //p'))" \
	"$([ "$n" -gt 0 ] && [ "$(grep -c '^[0-9]*|' "$tmp/expected")" = "$n" ] && echo 1 || echo 0)"

# same WHAT OUTPUT: OUTPUT is the native answers, byte for byte.
same() {
	cmp -s "$tmp/expected" "$2" && ok=1 || ok=0
	check "$1: the same $n answers as native" "$ok"
	[ "$ok" = 1 ] || { diff "$tmp/expected" "$2" | head -n 6 | cut -c 1-160 | sed 's/^/     | /'; }
}
# debug_says WHAT OUTPUT LINE...: tg_debug()'s output holds each LINE.
debug_says() {
	what=$1 file=$2 ok=1
	shift 2
	for line; do grep -qx "$line" "$file" || ok=0; done
	check "$what: tg_debug() says $(echo "$@" | sed 's/ \([a-z ]*:\)/, \1/g') ($(grep '^simd: ' "$file"))" "$ok"
	[ "$ok" = 1 ] || show "$file"
}

# Plain C on x86-64.
sqlite3 -batch "$tmp/films.db" ".load $root/build/portable/tg" "ATTACH '$model' AS tgm" "$query" >"$tmp/portable" 2>&1
same "x86-64 plain C (build/portable/tg.so, -DTG_NO_SIMD)" "$tmp/portable"

# The glibc audit of each Linux wheel: its tag covers the library it holds.
for w in "$out"/sqlite_tg-"$v"-py3-none-manylinux_*.whl; do
	tag=$(basename "$w" .whl | sed 's/.*-py3-none-//')
	rm -rf "$tmp/audit" && unzip -q -d "$tmp/audit" "$w" sqlite_tg/tg.so
	sh packages/glibc-audit.sh "$tmp/audit/sqlite_tg/tg.so" "$tag" >"$tmp/audit.out" 2>&1 && ok=1 || ok=0
	check "$(basename "$w"): $(sed 's/^tg: //; s|/.*/sqlite_tg/|the wheel'"'"'s sqlite_tg/|' "$tmp/audit.out")" "$ok"
done
check "the wheels are for x86_64 and aarch64 (manylinux) and win_amd64" \
	"$(ls "$out"/sqlite_tg-"$v"-py3-none-*.whl | sed 's/.*-py3-none-//' | sed 's/manylinux_2_[0-9]*_//' |
	   LC_ALL=C sort | tr '\n' ' ' | grep -qx 'aarch64.whl win_amd64.whl x86_64.whl ' && echo 1 || echo 0)"

# npm_for PLATFORM: sqlite-tg installed by npm for PLATFORM (--os, --cpu) into a fresh
# project whose overrides point the optional platform packages at their tarballs, so
# that npm itself picks the one for PLATFORM; prints the library and model paths
# sqlite-tg gives there.
npm_for() {
	proj=$tmp/npm-$1
	mkdir "$proj" && {
		printf '{ "name": "tg-cross-test", "private": true, "overrides": {'
		for p in linux-x64 linux-arm64 win32-x64; do
			printf '%s "sqlite-tg-%s": "file:%s"' "$([ $p = linux-x64 ] || echo ,)" $p "$out/sqlite-tg-$p-$v.tgz"
		done
		echo ' } }'; } >"$proj/package.json"
	(cd "$proj" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL npm --no-audit --no-fund install --offline \
		--os="${1%-*}" --cpu="${1#*-}" "$out/sqlite-tg-$v.tgz") >"$tmp/npm.log" 2>&1 &&
	check "npm install --os=${1%-*} --cpu=${1#*-} installs sqlite-tg and no platform package but sqlite-tg-$1" \
		"$(ls "$proj/node_modules" | tr '\n' ' ' | grep -qx "sqlite-tg sqlite-tg-$1 " && echo 1 || echo 0)" >&2 &&
	(cd "$proj" && TG_PLATFORM=$1 node --require "$root/packages/tests/npm/platform.cjs" \
		-e 'const tg = require("sqlite-tg"); console.log(tg.getLoadablePath()); console.log(tg.getModelPath())')
}
# pip_for TAG: the wheel for TAG installed by pip for that platform into a folder; prints
# the library and model paths sqlite_tg gives there (on sys.platform PLATFORM).
pip_for() {
	/usr/bin/python3 -m pip install --quiet --no-index --no-deps --disable-pip-version-check --only-binary=:all: \
		--platform "$1" --target "$tmp/pip-$1" "$(ls "$out"/sqlite_tg-"$v"-py3-none-"$1".whl)" >"$tmp/pip.log" 2>&1 &&
	/usr/bin/python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); sys.platform = sys.argv[2]
import sqlite_tg; print(sqlite_tg.loadable_path()); print(sqlite_tg.model_path())' "$tmp/pip-$1" "$2"
}
# installed WHAT PATHS LIBRARY-SUFFIX: the install worked and gave the library and model.
installed() {
	lib=$(sed -n 1p "$2") db=$(sed -n 2p "$2")
	check "$1 installs; it gives ${lib#$tmp/}" \
		"$(case $lib in *"$3") [ -f "$lib" ] && cmp -s "$db" "$model" && echo 1 || echo 0 ;; *) echo 0 ;; esac)"
	[ -n "$lib" ] || { show "$tmp/npm.log"; show "$2"; }
}

# npm_and_wheel RUN NPM_PLATFORM LIBRARY WHEEL_TAG PIP_PLATFORM WHERE DEBUG_LINE...: one
# platform's npm package and wheel, each run by the function RUN: it installs, its LIBRARY
# says in tg_debug() where it runs, and it tags the films as the native build does.
npm_and_wheel() {
	run=$1 platform=$2 library=$3 wheel_tag=$4 pip_platform=$5 where=$6
	shift 6
	npm_for "$platform" >"$tmp/paths"
	installed "npm sqlite-tg-$platform" "$tmp/paths" "/sqlite-tg-$platform/$library"
	$run "$lib" "$db" 'SELECT tg_debug()' >"$tmp/debug" 2>&1
	debug_says "$where" "$tmp/debug" "$@"
	$run "$lib" "$db" "$query" >"$tmp/got" 2>&1
	same "npm sqlite-tg-$platform's $library, $where" "$tmp/got"
	pip_for "$wheel_tag" "$pip_platform" >"$tmp/paths" 2>&1
	installed "the $wheel_tag wheel (pip install --platform $wheel_tag)" "$tmp/paths" "/sqlite_tg/$library"
	$run "$lib" "$db" "$query" >"$tmp/got" 2>&1
	same "the $wheel_tag wheel's $library, $where" "$tmp/got"
}

# Linux arm64, under qemu-user with arm64's libraries from multiarch.
arm() { qemu-aarch64 "$arm_run" "$tmp/films.db" "$1" "$2" "$3"; }
arm_tag=$(ls "$out"/sqlite_tg-"$v"-py3-none-manylinux_*_aarch64.whl | sed 's/.*-py3-none-//; s/\.whl$//')
npm_and_wheel arm linux-arm64 tg.so "$arm_tag" linux "arm64 under qemu-user" "platform: linux/aarch64" \
	"simd: portable C"

# The arm64 .debs: lintian, then unpacked (dpkg-deb -x; installing them would replace
# the amd64 ones): the runtime's tg.so and model tag the films, the trainer trains the
# sample under qemu-user, giving the native trainer's model blob.
rdeb=$out/libsqlite3-mod-tg_$v-1_arm64.deb tdeb=$out/tg-train_$v-1_arm64.deb
lintian -I -E --pedantic "$rdeb" "$tdeb" 2>/dev/null | grep -v ' initial-upload-closes-no-bugs ' >"$tmp/lintian"
check "arm64 .debs: lintian finds nothing but initial-upload-closes-no-bugs" "$([ ! -s "$tmp/lintian" ] && echo 1 || echo 0)"
show "$tmp/lintian"
check "arm64 .debs: Architecture arm64; the runtime depends on $(dpkg-deb -f "$rdeb" Depends)" \
	"$([ "$(dpkg-deb -f "$rdeb" Architecture)$(dpkg-deb -f "$tdeb" Architecture)" = arm64arm64 ] &&
	   dpkg-deb -f "$tdeb" Depends | grep -q "libsqlite3-mod-tg (= $v-1)" && echo 1 || echo 0)"
dpkg-deb -x "$rdeb" "$tmp/deb" && dpkg-deb -x "$tdeb" "$tmp/deb"
arm "$tmp/deb/usr/lib/aarch64-linux-gnu/tg/tg.so" "$tmp/deb/usr/share/tg/genre.db" "$query" >"$tmp/got" 2>&1
same "arm64 .deb's tg.so and genre.db, under qemu-aarch64" "$tmp/got"
(cd "$tmp" && qemu-aarch64 "$tmp/deb/usr/bin/tg-train" -q "$root/data/sample_movies.csv" arm-movies.db) \
	>"$tmp/train.out" 2>&1 && ok=1 || ok=0
genre=$(arm "$tmp/deb/usr/lib/aarch64-linux-gnu/tg/tg.so" "$tmp/arm-movies.db" \
	"SELECT tg_predict('A ghost haunts a family in an old house.')" 2>&1)
check "arm64 .deb's tg-train trains the sample under qemu-aarch64; its model tags a ghost story: $genre" \
	"$([ "$ok" = 1 ] && [ -n "$genre" ] && echo 1 || echo 0)"
[ "$ok" = 1 ] || show "$tmp/train.out"
(cd "$tmp" && "$out/bin/tg-train" -q "$root/data/sample_movies.csv" movies.db) >"$tmp/train.out" 2>&1
blob="SELECT hex(sha3(model)) FROM tg_models ORDER BY id"
check "that model's blob is the native tg-train's, byte for byte" \
	"$([ -n "$(sqlite3 "$tmp/movies.db" "$blob")" ] &&
	   [ "$(sqlite3 "$tmp/movies.db" "$blob")" = "$(sqlite3 "$tmp/arm-movies.db" "$blob" 2>&1)" ] && echo 1 || echo 0)"

# Windows x64, under Wine.
if [ ! -d "$WINEPREFIX" ]; then
	start=$(date +%s)
	wine "$win_run" >/dev/null 2>&1
	echo "     (Wine made its prefix $WINEPREFIX in $(($(date +%s) - start)) s)"
fi
win() { wine "$win_run" "$(winpath "$tmp/films.db")" "$(winpath "$1")" "$(winpath "$2")" "$3"; }
npm_and_wheel win win32-x64 tg.dll win_amd64 win32 "Windows x64 under Wine" "platform: windows/x86_64" \
	"sqlite running: $sqlite_built"
zip=$out/tg-$v-win64.zip
unzip -q -d "$tmp/zip" "$zip" && ok=1 || ok=0
check "$(basename "$zip") unpacks: $(cd "$tmp/zip" && find . -type f | sed 's|^\./[^/]*/||' | LC_ALL=C sort | tr '\n' ' ')" \
	"$([ "$ok" = 1 ] && [ -f "$tmp/zip/tg-$v-win64/README.txt" ] && echo 1 || echo 0)"
win "$tmp/zip/tg-$v-win64/tg.dll" "$tmp/zip/tg-$v-win64/genre.db" "$query" >"$tmp/got" 2>&1
same "Windows zip's tg.dll and genre.db, under Wine" "$tmp/got"

# No artifact over 2 MB.
big=$(find "$out" -maxdepth 1 -type f \( -name '*.tgz' -o -name '*.whl' -o -name '*.zip' -o -name '*.deb' \) \
	-size +2048k -printf '%f ')
check "no package over 2 MB (largest: $(find "$out" -maxdepth 1 -type f \( -name '*.tgz' -o -name '*.whl' -o \
	-name '*.zip' -o -name '*.deb' \) -printf '%s %f\n' | sort -n | tail -n 1 | awk '{ printf "%s, %d KB", $2, $1 / 1024 }'))" \
	"$([ -z "$big" ] && echo 1 || echo 0)"
t_end
