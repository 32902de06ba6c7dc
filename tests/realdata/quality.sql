-- The test-split quality of the deployed model, measured through SQL alone:
-- tg_predict for P@1 and tg_tags for the tagged sets, on tg_text(title, overview)
-- (what the model reads: the overview, or title and overview), over the protocol's test films
-- (id % 10 = 0, a non-blank overview, at least one of the model's genres, the first
-- row of a repeated id).  Prints one row: films|p_at_1|micro_f1|macro_f1.
.load ./tg
CREATE TEMP TABLE labels AS
  SELECT value AS genre FROM json_each(json_extract(tg_model(), '$.labels'));
CREATE TEMP TABLE eval AS
  SELECT m.id, m.genres, tg_predict(tg_text(m.title, m.overview)) AS top,
         tg_tags(tg_text(m.title, m.overview)) AS tags
  FROM movies AS m
  WHERE m.id % 10 = 0 AND trim(m.overview) <> ''
    AND m.rowid = (SELECT min(d.rowid) FROM movies AS d WHERE d.id = m.id)
    AND EXISTS (SELECT 1 FROM json_each(m.genres) AS g WHERE g.value IN (SELECT genre FROM labels));
CREATE TEMP TABLE truth AS
  SELECT e.id, g.value AS genre FROM eval AS e, json_each(e.genres) AS g
  WHERE g.value IN (SELECT genre FROM labels);
CREATE TEMP TABLE tagged AS
  SELECT e.id, t.value AS genre FROM eval AS e, json_each(e.tags) AS t;
CREATE TEMP TABLE per_genre AS
  SELECT l.genre,
         (SELECT count(*) FROM tagged AS t JOIN truth AS u USING (id, genre) WHERE t.genre = l.genre) AS tp,
         (SELECT count(*) FROM tagged AS t WHERE t.genre = l.genre) AS tagged_n,
         (SELECT count(*) FROM truth AS u WHERE u.genre = l.genre) AS truth_n
  FROM labels AS l;
SELECT (SELECT count(*) FROM eval),
       printf('%.6f', (SELECT avg(EXISTS (SELECT 1 FROM truth AS u WHERE u.id = e.id AND u.genre = e.top)) FROM eval AS e)),
       printf('%.6f', (SELECT 2.0 * sum(tp) / (sum(tagged_n) + sum(truth_n)) FROM per_genre)),
       printf('%.6f', (SELECT avg(CASE WHEN tp = 0 THEN 0.0 ELSE 2.0 * tp / (tagged_n + truth_n) END) FROM per_genre));
-- Calibration: among (film, genre) pairs of the test split scored 0.6 to 0.8, the mean
-- score and the share that have the genre.  Prints mean_score|share.
SELECT printf('%.4f', avg(s.p)), printf('%.4f', avg(EXISTS (SELECT 1 FROM truth AS u WHERE u.id = s.id AND u.genre = s.genre)))
FROM (SELECT e.id, j.key AS genre, j.value AS p
      FROM eval AS e JOIN movies AS m ON m.id = e.id AND m.rowid = (SELECT min(rowid) FROM movies WHERE id = e.id),
           json_each(tg_scores(tg_text(m.title, m.overview))) AS j) AS s
WHERE s.p >= 0.6 AND s.p < 0.8;
