.load ./tg
.headers on

-- reference: tg_genres(text [, name]) -> table (genre, score, tagged, rank)
-- tg_genres(text [, name]) is a table-valued function with one row per genre,
-- best first: genre, score (probability), tagged (as tg_tags), rank (1 = best).
SELECT genre, round(score, 4) AS score, tagged, rank FROM tg_genres('Love at the wedding');
-- => genre|score|tagged|rank
-- => Romance|0.9367|1|1
-- => Comedy|0.9244|1|2
-- => Horror|0.3302|0|3

-- The arguments are the hidden columns text and name.
SELECT genre, name, text FROM tg_genres('A ghost story', 'mood') WHERE rank = 1;
-- => genre|name|text
-- => Dark|mood|A ghost story

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
-- => genre|movies
-- => Comedy|3
-- => Horror|3
-- => Romance|2

-- each movie's two best genres
SELECT m.title, g.rank, g.genre
  FROM movies m, tg_genres(m.overview) g
 WHERE g.rank <= 2 ORDER BY m.rowid, g.rank;
-- => title|rank|genre
-- => The Haunting|1|Horror
-- => The Haunting|2|Romance
-- => Wedding Season|1|Romance
-- => Wedding Season|2|Comedy
-- => Laugh Out Loud|1|Comedy
-- => Laugh Out Loud|2|Romance
-- => Ghost Wedding|1|Horror
-- => Ghost Wedding|2|Comedy

-- A NULL or token-less text has no rows.
SELECT count(*) AS no_rows FROM tg_genres(NULL);
-- => no_rows
-- => 0
SELECT count(*) AS no_rows FROM tg_genres('!!');
-- => no_rows
-- => 0

-- The text is required.
SELECT * FROM tg_genres;
-- => Parse error: tg: tg_genres() needs the text to classify: tg_genres(text [, name]), e.g. FROM movies, tg_genres(movies.overview)
SELECT * FROM tg_genres();
-- => Parse error: tg: tg_genres() needs the text to classify: tg_genres(text [, name]), e.g. FROM movies, tg_genres(movies.overview)
-- The name must be text.
SELECT * FROM tg_genres('A ghost story', 42);
-- => Runtime error: tg: tg_genres(): the model name must be text, not integer
