-- A tour of tg on the films tg-train just wrote into this database.
-- Run by `make demo`:  sqlite3 demo.db < sql/demo.sql
.load ./tg
.mode box --wrap 100 --wordwrap on

SELECT tg_version() AS "tg version";

-- The model this connection uses: the deployed row of tg_models named 'genre'.
SELECT id, name, created_at, format, length(model) AS blob_bytes,
       json_extract(metrics, '$.test.micro_f1') AS test_micro_f1,
       json_extract(metrics, '$.test.p_at_1') AS test_p_at_1
FROM tg_models WHERE deployed;

-- Tag a few films of the test split (the model never trained on them).
SELECT title, tg_predict(overview) AS predicted, genres AS actual
FROM movies WHERE split = 'test' AND overview <> '' LIMIT 8;

-- Multi-label tags, best first.
SELECT title, tg_tags(overview) AS tags
FROM movies WHERE split = 'test' AND overview <> '' LIMIT 5;

-- Any text works, not only rows of a table.
SELECT tg_scores('A haunted house, a family, and the thing in the cellar that wants them gone.') AS scores;

-- Genre counts over the whole table, one row per (film, tagged genre).
SELECT g.genre, count(*) AS films
FROM movies, tg_genres(movies.overview) AS g
WHERE g.tagged
GROUP BY g.genre ORDER BY films DESC LIMIT 10;

-- Why was a film tagged Horror?
SELECT tg_explain('A haunted house, a family, and the thing in the cellar that wants them gone.', 'Horror') AS why;
