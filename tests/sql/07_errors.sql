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
-- A name or genre that holds a NUL byte (here 'genre', NUL, 'x', made from a blob) is
-- refused as such, not taken for the 'genre' before the NUL.
SELECT tg_predict('A ghost story', CAST(x'67656e72650078' AS TEXT));
-- => Runtime error: tg: tg_predict(): the model name contains a NUL byte (after 'genre'), which no name can hold
SELECT tg_model(CAST(x'67656e72650078' AS TEXT));
-- => Runtime error: tg: tg_model(): the model name contains a NUL byte (after 'genre'), which no name can hold
SELECT genre FROM tg_genres('A ghost story', CAST(x'6e6f7065000078' AS TEXT));
-- => Runtime error: tg: tg_genres(): the model name contains a NUL byte (after 'nope'), which no name can hold
SELECT tg_explain('A ghost story', CAST(x'486f72726f720078' AS TEXT));
-- => Runtime error: tg: tg_explain(): the genre contains a NUL byte (after 'Horror'), which no name can hold

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
