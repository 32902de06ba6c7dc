#!/bin/sh
# make deb-test: lintian on the two .debs, then both installed for real with apt-get,
# everything they installed run (tg-train, tg.so in sqlite3, the model, the SQL scripts,
# the man page), and purged: no file of them may be left.  The extension's package is
# first installed alone, as a server that only tags installs it.  Needs root; refuses to
# run when either package is installed already, since it would replace and purge it.
#   sh packages/tests/debian.sh [OUT]     (OUT: where make deb put the .debs)
set -u
cd "$(dirname "$0")/../.." || exit 1
out=${1:-build/packages}
. tests/lib.sh
. packages/tests/common.sh
runtime=libsqlite3-mod-tg trainer=tg-train
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
[ "$(id -u)" = 0 ] || { echo "deb-test: needs root (apt-get install, apt-get purge)" >&2; exit 1; }
for p in $runtime $trainer; do
	installed $p && { echo "deb-test: the package $p is installed already; purge it first (apt-get purge $p)" >&2; exit 1; }
done
t_begin debian-package
export DEBIAN_FRONTEND=noninteractive
trap 'for p in $trainer $runtime; do installed $p && apt-get purge -y -qq $p >/dev/null 2>&1; done; rm -rf "$tmp"' EXIT
arch=$(dpkg --print-architecture)
deb_of() { ls "$out/$1_$pkg_version"-*_"$arch".deb 2>/dev/null | tail -n 1; }
rdeb=$(deb_of $runtime) tdeb=$(deb_of $trainer)
check "the .debs are there: ${rdeb:-$out/${runtime}_$pkg_version-*.deb} ${tdeb:-$out/${trainer}_$pkg_version-*.deb}" \
	"$([ -n "$rdeb" ] && [ -n "$tdeb" ] && echo 1 || echo 0)"
libdir=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/tg

# Lintian: only the findings packages/README.md lists as staying.
lintian -I -E --pedantic "$rdeb" "$tdeb" 2>/dev/null | grep -v ' initial-upload-closes-no-bugs ' >"$tmp/lintian"
check "lintian finds nothing but initial-upload-closes-no-bugs" "$([ ! -s "$tmp/lintian" ] && echo 1 || echo 0)"
show "$tmp/lintian"

# has PACKAGE PATH...: the package's dpkg -L lists each PATH and it is a file; the
# listing is appended to $tmp/files.
has() {
	pkg=$1 missing=""
	shift
	dpkg -L "$pkg" >"$tmp/files.$pkg" 2>/dev/null
	cat "$tmp/files.$pkg" >>"$tmp/files"
	for f in "$@" /usr/share/doc/$pkg/copyright /usr/share/doc/$pkg/changelog.Debian.gz; do
		grep -qx "$f" "$tmp/files.$pkg" && [ -f "$f" ] || missing="$missing $f"
	done
	echo "$missing"
}
apt-get install -y -qq "./$rdeb" >"$tmp/apt.log" 2>&1 && installed $runtime && ! installed $trainer && ok=1 || ok=0
check "apt-get install ./$rdeb, alone" "$ok"
[ "$ok" = 1 ] || show "$tmp/apt.log"
: >"$tmp/files"
missing=$(has $runtime $libdir/tg.so /usr/share/tg/genre.db /usr/share/tg/demo.sql)
check "it installed tg.so, the model, the SQL scripts, copyright, changelog, and no trainer${missing:+ (missing:$missing)}" \
	"$([ -z "$missing" ] && [ ! -e /usr/bin/tg-train ] && echo 1 || echo 0)"
apt-get install -y -qq "./$tdeb" >"$tmp/apt.log" 2>&1 && installed $trainer && ok=1 || ok=0
check "apt-get install ./$tdeb" "$ok"
[ "$ok" = 1 ] || show "$tmp/apt.log"
missing=$(has $trainer /usr/bin/tg-train /usr/share/man/man1/tg-train.1.gz)
check "it installed tg-train, the man page, copyright, changelog${missing:+ (missing:$missing)}" \
	"$([ -z "$missing" ] && echo 1 || echo 0)"
check "/usr/bin/tg-train --version: $(/usr/bin/tg-train --version 2>&1 | head -n 1)" \
	"$(/usr/bin/tg-train --version 2>&1 | grep -q "$pkg_version" && echo 1 || echo 0)"
got=$(sqlite3 :memory: ".load $libdir/tg" 'SELECT tg_version()' 2>&1)
check "sqlite3 :memory: '.load $libdir/tg' 'SELECT tg_version()': $got" \
	"$([ "$got" = "$pkg_version" ] && echo 1 || echo 0)"
sqlite3 :memory: ".load $libdir/tg" 'SELECT tg_debug()' >"$tmp/debug" 2>&1
running=$(sqlite3 :memory: 'SELECT sqlite_version()')
check "tg_debug(): tg $pkg_version, built against SQLite $sqlite_built, running on $running" \
	"$(head -n 1 "$tmp/debug" | grep -qx "tg $pkg_version" && grep -qx "sqlite built against: $sqlite_built" "$tmp/debug" &&
	   grep -qx "sqlite running: $running" "$tmp/debug" && echo 1 || echo 0)"
show "$tmp/debug"
check "/usr/share/tg/genre.db is $TG_MODEL_DB" "$(cmp -s /usr/share/tg/genre.db "$TG_MODEL_DB" && echo 1 || echo 0)"

films_db "$tmp/films.db"
films_expected "$out/bin/tg.so" "$tmp/films.db" "$TG_MODEL_DB" "$tmp/expected"
sqlite3 -batch "$tmp/films.db" ".load $libdir/tg" "ATTACH '/usr/share/tg/genre.db' AS tgm" "$films_query" \
	>"$tmp/got" 2>&1
check "the installed tg.so tags a user's films with the installed model attached, as expected" \
	"$(cmp -s "$tmp/expected" "$tmp/got" && echo 1 || echo 0)"
(cd "$tmp" && /usr/bin/tg-train -q "$OLDPWD/data/sample_movies.csv" movies.db && sqlite3 -batch -bail movies.db \
	</usr/share/tg/demo.sql) >"$tmp/demo.out" 2>&1 && ok=1 || ok=0
check "the installed tg-train trains the sample; /usr/share/tg/demo.sql runs on it" "$ok"
[ "$ok" = 1 ] || show "$tmp/demo.out"
if command -v man >/dev/null; then
	check "man tg-train finds the installed page" "$([ "$(man -w tg-train 2>/dev/null)" = /usr/share/man/man1/tg-train.1.gz ] && echo 1 || echo 0)"
fi

apt-get purge -y -qq $trainer $runtime >"$tmp/apt.log" 2>&1 && ! installed $trainer && ! installed $runtime && ok=1 || ok=0
check "apt-get purge $trainer $runtime" "$ok"
[ "$ok" = 1 ] || show "$tmp/apt.log"
left=$(while read -r f; do [ "$f" = /. ] || [ -d "$f" ] && continue; [ -e "$f" ] && echo "$f"; done <"$tmp/files")
for d in $libdir /usr/share/tg /usr/share/doc/$runtime /usr/share/doc/$trainer; do [ -d "$d" ] && left="$left $d/"; done
check "nothing of it is left (of $(wc -l <"$tmp/files") paths dpkg listed)${left:+: $left}" \
	"$([ -z "$left" ] && [ -s "$tmp/files" ] && echo 1 || echo 0)"
t_end
