#!/bin/sh
# make portable: the unit tests built with -DTG_NO_SIMD (build/portable), so the plain C
# that processors without SSE2 run is tested on this one too: same answers, same sums.
. tests/hardening/lib.sh
h_tmpdir
P=build/portable
found=0
for t in "$P"/build/tests/check_*; do
	[ -x "$t" ] || continue
	found=1
	name=$(basename "$t")
	if (cd "$P" && "build/tests/$name") >"$H_TMP/$name.log" 2>&1; then
		ok "portable (no SIMD) unit $name ($(grep -oE '[0-9]+%: Checks: [0-9]+' "$H_TMP/$name.log" | tail -1))"
	else
		notok "portable (no SIMD) unit $name"
		tail -40 "$H_TMP/$name.log"
	fi
done
[ "$found" = 1 ] || notok "portable unit tests: none built in $P/build/tests"
h_finish
