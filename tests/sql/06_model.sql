.load ./tg
.headers on

-- reference: tg_model([name]) -> JSON object (id, name, schema, created_at, format, labels, thresholds, metrics, params, n_features, blob_bytes, data_sha256)
-- tg_model([name]) describes the model this connection would use now.
SELECT tg_model() AS model;
-- => model
-- => {"id":1,"name":"genre","schema":"main","created_at":"2024-05-01 12:00:00","format":1,"labels":["Horror","Romance","Comedy"],"thresholds":{"Horror":0.5,"Romance":0.5,"Comedy":0.6},"metrics":{"micro_f1":0.75,"n_test":40},"params":{"epochs":5,"l2":0.0001},"n_features":5,"blob_bytes":240,"data_sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
SELECT json_extract(tg_model('mood'), '$.id', '$.labels', '$.thresholds') AS mood;
-- => mood
-- => [2,["Dark","Light \"fun\""],{"Dark":0.5,"Light \"fun\"":0.5}]
SELECT tg_model() ->> '$.blob_bytes' = (SELECT length(model) FROM tg_models WHERE id = 1) AS blob_bytes;
-- => blob_bytes
-- => 1

-- Deploying another version is seen by the connection's next statement.
SELECT tg_predict('A ghost story') AS before;
-- => before
-- => Horror
UPDATE tg_models SET deployed = (id = 3) WHERE name = 'genre';
SELECT tg_predict('A ghost story') AS after, tg_model() ->> '$.id' AS id;
-- => after|id
-- => Comedy|3

-- Also inside a transaction, and undone by its rollback.
BEGIN;
UPDATE tg_models SET deployed = (id = 1) WHERE name = 'genre';
SELECT tg_predict('A ghost story') AS in_transaction;
-- => in_transaction
-- => Horror
ROLLBACK;
SELECT tg_predict('A ghost story') AS after_rollback;
-- => after_rollback
-- => Comedy

-- Metadata that is not valid JSON is an error (tg-train's registry cannot hold it: its
-- CHECK constraints require JSON), never a guess; NULL metadata reads as null.
UPDATE tg_models SET params = NULL WHERE id = 2;
SELECT json_type(tg_model('mood'), '$.params') AS params;
-- => params
-- => null
UPDATE tg_models SET metrics = 'not json' WHERE id = 2;
SELECT tg_model('mood') ->> '$.metrics' AS metrics;
-- => Runtime error: tg: cannot read the registry row of model 2: malformed JSON
