#!/bin/sh
# make deb: two Debian packages from a `make install` staged by packages.mk into
# OUT/deb/ARCH/root (PREFIX=/usr, tg.so in /usr/lib/MULTIARCH/tg), with dpkg-dev's tools:
# dpkg-shlibdeps for the library dependencies, dpkg-gencontrol for DEBIAN/control,
# dpkg-deb to build (as root:root without fakeroot).
#   libsqlite3-mod-tg  what serving needs: the extension, the shipped model, the SQL scripts
#   tg-train           the trainer and its man page (libcsv, nettle), on top of the first
# A server or a container that only tags installs the first alone.
#   sh packages/debian/build.sh OUT BIN MULTIARCH
# BIN holds the stripped tg.so and tg-train; writes OUT/PACKAGE_VERSION-1_ARCH.deb for
# both.  ARCH is dpkg-architecture's DEB_HOST_ARCH, so for another architecture export
# DEB_HOST_ARCH (e.g. arm64) and pass its MULTIARCH (aarch64-linux-gnu) with binaries
# built for it; dpkg-shlibdeps then needs that architecture's libraries installed.
set -eu
out=$1 bin=$2 multiarch=$3
version=$(cat VERSION)-1
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
work=$(pwd)/$out/deb/$arch
staged=$work/root src=$work/src
libdir=/usr/lib/$multiarch/tg
runtime=libsqlite3-mod-tg trainer=tg-train
# The changelog's date and the archive's timestamps (packages.mk sets it).
: "${SOURCE_DATE_EPOCH:?the build date, in seconds since 1970}"

install -m 755 "$bin/tg-train" "$staged/usr/bin/tg-train"
install -m 644 "$bin/tg.so" "$staged$libdir/tg.so"
# make install names PREFIX/lib/tg in the man page; the library is in the multiarch folder.
sed -i "s|/usr/lib/tg/|$libdir/|g" "$staged/usr/share/man/man1/tg-train.1"
gzip -9n "$staged/usr/share/man/man1/tg-train.1"

rm -rf "$src" && install -d "$src/debian"
cat >"$src/debian/changelog" <<CHANGES
tg ($version) unstable; urgency=medium

  * tg $(cat VERSION), packaged by make deb.

 -- The tg authors <tg@example.org>  $(date -R -u -d "@$SOURCE_DATE_EPOCH")
CHANGES
cp packages/debian/control "$src/debian/control"
# tg.so reaches SQLite through the routine table of the headers it was compiled with:
# it needs a libsqlite3 at least as new as those, which no ELF symbol tells dpkg-shlibdeps.
built=$(pkg-config --modversion sqlite3 | cut -d. -f1,2)

# package NAME PATH...: OUT/deb/ARCH/NAME holds the staged PATHs (files or folders, from
# /) and its doc folder; built into OUT/NAME_VERSION_ARCH.deb.
package() {
	name=$1 root=$work/$1
	shift
	rm -rf "$root" && install -d "$root/DEBIAN" "$root/usr/share/doc/$name"
	for p in "$@"; do
		install -d "$root$(dirname "$p")"
		cp -a "$staged$p" "$root$p"
	done
	doc=$root/usr/share/doc/$name
	{ cat packages/debian/copyright.in
	  sed -n '/^Permission/,$p' LICENSE | sed 's/^$/./; s/^/ /'; } >"$doc/copyright"
	gzip -9nc "$src/debian/changelog" >"$doc/changelog.Debian.gz"
	[ "$name" = "$runtime" ] && gzip -9nc README.md >"$doc/README.md.gz"
	chmod 644 "$doc"/*
	elves=$(find "$root/usr" -type f \( -path '*/bin/*' -o -name '*.so' \))
	(cd "$src" && rm -f debian/substvars && dpkg-shlibdeps -Tdebian/substvars $elves &&
		{ [ "$name" != "$runtime" ] || echo "tg:SQLite=libsqlite3-0 (>= $built)" >>debian/substvars; } &&
		dpkg-gencontrol -p"$name" -v"$version" -P"$root" -Tdebian/substvars)
	(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\n' | LC_ALL=C sort | xargs md5sum) \
		>"$root/DEBIAN/md5sums"
	chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
	rm -f "$out/${name}"_*_"$arch".deb
	dpkg-deb --root-owner-group -Zxz --build "$root" "$out/${name}_${version}_$arch.deb" >/dev/null
	echo "deb: $out/${name}_${version}_$arch.deb"
}

rm -f "$out"/tg_*_"$arch".deb # the single package of tg 0.4.0 and before
package "$runtime" "$libdir" /usr/share/tg
package "$trainer" /usr/bin/tg-train /usr/share/man/man1/tg-train.1.gz
