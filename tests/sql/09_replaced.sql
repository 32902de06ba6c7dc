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
.shell rm -f build/tests/sql-other.db build/tests/sql-restored.db
