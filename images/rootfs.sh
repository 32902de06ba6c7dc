#!/bin/sh
# A Debian root filesystem as a tarball, made by mmdebstrap and kept in a cache outside
# the clone: images/images.mk imports it as the base of an image.
#   sh images/rootfs.sh CACHE NAME PACKAGE...      prints the tarball's path
# Debian's "essential" variant (dpkg, a shell, coreutils; no apt) plus PACKAGEs and what
# they depend on, no Recommends; documentation (but copyright files), manual pages,
# locales, info and glibc's iconv modules (8 MB; neither Node, which has ICU, nor tg
# uses iconv) trimmed by dpkg path excludes, which stay in the image's dpkg.cfg.d so
# that the .debs installed on top are trimmed too.  The mirrors and suites are this
# machine's own (/etc/apt/sources.list.d/debian.sources, or TG_APT_SOURCES).
# The tarball is CACHE/NAME-KEY.tar, KEY a digest of the sources, the package list and
# mmdebstrap's options: made once, reused until one of them changes.  The .debs apt
# fetches stay in CACHE/apt, so a new tarball downloads only what changed.
set -eu
cache=$1 name=$2
shift 2
sources=${TG_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}
[ -f "$sources" ] || { echo "images: no apt sources at $sources (set TG_APT_SOURCES)" >&2; exit 1; }
# The first suite of the sources (bookworm here): the release mmdebstrap sets up.
suite=$(awk '/^Suites:/ { print $2; exit } /^deb / { print $3; exit }' "$sources")
[ -n "$suite" ] || { echo "images: no suite in $sources" >&2; exit 1; }
pkgs=$(printf '%s\n' "$@" | LC_ALL=C sort -u | paste -sd, -)
# merged-usr: /usr merged by mmdebstrap's hook, not by the usrmerge package (which would
# bring perl).
opts="--variant=essential --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
 --dpkgopt=path-exclude=/usr/share/doc/* --dpkgopt=path-include=/usr/share/doc/*/copyright
 --dpkgopt=path-exclude=/usr/share/man/* --dpkgopt=path-exclude=/usr/share/info/*
 --dpkgopt=path-exclude=/usr/share/locale/* --dpkgopt=path-exclude=/usr/share/lintian/*
 --dpkgopt=path-exclude=/usr/lib/*/gconv/*"
# The user both images run as (no passwd package in the essential set to add it), owner
# of the registry volume's mount point.
user='echo tg:x:10001:10001:tg:/var/lib/tg:/usr/sbin/nologin >>"$1/etc/passwd" &&
 echo tg:x:10001: >>"$1/etc/group" && install -d -o 10001 -g 10001 "$1/var/lib/tg"'
key=$({ cat "$sources"; echo "$suite $pkgs $opts $user"; } | sha256sum | cut -c1-16)
tar=$cache/$name-$key.tar
if [ ! -s "$tar" ]; then
	mkdir -p "$cache/apt"
	echo "images: mmdebstrap $suite ($name: $pkgs) -> $tar" >&2
	# The cache's .debs go in before apt downloads and come out after (essential/unlink
	# skipped, so that the essential packages' .debs are kept too).
	# shellcheck disable=SC2086 # opts is a list of words without spaces
	nice mmdebstrap --quiet --mode=root --format=tar $opts --include="$pkgs" \
		--skip=download/empty --skip=essential/unlink \
		--setup-hook="mkdir -p \"\$1/var/cache/apt/archives\"" \
		--setup-hook="sync-in '$cache/apt' /var/cache/apt/archives" \
		--customize-hook="sync-out /var/cache/apt/archives '$cache/apt'" --customize-hook="$user" \
		"$suite" "$tar.part" "$sources" >"$tar.log" 2>&1 || {
		tail -n 30 "$tar.log" >&2; rm -f "$tar.part"; echo "images: mmdebstrap failed ($tar.log)" >&2; exit 1; }
	mv "$tar.part" "$tar"
	# Older tarballs of NAME are dead weight once a new key is made.
	find "$cache" -maxdepth 1 -name "$name-*.tar*" ! -name "$name-$key.tar*" -delete
fi
echo "$tar"
