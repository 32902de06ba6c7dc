#!/bin/sh
# Renders a tg-train HTML report in Debian's headless Chromium and fails when
#   - the page references anything outside itself (URLs, src/href, url(), @import, <link>,
#     <script>, <img>, <iframe>): the report must be self-contained and script-free;
#   - the browser's console says anything (SVG attribute errors such as a negative width
#     or "NaN", script errors, blocked loads);
#   - the rendered DOM lacks one of the charts.
#
# usage: tests/report/render.sh REPORT.html [SCREENSHOT.png]
#   SCREENSHOT.png: also saves a 1200 px wide screenshot (height: $TG_SHOT_HEIGHT, 4200).
# Needs chromium (apt-get install chromium).  Network is off: every host resolves to nothing.
set -eu

fail() { echo "render.sh: FAIL: $*" >&2; exit 1; }

[ $# -ge 1 ] || { echo "usage: $0 REPORT.html [SCREENSHOT.png]" >&2; exit 2; }
html=$1
shot=${2:-}
[ -f "$html" ] || fail "$html: no such file"
command -v chromium >/dev/null 2>&1 || fail "chromium is not installed (apt-get install chromium)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")

# 1. static: self-contained, no script
if grep -o -i -E 'https?://[^"'"'"' )<>]*' "$html" | grep -v -x 'http://www.w3.org/2000/svg' >"$work/urls"; then
	fail "external URLs in $html: $(head -3 "$work/urls" | tr '\n' ' ')"
fi
for pat in '<script' '<link' '<img' '<iframe' '<object' '<embed' 'src="' "src='" 'href="' "href='" 'url(' '@import'; do
	if grep -q -i -F -- "$pat" "$html"; then
		fail "$html contains '$pat'"
	fi
done

chrome() {
	# $1: user data dir; rest: extra flags
	ud=$1
	shift
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$ud" \
		--enable-logging=stderr --v=0 --hide-scrollbars "$@" "file://$abs"
}

# 2. the DOM as the browser built it, and what its console said
mkdir "$work/ud1"
chrome "$work/ud1" --dump-dom >"$work/dom.html" 2>"$work/stderr" || fail "chromium failed (exit $?): $(tail -3 "$work/stderr")"
if grep -E ':CONSOLE[(:]' "$work/stderr" >"$work/console"; then
	echo "render.sh: console messages:" >&2
	sed 's/^[^]]*\] //' "$work/console" >&2
	fail "the browser console reported $(wc -l <"$work/console") message(s)"
fi
grep -q '</html>' "$work/dom.html" || fail "chromium produced no DOM"

# 3. every chart is in the DOM
missing=0
check_chart() {
	if ! grep -q -F "aria-label=\"$1\"" "$work/dom.html"; then
		echo "render.sh: chart missing: $1" >&2
		missing=$((missing + 1))
	fi
}
check_chart "Overview length in characters"
check_chart "Overview length in tokens"
check_chart "Films per genre"
check_chart "Films by number of genres"
check_chart "Films removed by each rule, per split"
check_chart "Precision, recall and F1 per genre on the test split"
if ! grep -q "No ablation was run" "$work/dom.html"; then
	check_chart "Validation micro-F1 gained by each cleanup rule"
fi
[ "$missing" -eq 0 ] || fail "$missing chart(s) missing"
svgs=$(grep -o '<svg' "$work/dom.html" | wc -l)
rects=$(grep -o '<rect' "$work/dom.html" | wc -l)
[ "$rects" -gt 0 ] || fail "the charts have no bars"

# 4. optional screenshot
if [ -n "$shot" ]; then
	mkdir "$work/ud2"
	chrome "$work/ud2" --force-device-scale-factor=1 --window-size="1200,${TG_SHOT_HEIGHT:-4200}" \
		--screenshot="$shot" >/dev/null 2>"$work/stderr2" || fail "screenshot failed: $(tail -3 "$work/stderr2")"
	[ -s "$shot" ] || fail "no screenshot written"
fi

echo "render.sh: OK: $html ($svgs charts, $rects bars, console clean)"
