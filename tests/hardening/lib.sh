# Shared helpers of the hardening scripts (sourced).  Every check prints one line:
#   ok - WHAT        not ok - WHAT        skip - WHAT (reason)
# which tests/hardening/run.sh counts; a script exits 1 when any check failed.
H_FAILED=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; H_FAILED=$((H_FAILED + 1)); }
skip() { echo "skip - $*"; }
# check WHAT COMMAND...: runs the command, ok when it succeeds.
check() {
	what=$1
	shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}
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
