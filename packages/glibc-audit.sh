#!/bin/sh
# The wheel tag a Linux build of tg.so may carry, from what the library itself needs:
# manylinux_2_X_ARCH, 2.X the newest GLIBC_ symbol version in its dynamic symbol table
# (objdump -T; the architecture's own objdump, picked from the ELF header), never below
# the first glibc of ARCH that manylinux names (2.5 for x86_64, 2.17 for aarch64).
#   sh packages/glibc-audit.sh LIBRARY          prints the tag
#   sh packages/glibc-audit.sh LIBRARY TAG      fails unless TAG (a wheel's platform tag)
#                                               is for LIBRARY's architecture and promises
#                                               at least the glibc it needs
# Also fails when the library needs a shared library beyond libc and libm, the ones
# every manylinux system has, and glibc's dynamic loader (arm64's holds the stack guard);
# tg.so reaches SQLite through the loader's routine table, not through a library.
set -eu
lib=$1 want=${2:-}
fail() { echo "tg: glibc audit of $lib: $*" >&2; exit 1; }
[ -f "$lib" ] || fail "no such file"
# e_machine, bytes 18-19 of the ELF header, little-endian on both.
machine=$(od -An -tu2 -j18 -N2 "$lib" | tr -d ' ')
case $machine in
62) arch=x86_64 floor=5 objdump=objdump ;;
183) arch=aarch64 floor=17 objdump=aarch64-linux-gnu-objdump ;;
*) fail "not an x86-64 or aarch64 ELF file (e_machine $machine)" ;;
esac
syms=$($objdump -T "$lib") || fail "$objdump -T failed"
needed=$(echo "$syms" | grep -o 'GLIBC_2\.[0-9]*' | sed 's/GLIBC_2\.//' | sort -n | tail -n 1)
[ -n "$needed" ] || fail "no GLIBC_ symbol versions: not linked against glibc?"
extra=$($objdump -p "$lib" | awk '$1 == "NEEDED" && $2 !~ /^(libc\.so\.6|libm\.so\.6|ld-linux-[a-z0-9_-]*\.so\.[0-9])$/ { print $2 }')
[ -z "$extra" ] || fail "needs $(echo $extra), beyond libc, libm and the loader"
x=$((needed > floor ? needed : floor))
if [ -z "$want" ]; then
	echo "manylinux_2_${x}_$arch"
	exit 0
fi
case $want in
manylinux_2_*_"$arch") wx=$(echo "$want" | sed 's/^manylinux_2_\([0-9]*\)_.*/\1/') ;;
*) fail "the tag $want is not manylinux_2_X_$arch" ;;
esac
[ "$wx" -ge "$needed" ] || fail "the tag $want promises glibc 2.$wx, but the library needs GLIBC_2.$needed" \
	"($(echo "$syms" | grep "GLIBC_2\.$needed[^0-9]" | awk '{ print $NF }' | tr '\n' ' '))"
echo "tg: $want covers $lib (newest symbol version GLIBC_2.$needed)"
