#!/bin/sh
# make wheel: one sqlite-tg wheel per built library, each built offline from its own
# staged copy of packages/python with VERSION, LICENSE, the library and the model.
#   sh packages/python/build.sh OUT MODEL_DB LIBRARY...     (tg.so files, tg.dll)
# A Linux library's wheel is tagged manylinux_2_X_ARCH by packages/glibc-audit.sh, from
# the glibc symbol versions it needs, and the audit checks the built wheel's name again;
# tg.dll's is win_amd64.  Writes OUT/sqlite_tg-VERSION-py3-none-TAG.whl, removing older
# wheels first.
set -eu
out=$1 model=$2
shift 2
rm -f "$out"/sqlite_tg-*.whl
for lib; do
	case $lib in
	*.dll) tag=win_amd64 ;;
	*) tag=$(sh packages/glibc-audit.sh "$lib") ;;
	esac
	stage=$out/python/$tag
	rm -rf "$stage" && mkdir -p "$stage"
	cp -r packages/python/pyproject.toml packages/python/setup.py packages/python/README.md \
		packages/python/sqlite_tg VERSION LICENSE "$stage/"
	cp "$lib" "$stage/sqlite_tg/"
	cp "$model" "$stage/sqlite_tg/genre.db"
	TG_WHEEL_PLATFORM=$tag /usr/bin/python3 -m pip wheel --quiet --no-build-isolation --no-index \
		--no-deps -w "$out" "$stage"
	wheel=$(ls "$out"/sqlite_tg-*-py3-none-"$tag".whl)
	case $tag in manylinux_*)
		# The name pip gave it, audited against the library it holds.
		unzip -q -o -d "$stage/check" "$wheel" sqlite_tg/tg.so
		sh packages/glibc-audit.sh "$stage/check/sqlite_tg/tg.so" \
			"$(basename "$wheel" .whl | sed 's/.*-py3-none-//')" >/dev/null
	esac
	echo "wheel: $wheel"
done
