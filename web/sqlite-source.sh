#!/bin/sh
# Makes SQLite's amalgamation (sqlite3.c, sqlite3.h, sqlite3ext.h) for the WASM build
# and the Windows test program (packages/tests/cross.sh) from Debian's own sqlite3 source
# package, the one behind the system's libsqlite3, so the browser and Wine run the SQLite
# that tg is tested against natively.
#   sh web/sqlite-source.sh OUTDIR
# apt-get reads a deb-src list written to a scratch directory (the system's apt
# configuration and package lists are left alone), made from the machine's own apt
# sources (one-line .list files and deb822 .sources files alike): each of their deb
# entries for this Debian release's suites (CODENAME, -updates, -security) as deb-src
# with the same mirror and keyring, so it works with whatever mirror is configured.
# It downloads the pinned version, and
# the files are checked against web/sqlite3-source.sha256 before dpkg-source unpacks
# them (applying Debian's patches) and SQLite's own makefile writes the amalgamation.
# Needs apt-get, dpkg-source (dpkg-dev), tclsh, a C compiler, xz; no root needed.
set -eu
out=${1:?usage: sh web/sqlite-source.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
sums=$here/sqlite3-source.sha256
# The pinned version is the one named by the .dsc in the checksum file.
dsc=$(sed -n 's/^[0-9a-f]*  \(sqlite3_.*\.dsc\)$/\1/p' "$sums")
version=$(echo "$dsc" | sed 's/^sqlite3_\(.*\)\.dsc$/\1/')
[ -n "$version" ] || { echo "tg: web/sqlite3-source.sha256 names no sqlite3_*.dsc" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-sqlite-src.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || { echo "tg: /etc/os-release names no VERSION_CODENAME" >&2; exit 1; }
suites="^$codename(-updates|-security|/updates)?\$"
# One-line lists: "deb [options] URI SUITE COMPONENT...", options kept (signed-by).
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	awk -v suites="$suites" '$1 == "deb" {
		i = 2; opts = ""
		if ($2 ~ /^\[/) { while (i < NF && $i !~ /\]$/) opts = opts $(i++) " "; opts = opts $(i++) " " }
		if ($(i + 1) !~ suites) next
		line = "deb-src " opts $i
		for (j = i + 1; j <= NF; j++) line = line " " $j
		print line }' "$f"
done >"$tmp/sources.list"
# deb822 stanzas: Types, URIs, Suites, Components, Signed-By (a keyring file; a key
# written inline is left to apt's trusted keys), Enabled.
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	awk -v suites="$suites" '
	function flush(   n, uris, sts, i, j) {
		if (types ~ /(^| )deb( |$)/ && enabled != "no") {
			n = split(uri, uris, " "); split(suite, sts, " ")
			for (i = 1; i <= n; i++) for (j = 1; j in sts; j++) if (sts[j] ~ suites)
				print "deb-src " (key ~ /^\// ? "[signed-by=" key "] " : "") uris[i] " " sts[j] " " comps
		}
		types = uri = suite = comps = key = enabled = ""
	}
	/^#/ { next }
	/^[ \t]*$/ { flush(); next }
	/^[ \t]/ { next }
	{ name = tolower($1); sub(/^[^:]*:[ \t]*/, "")
	  if (name == "types:") types = $0; else if (name == "uris:") uri = $0
	  else if (name == "suites:") suite = $0; else if (name == "components:") comps = $0
	  else if (name == "signed-by:") key = $0; else if (name == "enabled:") enabled = tolower($0) }
	END { flush() }' "$f"
done >>"$tmp/sources.list"
[ -s "$tmp/sources.list" ] || {
	echo "tg: the apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/) have no deb entry" \
	     "for $codename's suites to fetch Debian's sqlite3 source from" >&2; exit 1; }
mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/dl"
apt_opts="-o Dir::Etc::sourcelist=$tmp/sources.list -o Dir::Etc::sourceparts=- \
 -o Dir::State::Lists=$tmp/lists -o Dir::Cache=$tmp/cache -o APT::Sandbox::User=root -q"

echo "tg: fetching Debian's sqlite3 $version source package" >&2
# shellcheck disable=SC2086 # apt_opts is a list of options
apt-get $apt_opts update >"$tmp/apt.log" 2>&1 || {
	cat "$tmp/apt.log" >&2; echo "tg: apt-get update of the deb-src list failed" >&2; exit 1; }
# shellcheck disable=SC2086
(cd "$tmp/dl" && apt-get $apt_opts source --download-only "sqlite3=$version") >"$tmp/apt.log" 2>&1 || {
	cat "$tmp/apt.log" >&2
	echo "tg: Debian no longer serves sqlite3 $version; review the new version and put its" \
	     "files' sha256 in web/sqlite3-source.sha256" >&2
	exit 1; }
(cd "$tmp/dl" && sha256sum --quiet -c "$sums") >&2 || {
	echo "tg: Debian's sqlite3 $version source does not match web/sqlite3-source.sha256" >&2; exit 1; }
dpkg-source --no-check -q -x "$tmp/dl/$dsc" "$tmp/src" >/dev/null
(cd "$tmp/src" && ./configure --disable-tcl >"$tmp/build.log" 2>&1 && make sqlite3.c >>"$tmp/build.log" 2>&1) || {
	tail -20 "$tmp/build.log" >&2; echo "tg: making SQLite's amalgamation failed (needs tclsh and cc)" >&2; exit 1; }
mkdir -p "$out"
cp "$tmp/src/sqlite3.c" "$tmp/src/sqlite3.h" "$tmp/src/sqlite3ext.h" "$out/"
echo "tg: SQLite amalgamation from Debian sqlite3 $version: sha256 of sqlite3.c" \
     "$(sha256sum "$out/sqlite3.c" | cut -d' ' -f1)" >&2
