#!/bin/sh
# The real-data check: train with defaults on the shared movies_metadata.csv, then
# measure the deployed model on the test split through SQL (quality.sql) and assert
#   - the quality floor (P@1, micro-F1 and macro-F1 at least the given values), and
#   - that SQL's figures equal the trainer's own report stored in tg_models.metrics,
#     since both run the same scorer on the same blob, and
#   - that scores are calibrated (films scored 0.6-0.8 have the genre about that often),
#   - that quantizing the weights to int8 costs at most 0.005 of test micro-F1 and P@1
#     (the trainer also scores test with the float weights: metrics.test_unquantized).
# Usage: sh tests/realdata/check.sh CSV MIN_P_AT_1 MIN_MICRO_F1 MIN_MACRO_F1
set -eu
cd "$(dirname "$0")/../.."
csv=$1 min_p1=$2 min_micro=$3 min_macro=$4
[ -r "$csv" ] || { echo "realdata: $csv not found" >&2; exit 2; }
. tests/lib.sh
. tests/realdata/lib.sh
t_begin realdata
./tg-train -q "$csv" "$tmp/movies.db"
sqlite3 -batch "$tmp/movies.db" <tests/realdata/quality.sql >"$tmp/quality"
sql=$(sed -n 1p "$tmp/quality")
calibration=$(sed -n 2p "$tmp/quality")
trainer=$(registry_test_figures "$tmp/movies.db")
echo "realdata: SQL     films|P@1|micro-F1|macro-F1 = $sql"
echo "realdata: trainer films|P@1|micro-F1|macro-F1 = $trainer"
check "SQL figures equal the trainer's" "$([ "$sql" = "$trainer" ] && echo 1 || echo 0)"
echo "$sql" | awk -F'|' -v p="$min_p1" -v mi="$min_micro" -v ma="$min_macro" '
	{ printf "%s %s %s\n", ($2 >= p), ($3 >= mi), ($4 >= ma) }' >"$tmp/floors"
read -r p_ok micro_ok macro_ok <"$tmp/floors"
check "P@1 >= $min_p1" "$p_ok"
check "micro-F1 >= $min_micro" "$micro_ok"
check "macro-F1 >= $min_macro" "$macro_ok"
echo "realdata: calibration, pairs scored 0.6-0.8: mean score|share with the genre = $calibration"
check "calibrated: that share is within 0.1 of the mean score" \
	"$(echo "$calibration" | awk -F'|' '{ d = $1 - $2; print (d < 0.1 && d > -0.1) }')"
quant=$(sqlite3 -batch "$tmp/movies.db" "SELECT printf('%.6f|%.6f|%.6f|%.6f',
  json_extract(metrics,'\$.test_unquantized.micro_f1'), json_extract(metrics,'\$.test.micro_f1'),
  json_extract(metrics,'\$.test_unquantized.p_at_1'), json_extract(metrics,'\$.test.p_at_1')) FROM tg_models WHERE deployed")
echo "realdata: test micro-F1 float|int8, P@1 float|int8 = $quant"
check "int8 quantization costs at most 0.005 of micro-F1 and of P@1" \
	"$(echo "$quant" | awk -F'|' '{ print ($1 - $2 <= 0.005 && $3 - $4 <= 0.005 && $1 > 0) }')"
t_end
