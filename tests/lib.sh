# What the shell test scripts share (tests/*/check.sh, examples/run.sh): a scratch
# directory removed at exit, one "ok"/"FAIL" line per check, and the closing count.
# Sourced from the project root:  . tests/lib.sh; t_begin NAME; ...; t_end

# t_begin NAME: $tmp, a fresh scratch directory; the counts at zero.
t_begin() {
	t_name=$1
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-$1.XXXXXX") || exit 2
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
	pass=0 fail=0
}

# check NAME 1|0: counts and prints it.
check() {
	if [ "$2" = 1 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}

# t_end: "NAME: N passed, M failed"; status 1 when any failed.
t_end() {
	echo "$t_name: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# ro_uri PATH: the SQLite URI that opens PATH read-only, its '%', '?' and '#' percent-
# encoded: unencoded, they would end the file name or be decoded into another one.
ro_uri() { printf 'file:%s?mode=ro' "$(printf '%s' "$1" | sed 's/%/%25/g; s/?/%3F/g; s/#/%23/g')"; }
