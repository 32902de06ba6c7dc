-- A session in the sqlite3 shell with tg, on a database tg-train wrote (table movies
-- and a deployed model).  Type the lines one by one, or run it whole from the project's
-- top directory (where tg.so is):
--
--   ./tg-train data/sample_movies.csv movies.db
--   sqlite3 movies.db < examples/shell_session.sql
--
-- It creates (and replaces) one table of its own, my_films.
.bail on
.headers on
.mode column
.nullvalue NULL

-- Load the extension: the shell adds the .so suffix.  Installed: .load /usr/local/lib/tg/tg
.load ./tg
SELECT tg_version() AS tg, tg_model() ->> '$.id' AS model_id, tg_model() ->> '$.name' AS model;

-- Any text can be tagged.
SELECT tg_predict('Two detectives chase a serial killer through the city at night.') AS genre,
       tg_tags('Two detectives chase a serial killer through the city at night.') AS tags;

-- A table of films of our own (here: the test split of the films tg-train read),
-- with a column for the genre.
DROP TABLE IF EXISTS my_films;
CREATE TABLE my_films (id INTEGER PRIMARY KEY, title TEXT, overview TEXT, genre TEXT, tags TEXT);
INSERT INTO my_films (id, title, overview)
  SELECT id, title, overview FROM movies WHERE split = 'test' GROUP BY id;

-- Tag it on the fly: the top genre and the three best scores of a few films.
SELECT title, tg_predict(overview) AS genre,
       (SELECT group_concat(genre || ' ' || round(score, 2), ', ')
          FROM tg_genres(my_films.overview) WHERE rank <= 3) AS best
FROM my_films ORDER BY id LIMIT 5;

-- Count the genres over the whole table: one row per (film, tagged genre).
SELECT g.genre, count(*) AS films
FROM my_films, tg_genres(my_films.overview) AS g
WHERE g.tagged
GROUP BY g.genre ORDER BY films DESC, g.genre;

-- Store the tags in the table.  Overviews without a single word get NULL.
UPDATE my_films SET genre = tg_predict(overview), tags = tg_tags(overview);
SELECT genre, count(*) AS films FROM my_films GROUP BY genre ORDER BY films DESC, genre;

-- The stored tags are JSON: find the films tagged Comedy, whatever their top genre.
SELECT title, genre, tags FROM my_films, json_each(my_films.tags)
WHERE json_each.value = 'Comedy' ORDER BY my_films.id LIMIT 5;
