#!/bin/sh
# The HTML report end to end: tg-train --report on the shipped sample, then the page
# rendered in headless Chromium (render.sh), and a report with hostile names from the
# unit test's synthetic inputs (check_report_html keeps it with TG_REPORT_KEEP).
set -eu
cd "$(dirname "$0")/../.."
. tests/lib.sh
t_begin report
./tg-train -q --report "$tmp/report.html" data/sample_movies.csv "$tmp/m.db" && ok=1 || ok=0
check "tg-train --report writes a report" "$ok"
sh tests/report/render.sh "$tmp/report.html" && ok=1 || ok=0
check "the sample's report renders in Chromium with every chart and a clean console" "$ok"
TG_REPORT_KEEP="$tmp/hostile.html" CK_FORK=no build/tests/check_report_html >/dev/null && ok=1 || ok=0
sh tests/report/render.sh "$tmp/hostile.html" && [ $ok = 1 ] && ok=1 || ok=0
check "a report of hostile genre names and paths renders just as cleanly" "$ok"
t_end
