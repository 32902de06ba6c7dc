"""tg, the SQLite extension that tags movie genres, for Python's sqlite3 module.

    import sqlite3, sqlite_tg
    conn = sqlite3.connect("films.db")
    sqlite_tg.load(conn)                  # tg's SQL functions on this connection
    conn.execute("ATTACH ? AS tgm", (sqlite_tg.model_path(),))
    conn.execute("SELECT tg_predict(overview) FROM films").fetchall()

loadable_path() is tg.so's path (tg.dll's on Windows), for other tools (sqlite-utils --load-extension, the
sqlite3 shell's .load); model_path() is the shipped model, genre.db.
"""
import os
import sqlite3
import sys
from importlib.metadata import version as _dist_version

__all__ = ["load", "loadable_path", "model_path"]
__version__ = _dist_version("sqlite-tg")

_HERE = os.path.dirname(os.path.abspath(__file__))


def _packaged(name: str, what: str) -> str:
    path = os.path.join(_HERE, name)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"sqlite_tg: {what} is missing: no file {path}; reinstall the package: "
            f"pip install --force-reinstall sqlite-tg=={__version__}")
    return path


def loadable_path() -> str:
    """The full path of the loadable extension: tg.so, or tg.dll on Windows (each wheel
    holds its platform's one)."""
    name = "tg.dll" if sys.platform == "win32" else "tg.so"
    return _packaged(name, f"the extension {name}")


def model_path() -> str:
    """The full path of the shipped model database, genre.db: ATTACH it, or open it."""
    return _packaged("genre.db", "the shipped model genre.db")


def load(conn: sqlite3.Connection) -> None:
    """Loads tg into conn.  When the caller has not turned extension loading on, it is
    switched on for this call only: SQL run on conn afterwards cannot load extensions
    (SQLite's safe default).  When the caller has (enable_load_extension(True)), it
    stays on."""
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError(f"sqlite_tg: load(conn) takes a sqlite3.Connection, not {type(conn).__name__}")
    if not hasattr(conn, "enable_load_extension"):
        raise sqlite3.NotSupportedError(
            f"sqlite_tg: this Python ({sys.executable}) cannot load SQLite extensions: its "
            "sqlite3 module was built without --enable-loadable-sqlite-extensions. Use a Python "
            "that can, such as Debian's /usr/bin/python3, or rebuild this one with that option "
            "(pyenv: PYTHON_CONFIGURE_OPTS=--enable-loadable-sqlite-extensions pyenv install ...)")
    # Without ".so": SQLite tries the name as given, then with ".so", and reports the last
    # failure; given tg.so itself, a damaged file was reported as "tg.so.so: cannot open".
    path = loadable_path()[:-len(".so")]
    # sqlite3 has no getter for the switch, but SQLite refuses a load while it is off
    # ("not authorized") before it opens any file: a first try tells whether the caller
    # turned it on, and then it is left on.
    try:
        conn.load_extension(path)
        return
    except sqlite3.OperationalError as e:
        if "not authorized" not in str(e):
            raise
    conn.enable_load_extension(True)
    try:
        conn.load_extension(path)
    finally:
        conn.enable_load_extension(False)
