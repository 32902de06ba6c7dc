#!/bin/sh
# make deb: the Debian package tg, from a `make install` staged by packages.mk into
# OUT/deb/root (PREFIX=/usr, tg.so in /usr/lib/MULTIARCH/tg), with dpkg-dev's tools:
# dpkg-shlibdeps for the library dependencies, dpkg-gencontrol for DEBIAN/control,
# dpkg-deb to build (as root:root without fakeroot).
#   sh packages/debian/build.sh OUT BIN MULTIARCH
# BIN holds the stripped tg.so and tg-train; writes OUT/tg_VERSION-1_ARCH.deb.
set -eu
out=$1 bin=$2 multiarch=$3
version=$(cat VERSION)-1
root=$(pwd)/$out/deb/root src=$(pwd)/$out/deb/src
libdir=/usr/lib/$multiarch/tg
doc=$root/usr/share/doc/tg
# The changelog's date and the archive's timestamps (packages.mk sets it).
: "${SOURCE_DATE_EPOCH:?the build date, in seconds since 1970}"

install -m 755 "$bin/tg-train" "$root/usr/bin/tg-train"
install -m 644 "$bin/tg.so" "$root$libdir/tg.so"
# make install names PREFIX/lib/tg in the man page; the library is in the multiarch folder.
sed -i "s|/usr/lib/tg/|$libdir/|g" "$root/usr/share/man/man1/tg-train.1"
gzip -9n "$root/usr/share/man/man1/tg-train.1"

install -d "$doc" "$src/debian"
gzip -9nc README.md >"$doc/README.md.gz"
{ cat packages/debian/copyright.in
  sed -n '/^Permission/,$p' LICENSE | sed 's/^$/./; s/^/ /'; } >"$doc/copyright"
cat >"$src/debian/changelog" <<CHANGES
tg ($version) unstable; urgency=medium

  * tg $(cat VERSION), packaged by make deb.

 -- The tg authors <tg@example.org>  $(date -R -u -d "@$SOURCE_DATE_EPOCH")
CHANGES
gzip -9nc "$src/debian/changelog" >"$doc/changelog.Debian.gz"
chmod 644 "$doc"/*

# tg.so reaches SQLite through the routine table of the headers it was compiled with:
# it needs a libsqlite3 at least as new as those, which no ELF symbol tells dpkg-shlibdeps.
built=$(pkg-config --modversion sqlite3 | cut -d. -f1,2)
cp packages/debian/control "$src/debian/control"
rm -rf "$root/DEBIAN" && install -d "$root/DEBIAN"
(cd "$src" && dpkg-shlibdeps -Tdebian/substvars "$root/usr/bin/tg-train" "$root$libdir/tg.so" &&
	dpkg-gencontrol -ptg -v"$version" -P"$root" -Tdebian/substvars -Vtg:SQLite="libsqlite3-0 (>= $built)")
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\n' | LC_ALL=C sort | xargs md5sum) \
	>"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
deb=$out/tg_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb
rm -f "$out"/tg_*.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "deb: $deb"
