#!/bin/sh
# Installs the Debian packages tg needs to build and test, when any is missing.
# As root it runs apt-get; otherwise it prints the exact command and fails, so that
# `make` never half-builds on a machine without the libraries.
PKGS="${TG_PKGS:-build-essential pkg-config sqlite3 libsqlite3-dev libcsv-dev check}"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "tg: installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >&2 || {
		echo "tg: apt-get failed; install by hand: apt-get install$missing" >&2; exit 1; }
else
	echo "tg: missing Debian packages. Run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
