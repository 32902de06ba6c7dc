# Shared helpers of the hardening scripts (sourced).  Every check prints one line:
#   ok - WHAT        not ok - WHAT        skip - WHAT (reason)
# which tests/hardening/run.sh counts; a script exits 1 when any check failed.
H_FAILED=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; H_FAILED=$((H_FAILED + 1)); }
skip() { echo "skip - $*"; }
h_finish() {
	[ "$H_FAILED" -eq 0 ] && exit 0
	echo "$0: $H_FAILED check(s) failed" >&2
	exit 1
}
h_sha() { sha256sum "$1" | cut -d' ' -f1; }
h_tmpdir() {
	H_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tg-hardening.XXXXXX") || exit 2
	trap 'rm -rf "$H_TMP"' EXIT
	trap 'exit 130' INT TERM
}
# h_unit_tests LABEL DIR [LOGCHECK]: runs each unit test binary of the build tree DIR
# (DIR/build/tests/check_*, from DIR) with its output in $H_TMP/NAME.log, and prints
# "ok - LABEL unit NAME (100%: Checks: N)", or "not ok" and the end of the log.  A test
# passes when it exits 0 and, given LOGCHECK, `LOGCHECK LOG` succeeds too.  Needs
# h_tmpdir; "not ok" when DIR holds no unit test.
h_unit_tests() {
	found=0
	for t in "$2"/build/tests/check_*; do
		[ -x "$t" ] || continue
		found=1
		name=$(basename "$t")
		if (cd "$2" && "build/tests/$name") >"$H_TMP/$name.log" 2>&1 &&
		   { [ -z "${3:-}" ] || "$3" "$H_TMP/$name.log"; }; then
			ok "$1 unit $name ($(grep -oE '[0-9]+%: Checks: [0-9]+' "$H_TMP/$name.log" | tail -1))"
		else
			notok "$1 unit $name"
			tail -40 "$H_TMP/$name.log"
		fi
	done
	[ "$found" = 1 ] || notok "$1 unit tests: none built in $2/build/tests"
}
