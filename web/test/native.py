"""The native side of web/test: overviews from the real CSV, and what the native
extension (tg.so loaded into Debian's Python sqlite3) answers for a text on the same
model database, to hold the page's answers against.  No film text is stored: the
overviews are read from the CSV at test time."""
import csv
import pathlib
import sqlite3
import sys


def overviews(csv_path, n):
    """n overviews spread evenly over the file's rows that have one."""
    csv.field_size_limit(sys.maxsize)
    with open(csv_path, newline="", encoding="utf-8") as f:
        texts = [r["overview"] for r in csv.DictReader(f) if r.get("overview", "").strip()]
    if len(texts) < n:
        raise SystemExit(f"tg: {csv_path} has {len(texts)} overviews, fewer than {n}")
    return [texts[i * len(texts) // n] for i in range(n)]


def films(csv_path, n):
    """(title, overview) of n films spread evenly over the rows that have both."""
    csv.field_size_limit(sys.maxsize)
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = [(r["title"], r["overview"]) for r in csv.DictReader(f)
                if r.get("overview", "").strip() and r.get("title", "").strip()]
    if len(rows) < n:
        raise SystemExit(f"tg: {csv_path} has {len(rows)} films with a title and an overview, fewer than {n}")
    return [rows[i * len(rows) // n] for i in range(n)]


class Native:
    def __init__(self, model_db, tg_so):
        self.db = sqlite3.connect(pathlib.Path(model_db).absolute().as_uri() + "?mode=ro", uri=True)
        if not hasattr(self.db, "enable_load_extension"):
            raise SystemExit("tg: this Python's sqlite3 cannot load extensions; use /usr/bin/python3")
        self.db.enable_load_extension(True)
        self.db.load_extension(tg_so)
        self.db.enable_load_extension(False)

    def answer(self, text, title=None):
        """(tg_predict(t), tg_tags(t)) for t = tg_text(title, text), as SQL returns them."""
        return self.db.execute("SELECT tg_predict(t), tg_tags(t) FROM (SELECT tg_text(?2, ?1) AS t)",
                               (text, title)).fetchone()
