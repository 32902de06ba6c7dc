#!/bin/sh
# make web-test: tg's page (build/web/site, from make web) served from 127.0.0.1 and
# driven in headless Chromium by web/test/drive.py, every answer held against the
# native tg.so on the same model database:
#   - chromium --headless --dump-dom on index.html?q=... puts tg_predict and tg_tags of
#     the text on #answer (data-tg-top, data-tg-tags);
#   - over DevTools on a pipe: 50 real overviews from CSV typed in and 3 given in the
#     URL, hostile input (50 KB, lone surrogates, NUL, empty, 2 MB), a screenshot that
#     is not blank, no console error, no request off the local server.
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

/usr/bin/python3 web/test/drive.py "$site" "$model" "$PWD/tg.so" "$csv" ${TG_WEB_SHOT:+"$TG_WEB_SHOT"} \
	>"$tmp/drive.out" 2>"$tmp/drive.err"
status=$?
while IFS="$(printf '\t')" read -r verdict name; do
	check "$name" "$([ "$verdict" = ok ] && echo 1 || echo 0)"
done <"$tmp/drive.out"
[ $status -eq 0 ] || { cat "$tmp/drive.err" >&2; check "web/test/drive.py ran to its end (exit $status)" 0; }
t_end
