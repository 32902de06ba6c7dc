#!/bin/sh
# make wheel-test: the sqlite-tg wheel installed with pip --no-index into a fresh venv
# of Debian's /usr/bin/python3 and used there (packages/tests/python/check.py); then
# into a venv of a Python whose sqlite3 cannot load extensions, when the machine has one
# (the pyenv python3 on PATH here), where load() must say so in plain words.
#   sh packages/tests/python.sh [OUT]     (OUT: where make wheel put the wheel)
set -u
cd "$(dirname "$0")/../.." || exit 1
out=${1:-build/packages}
PY=/usr/bin/python3
. tests/lib.sh
. packages/tests/common.sh
t_begin python-package
wheel=$(ls "$out"/sqlite_tg-"$pkg_version"-py3-none-manylinux_2_*_x86_64.whl 2>/dev/null | tail -n 1)
wheel=${wheel:-$out/sqlite_tg-$pkg_version-py3-none-manylinux_2_X_x86_64.whl}
check "the wheel is platform-tagged: $(basename "$wheel")" "$([ -f "$wheel" ] && echo 1 || echo 0)"
meta=$($PY -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read(sys.argv[2]).decode())' \
	"$wheel" "sqlite_tg-$pkg_version.dist-info/METADATA" 2>&1)
check "its metadata: licence MIT, version $pkg_version" \
	"$(echo "$meta" | grep -qx 'License: MIT' && echo "$meta" | grep -qx "Version: $pkg_version" &&
	   echo "$meta" | grep -qx 'Classifier: License :: OSI Approved :: MIT License' && echo 1 || echo 0)"

# install_into VENV PYTHON: a fresh venv of PYTHON with the wheel installed from its file.
install_into() {
	"$2" -m venv "$1" && "$1/bin/pip" install --quiet --no-index --disable-pip-version-check "$wheel"
}
install_into "$tmp/venv" $PY >"$tmp/pip.log" 2>&1 && ok=1 || ok=0
check "pip install --no-index of the wheel into a venv of $PY ($($PY --version 2>&1))" "$ok"
[ "$ok" = 1 ] || show "$tmp/pip.log"

films_db "$tmp/films.db"
films_expected "$out/bin/tg.so" "$tmp/films.db" "$TG_MODEL_DB" "$tmp/expected"
(cd "$tmp" && "$tmp/venv/bin/python" "$OLDPWD/packages/tests/python/check.py" films.db expected \
	"$pkg_version" "$OLDPWD/$TG_MODEL_DB" "$sqlite_built") >"$tmp/py.out" 2>&1
tally "$tmp/py.out" $? check.py

noload=$(command -v python3)
if [ -n "$noload" ] && ! "$noload" -c 'import sqlite3, sys; sys.exit(not hasattr(sqlite3.Connection, "enable_load_extension"))' 2>/dev/null; then
	install_into "$tmp/noload" "$noload" >"$tmp/pip.log" 2>&1 && ok=1 || ok=0
	check "pip install --no-index into a venv of $noload ($("$noload" --version 2>&1), no loadable extensions)" "$ok"
	"$tmp/noload/bin/python" -c 'import sqlite3, sqlite_tg; sqlite_tg.load(sqlite3.connect(":memory:"))' \
		>"$tmp/noload.out" 2>&1; rc=$?
	check "there, load(conn) raises NotSupportedError in plain words, no AttributeError" \
		"$([ $rc = 1 ] && tail -n 1 "$tmp/noload.out" | grep -q '^sqlite3.NotSupportedError: sqlite_tg: this Python (.*) cannot load SQLite extensions' &&
		   ! grep -q AttributeError "$tmp/noload.out" && echo 1 || echo 0)"
	tail -n 1 "$tmp/noload.out" | sed 's/^/     | /'
else
	echo "     (no python3 on PATH lacks loadable extensions: that case ran simulated only)"
fi
t_end
