#!/usr/bin/python3
"""Tag films from Python with the standard sqlite3 module and tg.so.

    /usr/bin/python3 examples/python_tag.py DB [--limit N] [--ext PATH]
    /usr/bin/python3 examples/python_tag.py FILMS.db --model-db models/genre.db

For the first N films of DB's test split (DB trained by tg-train), prints the title,
the predicted genre, the tags and the three best scores, reading tg_scores() and
tg_tags() as Python objects with json.loads.  With --model-db, DB is a database of
your own with a table films(title, overview) and no model: the model database (the
shipped genre.db, say) is attached read-only and tags the first N films.

Use Debian's /usr/bin/python3 (python3-minimal): its sqlite3 module can load
extensions.  Pythons built without --enable-loadable-sqlite-extensions (pyenv's, by
default) lack Connection.enable_load_extension.
"""
import argparse
import json
import os
import pathlib
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description="Tag films with tg from Python.")
    ap.add_argument("db", help="database with a model trained by tg-train")
    ap.add_argument("--limit", type=int, default=5, help="films to tag (5)")
    ap.add_argument("--ext", default=os.path.join(HERE, "..", "tg"),
                    help="the extension, without .so (default: tg.so at the top of the project)")
    ap.add_argument("--model-db", help="attach this model database and tag DB's table films")
    args = ap.parse_args()

    for path in (args.db, args.model_db):
        if path is not None and not os.path.exists(path):
            sys.exit(f"python_tag.py: {path}: no such database")
    conn = sqlite3.connect(args.db)
    if not hasattr(conn, "enable_load_extension"):
        sys.exit(f"python_tag.py: {sys.executable}'s sqlite3 module cannot load extensions;"
                 " run it with /usr/bin/python3")
    try:
        conn.enable_load_extension(True)
        conn.load_extension(args.ext)
        conn.enable_load_extension(False)  # SQL may not load extensions from here on

        if args.model_db:
            # tg finds the registry in the attached schema: no model name needed.
            # as_uri() percent-encodes the path: a '?', '#' or '%' stays in the file name.
            conn.execute("ATTACH ? AS tgm", (pathlib.Path(args.model_db).absolute().as_uri() + "?mode=ro",))
            films = "SELECT title, overview FROM films WHERE trim(overview) <> '' ORDER BY rowid LIMIT ?"
        else:
            films = """SELECT title, overview FROM movies WHERE split = 'test' AND trim(overview) <> ''
                       ORDER BY id LIMIT ?"""
        # tg_text gives the model what it reads: title and overview for the shipped model,
        # the overview alone for a model trained on overviews.
        rows = conn.execute(
            f"""SELECT title, tg_predict(text), tg_tags(text), tg_scores(text)
                FROM (SELECT title, tg_text(title, overview) AS text FROM ({films}))""",
            (args.limit,)).fetchall()
    except sqlite3.Error as e:  # e.g. "tg: no model registry (table tg_models) ..."
        sys.exit(f"python_tag.py: {args.db}: {e}")
    finally:
        conn.close()

    for title, genre, tags, scores in rows:
        tags = json.loads(tags)        # ["Horror", "Thriller"], best first
        scores = json.loads(scores)    # {"Horror": 0.91, ...}, best first
        best = ", ".join(f"{g} {p:.2f}" for g, p in list(scores.items())[:3])
        print(f"{title}\t{genre}\t{', '.join(tags)}\t{best}")


if __name__ == "__main__":
    main()
