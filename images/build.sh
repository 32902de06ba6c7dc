#!/bin/sh
# make images: the OCI images tg-serve and tg-train, tagged VERSION and latest, each on a
# Debian root filesystem (images/rootfs.sh) with the .debs of make deb installed on top.
#   sh images/build.sh          (from images/images.mk, CONTAINERS_CONF set)
# The root filesystems are podman-imported as localhost/tg-base-NAME:KEY, KEY their
# tarball's (a new one replaces the old tag), so that a warm build only installs the .debs.
set -eu
cd "$(dirname "$0")/.."
cache=${TG_IMAGES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tg/images}
out=build/images
version=$(cat VERSION)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
rdeb=build/packages/libsqlite3-mod-tg_$version-1_$arch.deb
tdeb=build/packages/tg-train_$version-1_$arch.deb
for d in "$rdeb" "$tdeb"; do [ -f "$d" ] || { echo "images: $d is missing (make deb)" >&2; exit 1; }; done

# depends DEB...: the Debian packages the .debs depend on, by name (their version floors
# are met by the release the sources name), tg's own left out.
depends() {
	for d in "$@"; do dpkg-deb -f "$d" Depends; done | tr ',' '\n' |
		sed 's/[(|].*//; s/ //g' | grep -v -x -e '' -e libsqlite3-mod-tg | sort -u
}

# base NAME PACKAGE...: the image localhost/tg-base-NAME:KEY of the tarball, imported once.
base() {
	name=$1
	shift
	tar=$(sh images/rootfs.sh "$cache" "$name" "$@")
	key=$(basename "$tar" .tar | sed "s/^$name-//")
	image=localhost/tg-base-$name:$key
	if ! podman image exists "$image"; then
		podman images --format '{{.Repository}}:{{.Tag}}' "localhost/tg-base-$name" | xargs -r podman rmi >/dev/null
		podman import --quiet "$tar" "$image" >/dev/null
	fi
	echo "$image"
}

serve_base=$(base serve nodejs $(depends "$rdeb"))
build_base=$(base build nodejs node-gyp libnode-dev g++ make python3)
train_base=$(base train $(depends "$rdeb" "$tdeb"))

# The contexts: only what each image gets.
rm -rf "$out" && mkdir -p "$out/serve/npm" "$out/train/debs"
cp images/serve/Containerfile images/serve/tg-serve.sh examples/node/server.js "$out/serve/"
cp "$rdeb" "$out/serve/libsqlite3-mod-tg.deb"
# better-sqlite3's sources and its two runtime modules, from the npm registry (npm's
# cache); the build stage compiles them.
cp images/serve/package.json images/serve/package-lock.json "$out/serve/npm/"
(cd "$out/serve/npm" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
cp images/train/Containerfile "$out/train/"
cp "$rdeb" "$tdeb" "$out/train/debs/"

build() { # build NAME ARG...: tg-NAME:VERSION and :latest
	name=$1
	shift
	podman build --quiet --pull=never "$@" -t "localhost/tg-$name:$version" "$out/$name" >/dev/null
	podman tag "localhost/tg-$name:$version" "localhost/tg-$name:latest"
	echo "images: tg-$name:$version $(podman image inspect --format '{{.Size}}' "localhost/tg-$name:$version" |
		awk '{ printf "%.1f MB", $1 / 1e6 }')"
}
# The build stage alone first, tagged, so that the prune below keeps it and the next
# build reuses it: better-sqlite3 is compiled again only when its sources or the base change.
set -- --build-arg BASE="$serve_base" --build-arg BUILD="$build_base" --build-arg MULTIARCH="$multiarch"
podman build --quiet --pull=never --target addon "$@" -t localhost/tg-build-addon:latest "$out/serve" >/dev/null
build serve "$@"
build train --build-arg BASE="$train_base"
# The images the tags above replaced take room for nothing.
podman image prune -f >/dev/null
