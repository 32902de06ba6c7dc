-- The test-split quality of the deployed model, measured through SQL alone:
-- tg_predict for P@1 and tg_tags for the tagged sets, over the protocol's test films
-- (id % 10 = 0, a non-blank overview, at least one of the model's genres, the first
-- row of a repeated id).  Prints one row: films|p_at_1|micro_f1|macro_f1.
.load ./tg
CREATE TEMP TABLE labels AS
  SELECT value AS genre FROM json_each(json_extract(tg_model(), '$.labels'));
CREATE TEMP TABLE eval AS
  SELECT m.id, m.genres, tg_predict(m.overview) AS top, tg_tags(m.overview) AS tags
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
