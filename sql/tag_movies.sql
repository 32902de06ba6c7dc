-- Store predictions beside the films: the top genre and all tags of every film, from
-- what the model reads (tg_text: the overview, or title and overview).
-- Usage: sqlite3 movies.db < sql/tag_movies.sql   (safe to run again)
.load ./tg
DROP TABLE IF EXISTS movie_tags;
CREATE TABLE movie_tags AS
  SELECT id, title, tg_predict(tg_text(title, overview)) AS genre,
         tg_tags(tg_text(title, overview)) AS tags FROM movies;
SELECT genre, count(*) AS films FROM movie_tags GROUP BY genre ORDER BY films DESC;
