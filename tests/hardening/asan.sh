#!/bin/sh
# make asan: the unit tests, tg-train and tg.so built with AddressSanitizer +
# UndefinedBehaviorSanitizer (build/asan, see tests/hardening/hardening.mk), then
# the SQL tests through the sqlite3 shell with the ASan tg.so.
#
# An ASan-built tg.so cannot be loaded into the stock sqlite3 shell as is: the ASan
# runtime must be the first library of the process.  build/asan/sqlite3-asan is a
# wrapper that starts sqlite3 with LD_PRELOAD=<libasan.so of $CC>; the SQL tests run
# with SQLITE3 pointing at it.  To try by hand:
#   LD_PRELOAD=$(cc -print-file-name=libasan.so) sqlite3 db '.load build/asan/tg' ...
. tests/hardening/lib.sh
h_tmpdir
: "${TG_MAKE:=make}" "${TG_SAN_CFLAGS:?}" "${TG_SAN_LDFLAGS:?}"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=86:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87"
# For tests that time themselves (a CPU limit means nothing under ASan).
export TG_SANITIZER=address
A=build/asan
# sanitizer_silent LOG: LOG holds no sanitizer report (a child process's report does
# not show in the exit status).
sanitizer_silent() { ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' "$1"; }

# 1. unit tests, in one process each (CK_FORK=no) so LeakSanitizer sees the whole run.
export CK_FORK=no
h_unit_tests asan "$A" sanitizer_silent

# 2. tg-train (ASan) end to end on a small generated CSV, then bad inputs.
sh tests/hardening/gen_csv.sh 300 >"$H_TMP/films.csv"
if "$A/tg-train" --threads 2 "$H_TMP/films.csv" "$H_TMP/reg.db" >"$H_TMP/train.log" 2>&1 &&
   sanitizer_silent "$H_TMP/train.log"; then
	ok "asan tg-train trains on a 300-film CSV"
else
	notok "asan tg-train trains on a 300-film CSV"
	tail -40 "$H_TMP/train.log"
fi
for v in "list $H_TMP/reg.db" "rollback $H_TMP/reg.db" "prune $H_TMP/reg.db --keep 0"; do
	# shellcheck disable=SC2086
	"$A/tg-train" $v >"$H_TMP/verb.log" 2>&1
	rc=$?
	if [ $rc -lt 80 ] && sanitizer_silent "$H_TMP/verb.log"; then ok "asan tg-train ${v%% *} (exit $rc)"
	else notok "asan tg-train ${v%% *} (exit $rc)"; tail -30 "$H_TMP/verb.log"; fi
done
for f in tests/fixtures/*.csv; do
	"$A/tg-train" -q --force "$f" "$H_TMP/bad.db" >"$H_TMP/bad.log" 2>&1
	rc=$?
	if [ $rc -lt 80 ] && sanitizer_silent "$H_TMP/bad.log"; then ok "asan tg-train on $(basename "$f") (exit $rc)"
	else notok "asan tg-train on $(basename "$f") (exit $rc)"; tail -30 "$H_TMP/bad.log"; fi
done

# 3. the ASan tg.so inside the sqlite3 shell.
libasan=$(${CC:-cc} -print-file-name=libasan.so)
cat >"$A/sqlite3-asan" <<WRAP
#!/bin/sh
# sqlite3 with the ASan runtime preloaded, so an ASan-built tg.so can be loaded.
LD_PRELOAD=$libasan exec ${SQLITE3:-sqlite3} "\$@"
WRAP
chmod +x "$A/sqlite3-asan"
out=$("$A/sqlite3-asan" "$H_TMP/reg.db" ".load $A/tg" \
	"SELECT tg_predict('A haunted house, a ghost and a demon'), tg_tags('alien love'), length(tg_scores('x y')), (SELECT count(*) FROM tg_genres('ghost')), length(tg_explain('ghost blood', 'Horror')), tg_model() ->> '\$.name'" 2>"$H_TMP/shell.log")
rc=$?
if [ $rc -eq 0 ] && [ -n "$out" ] && sanitizer_silent "$H_TMP/shell.log"; then ok "asan tg.so in sqlite3: $out"
else notok "asan tg.so in sqlite3 (exit $rc): $out"; tail -30 "$H_TMP/shell.log"; fi

# 4. the SQL tests with the ASan tg.so.
if [ -f tests/sql/run.sh ]; then
	if SQLITE3="$PWD/$A/sqlite3-asan" $TG_MAKE -C "$A" --no-print-directory CFLAGS="$TG_SAN_CFLAGS" \
	   LDFLAGS="$TG_SAN_LDFLAGS" sqltest >"$H_TMP/sql.log" 2>&1 && sanitizer_silent "$H_TMP/sql.log"; then
		ok "asan SQL tests ($(grep -c '^ok ' "$H_TMP/sql.log") files)"
	else
		notok "asan SQL tests"
		tail -60 "$H_TMP/sql.log"
	fi
else
	skip "asan SQL tests (no tests/sql/run.sh)"
fi
h_finish
