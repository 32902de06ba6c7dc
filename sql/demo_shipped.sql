-- Your own database, tagged by the model tg ships: three lines.  Run by `make demo`
-- when data/movies_metadata.csv is absent:  sqlite3 demo.db < sql/demo_shipped.sql
.load ./tg
ATTACH 'file:models/genre.db?mode=ro' AS tgm;
.mode box --wrap 100 --wordwrap on

-- The model in use: found in the attached schema, trained by tg-train on the real
-- movies_metadata.csv; its data fingerprint and its figures on that file's test split.
SELECT m ->> '$.schema' AS schema, m ->> '$.id' AS id, m ->> '$.params.trainer' AS made_by,
       substr(m ->> '$.data_sha256', 1, 16) || '...' AS data_sha256,
       round(m ->> '$.metrics.test.p_at_1', 4) AS "test P@1",
       round(m ->> '$.metrics.test.micro_f1', 4) AS "test micro-F1"
FROM (SELECT tg_model() AS m);

-- The shipped model reads titles too: tg_text joins title and overview as its training did.
SELECT title, tg_predict(tg_text(title, overview)) AS genre, tg_tags(tg_text(title, overview)) AS tags
FROM films WHERE trim(overview) <> '' LIMIT 8;

-- Any text works, not only rows of a table.
SELECT tg_scores('A haunted house, a family, and the thing in the cellar that wants them gone.') AS scores;

-- Genre counts over the whole table, one row per (film, tagged genre).
SELECT g.genre, count(*) AS films
FROM films, tg_genres(tg_text(films.title, films.overview)) AS g
WHERE g.tagged
GROUP BY g.genre ORDER BY films DESC LIMIT 10;

-- Why Horror?
SELECT tg_explain('A haunted house, a family, and the thing in the cellar that wants them gone.', 'Horror') AS why;
