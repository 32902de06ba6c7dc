-- tg model registry schema.
--
-- This file is the single source of the registry schema: the trainer and the cluster
-- node embed it at build time (registry/embed.sh -> build/gen/schema_sql.h), and the
-- trainer runs it on every open that finds it missing, inside one write transaction.  Every statement is idempotent (IF NOT EXISTS), so running it again
-- on an existing registry changes nothing.  The registry reads its JSON with SQLite's JSON
-- functions (built in since 3.38), but no CHECK, DEFAULT, index or view here may call one:
-- SQLite marks them unsafe for schemas, so with PRAGMA trusted_schema=OFF a database whose
-- schema uses one cannot be read at all.  The trainer validates the JSON it stores;
-- trainer/store/schema_upgrade.c rewrites registries of older tg-train versions that had
-- CHECK (json_valid(...)) on params and metrics.  Times are UTC ISO-8601 with milliseconds, e.g. 2024-05-01T12:34:56.789Z.

-- One row per trained model.
--   id           never reused (AUTOINCREMENT), so ids quoted in logs and in
--                tg_deployments keep meaning the same model; also "newest" = highest id.
--   name         the model family; the extension asks for the deployed model of a name.
--   format       version of the blob format in `model` (see ext/FORMAT.md).
--   params       training parameters as JSON text (valid JSON: the writer checks).  The trainer compares it as exact
--                text to skip retraining, so it must write it canonically.
--   metrics      evaluation as JSON; the registry reads $.validation.micro_f1 (deploy
--                policy "best") and $.test.micro_f1 / macro_f1 / p_at_1 (listing).
--   data_sha256  lowercase hex SHA-256 of the training input file.
--   deployed     1 for the model the extension serves for this name, else 0.
CREATE TABLE IF NOT EXISTS tg_models (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	name        TEXT    NOT NULL DEFAULT 'genre',
	created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	format      INTEGER NOT NULL,
	params      TEXT    NOT NULL,
	metrics     TEXT    NOT NULL,
	data_sha256 TEXT    NOT NULL,
	deployed    INTEGER NOT NULL DEFAULT 0 CHECK (deployed IN (0, 1)),
	model       BLOB    NOT NULL
);

-- At most one deployed model per name, enforced by the database itself.  It is also the
-- index of the extension's lookup
--     SELECT id, model FROM tg_models WHERE name = ?1 AND deployed = 1
-- (the query's "deployed = 1" term matches the index's WHERE clause, so SQLite uses this
-- partial index: one unique probe, then the row by id).
CREATE UNIQUE INDEX IF NOT EXISTS tg_models_one_deployed
	ON tg_models (name) WHERE deployed = 1;

-- The trainer's "nothing changed, no retraining" lookup (name, data_sha256, params) and
-- the per-name listing / pruning.
CREATE INDEX IF NOT EXISTS tg_models_name_data
	ON tg_models (name, data_sha256);

-- Deployment log, append-only except that rows of deleted models go with them.
--   action 'deploy'   model_id was deployed (explicitly, or by the store-time policy);
--   action 'rollback' model_id was redeployed by a rollback.
-- Rollback replays the log of a name as a stack: 'deploy' pushes its model, 'rollback'
-- pops back down to its model.  "Roll back" redeploys the entry below the current model,
-- i.e. the model that was deployed before the current one; rolling back twice after
-- deploy A, deploy B, deploy C gives B, then A.  The replay is one query,
-- registry/verbs.h, which tg-train and the cluster node both run.
CREATE TABLE IF NOT EXISTS tg_deployments (
	id          INTEGER PRIMARY KEY,
	name        TEXT    NOT NULL,
	model_id    INTEGER NOT NULL REFERENCES tg_models (id) ON DELETE CASCADE,
	deployed_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	action      TEXT    NOT NULL CHECK (action IN ('deploy', 'rollback'))
);

-- Rollback reads one name's log in order; pruning deletes by model_id.
CREATE INDEX IF NOT EXISTS tg_deployments_name ON tg_deployments (name, id);
CREATE INDEX IF NOT EXISTS tg_deployments_model ON tg_deployments (model_id);
