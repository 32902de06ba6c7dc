#!/bin/sh
# make npm-test: the npm tarballs installed offline into a fresh project and used there
# with better-sqlite3 and libsql, from CommonJS, ES modules and TypeScript; then what a
# user sees when the platform package is missing or a bundler rewrote its path.
#   sh packages/tests/npm.sh [OUT]     (OUT: where make npm put the tarballs)
# The drivers (packages/tests/npm/drivers.json) come from the npm registry once, into
# OUT/npm-drivers (better-sqlite3 builds from source where its prebuilt binary is out of
# reach: a minute); each run's fresh project is made inside that folder, so that Node
# finds the drivers in the parent's node_modules while sqlite-tg is the project's own.
set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
out=$root/${1:-build/packages}
drivers=$out/npm-drivers
mkdir -p "$drivers"
TMPDIR=$drivers
. tests/lib.sh
. packages/tests/common.sh
t_begin npm-packages
npm_q() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL npm --no-audit --no-fund "$@"; }
main=$out/sqlite-tg-$pkg_version.tgz platform=$out/sqlite-tg-linux-x64-$pkg_version.tgz

drivers_ok() {
	cmp -s packages/tests/npm/drivers.json "$drivers/package.json" &&
		(cd "$drivers" && node -e 'new (require("better-sqlite3"))(":memory:"); require("libsql")') >/dev/null 2>&1
}
exec 9>"$drivers/.lock"
flock 9
if ! drivers_ok; then
	echo "     (npm install in $drivers: better-sqlite3, libsql, typescript; the first time only)"
	rm -rf "$drivers/node_modules" "$drivers/package-lock.json"
	cp packages/tests/npm/drivers.json "$drivers/package.json"
	(cd "$drivers" && npm_q install) >"$tmp/drivers.log" 2>&1 || show "$tmp/drivers.log"
fi
exec 9>&-
check "better-sqlite3 and libsql load in node $(node --version)" "$(drivers_ok && echo 1 || echo 0)"

proj=$tmp/project
mkdir "$proj" && echo '{ "name": "tg-npm-install-test", "private": true }' >"$proj/package.json"
(cd "$proj" && npm_q install --offline "$main" "$platform") >"$tmp/install.log" 2>&1 && ok=1 || ok=0
check "npm install --offline of sqlite-tg-$pkg_version.tgz and sqlite-tg-linux-x64-$pkg_version.tgz" "$ok"
[ "$ok" = 1 ] || show "$tmp/install.log"
check "the installed genre.db is $TG_MODEL_DB" \
	"$(cmp -s "$proj/node_modules/sqlite-tg/genre.db" "$TG_MODEL_DB" && echo 1 || echo 0)"
cp packages/tests/npm/*.cjs packages/tests/npm/*.mjs packages/tests/npm/*.mts "$proj/"

films_db "$tmp/films.db"
films_expected "$out/bin/tg.so" "$tmp/films.db" "$TG_MODEL_DB" "$tmp/expected"
export TG_VERSION="$pkg_version" TG_FILMS="$tmp/films.db" TG_EXPECTED="$tmp/expected" TG_SQLITE_BUILT="$sqlite_built"
for f in check.cjs check.mjs; do
	(cd "$proj" && node $f) >"$tmp/node.out" 2>&1
	tally "$tmp/node.out" $? "node $f"
done
(cd "$proj" && "$drivers/node_modules/.bin/tsc" --noEmit --strict --module nodenext \
	--moduleResolution nodenext --types node types.mts) >"$tmp/tsc.out" 2>&1 && ok=1 || ok=0
check "index.d.ts: a TypeScript caller type-checks (tsc --strict)" "$ok"
[ "$ok" = 1 ] || show "$tmp/tsc.out"

# what_fails NAME PATTERN [id|path]: missing.cjs, under rewrite.cjs with a third argument,
# prints the same error twice, matching PATTERN.
what_fails() {
	if [ $# = 3 ]; then set -- "$1" "$2" env TG_REWRITE="$3" node --require ./rewrite.cjs
	else set -- "$1" "$2" node; fi
	(cd "$proj" && shift 2 && "$@" missing.cjs) >"$tmp/missing.out" 2>&1
	check "$1: getLoadablePath() and load(db) say so" "$([ "$(grep -c "$2" "$tmp/missing.out")" = 2 ] && echo 1 || echo 0)"
	sed -n 1p "$tmp/missing.out" | sed 's/^/     | /'
}
mv "$proj/node_modules/sqlite-tg-linux-x64" "$tmp/aside"
what_fails "platform package missing" \
	"^sqlite-tg: the platform package sqlite-tg-linux-x64, which holds tg.so, is not installed.*Install it: npm install sqlite-tg-linux-x64@$pkg_version\."
mv "$tmp/aside" "$proj/node_modules/sqlite-tg-linux-x64"
what_fails "path turned into a module id by a bundler" \
	"^sqlite-tg: sqlite-tg-linux-x64/package.json: the lookup gave number 42 instead of a file path, so a bundler rewrote it.*keep sqlite-tg and its platform package external" id
what_fails "path into a bundle's dist/ folder" \
	"^sqlite-tg: sqlite-tg-linux-x64/package.json is missing: no file $proj/dist/node_modules/sqlite-tg-linux-x64/package.json\. Reinstall sqlite-tg-linux-x64: npm install sqlite-tg-linux-x64@$pkg_version\." path
t_end
