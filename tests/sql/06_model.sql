.load ./tg
.headers on

-- tg_model([name]) describes the model this connection would use now.
SELECT tg_model() AS model;
SELECT json_extract(tg_model('mood'), '$.id', '$.labels', '$.thresholds') AS mood;
SELECT tg_model() ->> '$.blob_bytes' = (SELECT length(model) FROM tg_models WHERE id = 1) AS blob_bytes;

-- Deploying another version is seen by the connection's next statement.
SELECT tg_predict('A ghost story') AS before;
UPDATE tg_models SET deployed = (id = 3) WHERE name = 'genre';
SELECT tg_predict('A ghost story') AS after, tg_model() ->> '$.id' AS id;

-- Also inside a transaction, and undone by its rollback.
BEGIN;
UPDATE tg_models SET deployed = (id = 1) WHERE name = 'genre';
SELECT tg_predict('A ghost story') AS in_transaction;
ROLLBACK;
SELECT tg_predict('A ghost story') AS after_rollback;

-- Metadata that is not valid JSON is an error (tg-train's registry cannot hold it: its
-- CHECK constraints require JSON), never a guess; NULL metadata reads as null.
UPDATE tg_models SET params = NULL WHERE id = 2;
SELECT json_type(tg_model('mood'), '$.params') AS params;
UPDATE tg_models SET metrics = 'not json' WHERE id = 2;
SELECT tg_model('mood') ->> '$.metrics' AS metrics;
