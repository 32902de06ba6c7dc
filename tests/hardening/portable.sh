#!/bin/sh
# make portable: the unit tests built with -DTG_NO_SIMD (build/portable), so the plain C
# that processors without SSE2 run is tested on this one too: same answers, same sums.
. tests/hardening/lib.sh
h_tmpdir
h_unit_tests "portable (no SIMD)" build/portable
h_finish
