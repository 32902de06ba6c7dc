.load ./tg
.headers on

-- tg_genres(text [, name]) is a table-valued function with one row per genre,
-- best first: genre, score (probability), tagged (as tg_tags), rank (1 = best).
SELECT genre, round(score, 4) AS score, tagged, rank FROM tg_genres('Love at the wedding');

-- The arguments are the hidden columns text and name.
SELECT genre, name, text FROM tg_genres('A ghost story', 'mood') WHERE rank = 1;

-- Joined to a table, one call per row:
CREATE TABLE movies(title TEXT, overview TEXT);
INSERT INTO movies VALUES
  ('The Haunting', 'A haunted house and a ghost who will not leave.'),
  ('Wedding Season', 'Love at the wedding.'),
  ('Laugh Out Loud', 'A funny, funny story.'),
  ('Ghost Wedding', 'A ghost at the wedding, a ghost!'),
  ('Untitled', NULL);

-- how many movies are tagged with each genre
SELECT g.genre, count(*) AS movies
  FROM movies, tg_genres(movies.overview) g
 WHERE g.tagged
 GROUP BY 1 ORDER BY 2 DESC, 1;

-- each movie's two best genres
SELECT m.title, g.rank, g.genre
  FROM movies m, tg_genres(m.overview) g
 WHERE g.rank <= 2 ORDER BY m.rowid, g.rank;

-- A NULL or token-less text has no rows.
SELECT count(*) AS no_rows FROM tg_genres(NULL);
SELECT count(*) AS no_rows FROM tg_genres('!!');

-- The text is required.
SELECT * FROM tg_genres;
SELECT * FROM tg_genres();
-- The name must be text.
SELECT * FROM tg_genres('A ghost story', 42);
