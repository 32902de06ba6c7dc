.load ./tg
.headers on

-- reference: tg_predict(text [, name]) -> TEXT
-- tg_predict(text [, name]) returns the most likely genre of the text under the
-- model deployed as `name` ('genre' by default).
SELECT tg_predict('A ghost story') AS ghost,
       tg_predict('Love at the wedding') AS wedding,
       tg_predict('A funny man') AS funny;
-- => ghost|wedding|funny
-- => Horror|Romance|Comedy

-- Case and punctuation do not matter; "haunted house" is a bigram feature.
SELECT tg_predict('THE HAUNTED HOUSE!!!') AS shouted,
       tg_predict('the haunted, house') AS with_comma,
       tg_predict('house haunted') AS reversed;
-- => shouted|with_comma|reversed
-- => Horror|Horror|Horror

-- A text with tokens but none the model knows gets the best genre by bias alone
-- (here all three tie at probability 0.5 and the first label wins).
SELECT tg_predict('Nothing in here is known') AS unknown_words;
-- => unknown_words
-- => Horror

-- NULL, and texts without a single token (one-letter words are dropped), give NULL.
SELECT tg_predict(NULL) IS NULL AS null_text,
       tg_predict('') IS NULL AS empty,
       tg_predict('... !? a b c') IS NULL AS no_tokens;
-- => null_text|empty|no_tokens
-- => 1|1|1

-- Numbers are read as their text, blobs as their bytes.
SELECT tg_predict(7) IS NULL AS seven_is_one_letter,
       tg_predict(1984) AS year,
       tg_predict(CAST('a ghost' AS BLOB)) AS blob,
       tg_predict(x'676859' || x'4f5354') AS hex_blob,
       tg_predict(x'') IS NULL AS empty_blob;
-- => seven_is_one_letter|year|blob|hex_blob|empty_blob
-- => 1|Horror|Horror|Horror|1

-- The second argument names another model.
SELECT tg_predict('A ghost story', 'mood') AS dark,
       tg_predict('A funny man', 'mood') AS light;
-- => dark|light
-- => Dark|Light "fun"

-- Over a table.
CREATE TABLE movies(title TEXT, overview TEXT);
INSERT INTO movies VALUES
  ('The Haunting', 'A haunted house and a ghost who will not leave.'),
  ('Wedding Season', 'Love at the wedding.'),
  ('Laugh Out Loud', 'A funny, funny story.'),
  ('Untitled', NULL);
SELECT title, tg_predict(overview) AS genre FROM movies ORDER BY rowid;
-- => title|genre
-- => The Haunting|Horror
-- => Wedding Season|Romance
-- => Laugh Out Loud|Comedy
-- => Untitled|
