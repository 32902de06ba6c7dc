.load ./tg

-- Every error starts with "tg: " and says what to do.

-- No deployed model of that name: either no such model at all ...
SELECT tg_predict('A ghost story', 'nope');
-- ... or none of its versions is deployed.
SELECT tg_predict('A ghost story', 'shelved');

-- A damaged blob (model 4 has one flipped byte) is refused, naming the row.
SELECT tg_predict('A ghost story', 'broken');

-- Arguments of the wrong type.
SELECT tg_predict('A ghost story', 42);
SELECT tg_tags('A ghost story', NULL);
SELECT tg_scores('A ghost story', x'00');
SELECT tg_model(1.5);
SELECT tg_explain('A ghost story', 3);

-- Wrong number of arguments.
SELECT tg_predict();

-- A NULL text still checks its model name first.
SELECT tg_predict(NULL, 42);

-- A registry without the columns tg needs.
ALTER TABLE tg_models RENAME COLUMN deployed TO live;
SELECT tg_predict('A ghost story');

-- No registry at all.
DROP TABLE tg_models;
SELECT tg_predict('A ghost story');
SELECT tg_tags(NULL) IS NULL AS null_text_needs_no_model;
