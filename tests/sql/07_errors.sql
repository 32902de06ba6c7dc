.load ./tg

-- Every error starts with "tg: " and says what to do.

-- No deployed model of that name: either no such model at all ...
SELECT tg_predict('A ghost story', 'nope');
-- => Runtime error: tg: no deployed model named 'nope': tg_models has no model of that name; train one with tg-train
-- ... or none of its versions is deployed.
SELECT tg_predict('A ghost story', 'shelved');
-- => Runtime error: tg: no deployed model named 'shelved': deploy one of its 1 trained models, e.g. UPDATE tg_models SET deployed = 1 WHERE id = 5

-- A damaged blob (model 4 has one flipped byte) is refused, naming the row.
SELECT tg_predict('A ghost story', 'broken');
-- => Runtime error: tg: model 4 ('broken') is damaged: model checksum mismatch (damaged blob)

-- Arguments of the wrong type.
SELECT tg_predict('A ghost story', 42);
-- => Runtime error: tg: tg_predict(): the model name must be text, not integer
SELECT tg_tags('A ghost story', NULL);
-- => Runtime error: tg: tg_tags(): the model name must be text, not null
SELECT tg_scores('A ghost story', x'00');
-- => Runtime error: tg: tg_scores(): the model name must be text, not blob
SELECT tg_model(1.5);
-- => Runtime error: tg: tg_model(): the model name must be text, not real
SELECT tg_explain('A ghost story', 3);
-- => Runtime error: tg: tg_explain(): the genre must be text, not integer

-- Wrong number of arguments.
SELECT tg_predict();
-- => Parse error: wrong number of arguments to function tg_predict()
-- =>   SELECT tg_predict();
-- =>          ^--- error here

-- A NULL text still checks its model name first.
SELECT tg_predict(NULL, 42);
-- => Runtime error: tg: tg_predict(): the model name must be text, not integer

-- A registry without the columns tg needs.
ALTER TABLE tg_models RENAME COLUMN deployed TO live;
SELECT tg_predict('A ghost story');
-- => Runtime error: tg: cannot read the model registry (table tg_models): no such column: deployed

-- No registry at all.
DROP TABLE tg_models;
SELECT tg_predict('A ghost story');
-- => Runtime error: tg: no model registry (table tg_models) in this database; train one with tg-train, or ATTACH a model database such as tg's genre.db
SELECT tg_tags(NULL) IS NULL AS null_text_needs_no_model;
-- => 1
