"""The sqlite-tg wheel as a Python user meets it, run by the venv's Python it was
installed into: paths, load(conn), tagging, and the errors of load().

    python check.py FILMS_DB EXPECTED VERSION MODEL_DB SQLITE_BUILT

FILMS_DB is a user's database of films (no model in it), EXPECTED its "title|genre"
lines as the sqlite3 shell tags them with the model attached, MODEL_DB the model the
wheel should carry, SQLITE_BUILT the SQLite version tg was compiled against.  Prints "ok"/"FAIL" lines;
exit status 1 on a failure."""
import filecmp
import os
import sqlite3
import sys

import sqlite_tg

films, expected, version, model, built = sys.argv[1:6]
failed = 0


def check(name, ok):
    global failed
    print(f"{'ok  ' if ok else 'FAIL'} {name}")
    failed += not ok


def error_of(call):
    try:
        call()
    except Exception as e:  # the type and message are what is checked
        return e
    return None


site = os.path.dirname(sqlite_tg.__file__)
check(f"loadable_path() is the installed tg.so ({sqlite_tg.loadable_path()})",
      sqlite_tg.loadable_path() == os.path.join(site, "tg.so") and os.path.isfile(sqlite_tg.loadable_path()))
check(f"model_path() is the installed genre.db, the same file as {model}",
      sqlite_tg.model_path() == os.path.join(site, "genre.db")
      and filecmp.cmp(sqlite_tg.model_path(), model, shallow=False))
check(f"__version__ is {version}", sqlite_tg.__version__ == version)

conn = sqlite3.connect(films)
sqlite_tg.load(conn)
check("load(conn), then tg_version()", conn.execute("SELECT tg_version()").fetchone()[0] == version)
debug = conn.execute("SELECT tg_debug()").fetchone()[0].split("\n")
check(f"tg_debug(): tg {version}, built against SQLite {built}, running on {sqlite3.sqlite_version}",
      debug[0] == f"tg {version}" and f"sqlite built against: {built}" in debug
      and f"sqlite running: {sqlite3.sqlite_version}" in debug)
conn.execute("ATTACH ? AS tgm", (sqlite_tg.model_path(),))
got = "\n".join(f"{t}|{g}" for t, g in conn.execute(
    "SELECT title, tg_predict(overview) FROM films ORDER BY title"))
check("tags the films with model_path() attached, as the sqlite3 shell does", got == open(expected).read().strip())
e = error_of(lambda: conn.execute("SELECT load_extension(?)", (sqlite_tg.loadable_path(),)))
check("after load(), SQL cannot load extensions", isinstance(e, sqlite3.OperationalError) and "not authorized" in str(e))
conn.close()

# A caller that turned extension loading on keeps it on: load() turns off only what it
# turned on.
conn = sqlite3.connect(":memory:")
conn.enable_load_extension(True)
sqlite_tg.load(conn)
e = error_of(lambda: conn.execute("SELECT load_extension('/nonexistent/tg-test')"))
check(f"load() after the caller's enable_load_extension(True): loading stays on ({e})",
      conn.execute("SELECT tg_version()").fetchone()[0] == version
      and isinstance(e, sqlite3.OperationalError) and "not authorized" not in str(e))
conn.close()

# A damaged tg.so: the loader's message names that file and the cause, not "tg.so.so".
bad_dir = os.path.abspath("damaged")
os.makedirs(bad_dir, exist_ok=True)
with open(os.path.join(bad_dir, "tg.so"), "wb") as f:
    f.write(b"not an ELF file" * 8)
real_path, sqlite_tg.loadable_path = sqlite_tg.loadable_path, lambda: os.path.join(bad_dir, "tg.so")
e = error_of(lambda: sqlite_tg.load(sqlite3.connect(":memory:")))
sqlite_tg.loadable_path = real_path
check(f"load() of a damaged tg.so: the file and the cause ({e})",
      isinstance(e, sqlite3.OperationalError) and "tg.so.so" not in str(e)
      and os.path.join(bad_dir, "tg.so") in str(e) and "invalid ELF header" in str(e))

e = error_of(lambda: sqlite_tg.load("films.db"))
check("load() of a non-connection: TypeError naming sqlite3.Connection",
      isinstance(e, TypeError) and str(e).startswith("sqlite_tg: load(conn) takes a sqlite3.Connection"))


class NoLoadConnection(sqlite3.Connection):
    """A connection as a Python built without loadable extensions makes it."""
    def __getattribute__(self, name):
        if name == "enable_load_extension":
            raise AttributeError(name)
        return super().__getattribute__(name)


e = error_of(lambda: sqlite_tg.load(sqlite3.connect(":memory:", factory=NoLoadConnection)))
check("load() where sqlite3 cannot load extensions (simulated): NotSupportedError in plain words",
      isinstance(e, sqlite3.NotSupportedError) and "cannot load SQLite extensions" in str(e))
sys.exit(1 if failed else 0)
