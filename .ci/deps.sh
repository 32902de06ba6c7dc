#!/bin/sh
# Installs the Debian packages tg needs, when any is missing:
#   sh .ci/deps.sh          to build (make, make demo)
#   sh .ci/deps.sh test     to run the whole test suite (make test)
#   sh .ci/deps.sh packages to build and install-test the npm, Python and Debian packages
#   sh .ci/deps.sh ci       everything CI runs, hardening and benchmarks' peers included
#   sh .ci/deps.sh web      to build and test the browser page (make web, make web-test)
#   sh .ci/deps.sh cluster  the dqlite node and the HTTP replicas (make cluster-test)
#   sh .ci/deps.sh images   the container images and their test (make images images-test)
# As root it runs apt-get; otherwise it prints the exact command and fails, so that
# `make` never half-builds on a machine without the libraries.
BUILD="build-essential pkg-config sqlite3 libsqlite3-dev libcsv-dev nettle-dev check"
TEST="$BUILD valgrind python3 chromium man-db sqlite-utils"
# make packages builds for Linux arm64 (a cross compiler and arm64's libraries through
# multiarch) and Windows x64 (MinGW-w64); make packages-test runs them under qemu-user
# and Wine, the Windows test program with SQLite made from Debian's source (tcl, xz).
CROSS="gcc-aarch64-linux-gnu libsqlite3-dev:arm64 libcsv-dev:arm64 nettle-dev:arm64
       gcc-mingw-w64-x86-64 wine wine64 qemu-user tcl xz-utils zip unzip"
PACKAGES="$BUILD dpkg-dev lintian python3 python3-venv python3-setuptools python3-wheel python3-pip $CROSS"
# The container images (images/images.mk): podman with runc, CNI networking and catatonit
# (podman builds its pods' pause image from it),
# mmdebstrap for the root filesystems, the .debs' build, python3-yaml for the manifests.
IMAGES="$PACKAGES podman runc conmon catatonit containernetworking-plugins mmdebstrap debian-archive-keyring python3-yaml openssl"
CI="$TEST $PACKAGES $IMAGES clang libfuzzer-14-dev libclang-rt-14-dev"
# The browser build (web/web.mk): emscripten, what making SQLite's amalgamation from
# Debian's source package takes, and what its test drives the page with.
WEB="$BUILD emscripten tcl dpkg-dev xz-utils chromium fonts-dejavu-core python3"
CLUSTER="$BUILD golang-go libdqlite-dev golang-github-canonical-go-dqlite-dev golang-github-mattn-go-sqlite3-dev
         go-dqlite haproxy wrk openssl curl iproute2"
case "${1:-build}" in
build) PKGS=$BUILD ;;
test) PKGS=$TEST ;;
packages) PKGS=$PACKAGES ;;
ci) PKGS=$CI ;;
web) PKGS=$WEB ;;
cluster) PKGS=$CLUSTER ;;
images) PKGS=$IMAGES ;;
*) echo "usage: $0 [build|test|ci|web|cluster|packages|images]" >&2; exit 2 ;;
esac
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js may come from Debian or elsewhere (its own npm then): ask for the commands.
if [ "${1:-build}" != build ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
# arm64 packages need dpkg to know the architecture: added once (dpkg keeps it), only
# when one is missing; apt-get update then fetches arm64's lists beside the others.
add_arch=""
case $missing in *:arm64*)
	dpkg --print-foreign-architectures | grep -qx arm64 || add_arch="dpkg --add-architecture arm64 && "
esac
if [ "$(id -u)" = 0 ]; then
	echo "tg: installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	{ { [ -z "$add_arch" ] || dpkg --add-architecture arm64; } &&
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >&2 || {
		echo "tg: apt-get failed; install by hand: ${add_arch}apt-get update && apt-get install$missing" >&2
		exit 1; }
else
	echo "tg: missing Debian packages. Run as root:" >&2
	echo "  ${add_arch}apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
