-- A deployed row that changes but keeps its id is a new model: the next statement
-- uses it.
.load ./tg
.shell rm -f build/tests/sql-other.db
SELECT tg_predict('A ghost story'), tg_model() ->> '$.id';
-- => Horror|1

-- Another connection restores a database whose model 1 is another model (genre's
-- second version, stored under id 1).  The first connection's next statement
-- tags with the new weights, as its tg_model() describes them.
ATTACH 'build/tests/sql-other.db' AS other;
CREATE TABLE other.tg_models AS SELECT * FROM tg_models WHERE name = 'genre';
UPDATE other.tg_models SET deployed = 1 - deployed, id = 4 - id;
DETACH other;
.connection 1
.open --new build/tests/sql-restored.db
.shell cp "$TG_SQL_DB" build/tests/sql-restored.db
.connection 0
.open build/tests/sql-restored.db
.load ./tg
SELECT tg_predict('A ghost story'), tg_model() ->> '$.id';
-- => Horror|1
.connection 1
.open build/tests/sql-restored.db
.restore build/tests/sql-other.db
.connection 0
SELECT tg_predict('A ghost story'), tg_model() ->> '$.id';
-- => Comedy|1
.connection close 1

-- The same in WAL mode: the restore reaches the reader through the WAL.
.shell cp "$TG_SQL_DB" build/tests/sql-restored.db
.open build/tests/sql-restored.db
.load ./tg
PRAGMA journal_mode = wal;
-- => wal
SELECT tg_predict('A ghost story'), tg_model() ->> '$.id';
-- => Horror|1
.connection 1
.open build/tests/sql-restored.db
.restore build/tests/sql-other.db
.connection 0
SELECT tg_predict('A ghost story'), tg_model() ->> '$.id';
-- => Comedy|1
.connection close 1
.open :memory:
.shell rm -f build/tests/sql-restored.db-wal build/tests/sql-restored.db-shm

-- The blob is found by the row's id, not by its place in the table: a registry
-- rebuilt by hand, where id is no longer the rowid, still serves the row its
-- deployed flag names.
.open build/tests/sql-restored.db
.load ./tg
.shell cp "$TG_SQL_DB" build/tests/sql-restored.db
CREATE TABLE bak AS SELECT * FROM tg_models;
DROP TABLE tg_models;
CREATE TABLE tg_models AS SELECT * FROM bak WHERE id <> 2 ORDER BY id;
UPDATE tg_models SET deployed = (id = 3) WHERE name = 'genre';
SELECT id, rowid FROM tg_models WHERE name = 'genre' AND deployed;
-- => 3|2
SELECT tg_predict('A ghost story'), tg_model() ->> '$.id';
-- => Comedy|3

-- A registry that is a view, or a WITHOUT ROWID table, has no rowid to read the
-- blob's header through; its checksum is read with the row, so a blob replaced under
-- the same id by another of the same length (genre's second version) is seen too.
.shell rm -f build/tests/sql-kinds.db
ATTACH 'build/tests/sql-kinds.db' AS wr;
CREATE TABLE wr.tg_models (id INTEGER PRIMARY KEY, name TEXT, created_at, format, params, metrics,
                           data_sha256, deployed INTEGER, model BLOB) WITHOUT ROWID;
INSERT INTO wr.tg_models SELECT * FROM main.tg_models WHERE id = 1;
CREATE TABLE wr.real_models AS SELECT * FROM main.tg_models WHERE id = 1;
UPDATE wr.tg_models SET deployed = 1;
UPDATE wr.real_models SET deployed = 1;
SELECT length(model) = (SELECT length(model) FROM main.tg_models WHERE id = 3) FROM wr.tg_models;
-- => 1
SELECT tg_predict('A ghost story', 'wr.genre'), tg_model('wr.genre') ->> '$.id';
-- => Horror|1
UPDATE wr.tg_models SET model = (SELECT model FROM main.tg_models WHERE id = 3);
SELECT tg_predict('A ghost story', 'wr.genre'), tg_model('wr.genre') ->> '$.id';
-- => Comedy|1
-- The view, in place of the table.
DROP TABLE wr.tg_models;
CREATE VIEW wr.tg_models AS SELECT * FROM real_models;
SELECT tg_predict('A ghost story', 'wr.genre'), tg_model('wr.genre') ->> '$.id';
-- => Horror|1
UPDATE wr.real_models SET model = (SELECT model FROM main.tg_models WHERE id = 3);
SELECT tg_predict('A ghost story', 'wr.genre'), tg_model('wr.genre') ->> '$.id';
-- => Comedy|1
DETACH wr;
.shell rm -f build/tests/sql-other.db build/tests/sql-restored.db build/tests/sql-kinds.db
