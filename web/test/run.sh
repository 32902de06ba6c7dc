#!/bin/sh
# make web-test: tg's page (build/web/site, from make web) served from 127.0.0.1 and
# driven in headless Chromium, every answer held against the native tg.so on the same
# model database:
#   - chromium --headless --dump-dom on index.html?q=... puts tg_predict and tg_tags of
#     the text on #answer (data-tg-top, data-tg-tags);
#   - web/test/drive.py (DevTools over a pipe): 50 real overviews from CSV typed in and
#     3 given in the URL, hostile input (50 KB, lone surrogates, NUL, empty, 2 MB), a
#     screenshot that is not blank, no console error, no request off the local server.
# usage: sh web/test/run.sh SITE_DIR MODEL_DB CSV      (from the project root, after
# make tg.so; TG_WEB_SHOT=file.png keeps the screenshot)
set -u
. tests/lib.sh
site=${1:?usage: run.sh SITE_DIR MODEL_DB CSV}
model=${2:?usage: run.sh SITE_DIR MODEL_DB CSV}
csv=${3:?usage: run.sh SITE_DIR MODEL_DB CSV}
for f in "$site/index.html" "$model" "$csv" ./tg.so; do
	[ -f "$f" ] || { echo "web-test: $f is missing (make web tg.so; the CSV is ../shared/data's)" >&2; exit 2; }
done
t_begin web

# A static server on a free loopback port, stopped at exit.
/usr/bin/python3 -u -m http.server --bind 127.0.0.1 --directory "$site" 0 >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE
port=""
for _ in $(seq 100); do
	port=$(sed -n 's/^Serving HTTP on 127\.0\.0\.1 port \([0-9]*\).*/\1/p' "$tmp/server.log")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/server.log" >&2; echo "web-test: the static server did not start" >&2; exit 2; }
url=http://127.0.0.1:$port/

# The answer in the DOM that chromium --dump-dom prints (virtual time lets the page
# finish loading the model first).
text="A lonely ghost haunts the old house where a terrible murder happened"
mkdir "$tmp/profile"
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" --user-data-dir="$tmp/profile" \
	--virtual-time-budget=20000 --dump-dom "${url}index.html?q=$(echo "$text" | tr ' ' '+')" \
	>"$tmp/dom.html" 2>"$tmp/chromium.log"
want=$(sqlite3 "$model" '.load ./tg' "SELECT 'data-tg-top=\"' || tg_predict('$text') || '\" data-tg-tags=\"' || tg_tags('$text') || '\"'")
got=$(grep -o 'data-tg-top="[^"]*" data-tg-tags="[^"]*"' "$tmp/dom.html" | sed 's/&quot;/"/g; s/data-tg-tags="\(.*\)"$/data-tg-tags="\1"/')
echo "     native: $want"
echo "     --dump-dom: $got"
check "chromium --dump-dom of index.html?q=... shows tg_predict and tg_tags" \
	"$([ -n "$want" ] && [ "$got" = "$want" ] && echo 1 || echo 0)"

/usr/bin/python3 web/test/drive.py "$url" "$model" "$PWD/tg.so" "$csv" ${TG_WEB_SHOT:+"$TG_WEB_SHOT"} \
	>"$tmp/drive.out" 2>"$tmp/drive.err"
status=$?
while IFS="$(printf '\t')" read -r verdict name; do
	check "$name" "$([ "$verdict" = ok ] && echo 1 || echo 0)"
done <"$tmp/drive.out"
[ $status -eq 0 ] || { cat "$tmp/drive.err" >&2; check "web/test/drive.py ran to its end (exit $status)" 0; }
t_end
