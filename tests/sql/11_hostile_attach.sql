-- An attached database cannot choose the model.  tg finds the schemas with
-- sqlite3_db_name() and qualifies every table it reads with its schema, so no table
-- or view that a database file defines, whatever its name, takes part in the
-- search: the documented order (temp, main, attached) holds.  Here main deploys
-- genre version 1 ("A ghost story" is Horror); each attached file deploys version 2
-- (Comedy) and carries a table or a view named like the pragma tg once queried.
.load ./tg
.shell rm -f build/tests/sql-evil-table.db build/tests/sql-evil-view.db
.shell cp "$TG_SQL_DB" build/tests/sql-evil-table.db
.shell cp "$TG_SQL_DB" build/tests/sql-evil-view.db
ATTACH 'build/tests/sql-evil-table.db' AS evil_table;
UPDATE evil_table.tg_models SET deployed = (id = 3) WHERE name = 'genre';
CREATE TABLE evil_table.pragma_database_list (seq INTEGER, name TEXT, file TEXT);
INSERT INTO evil_table.pragma_database_list VALUES (1, 'any_alias', '');
DETACH evil_table;
ATTACH 'build/tests/sql-evil-view.db' AS evil_view;
UPDATE evil_view.tg_models SET deployed = (id = 3) WHERE name = 'genre';
CREATE TABLE evil_view.evil_marker (x);
-- Under any alias the view names its own schema, found through pragma_table_list.
CREATE VIEW evil_view.pragma_database_list AS
  SELECT 0 AS seq, schema AS name, '' AS file FROM pragma_table_list WHERE name = 'evil_marker';
DETACH evil_view;

-- The table form, trusted or not: main's model answers.
ATTACH 'build/tests/sql-evil-table.db' AS any_alias;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
-- => Horror|main
PRAGMA trusted_schema = OFF;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
-- => Horror|main
DETACH any_alias;

-- The view form: main's model answers, and with trusted_schema=OFF (where the view
-- cannot even be read) tg does not fail.
ATTACH 'build/tests/sql-evil-view.db' AS other_alias;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
-- => Horror|main
SELECT count(*) FROM other_alias.pragma_database_list;
-- => Parse error: unsafe use of virtual table "pragma_table_list"
PRAGMA trusted_schema = ON;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema', tg_tags('A ghost story');
-- => Horror|main|["Horror"]

-- Attached as tgm, with a temp registry, under either setting: the order holds.
ATTACH 'build/tests/sql-evil-table.db' AS tgm;
CREATE TEMP TABLE tg_models AS SELECT * FROM main.tg_models;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
-- => Horror|temp
DROP TABLE temp.tg_models;
PRAGMA trusted_schema = OFF;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
-- => Horror|main
-- What the attached files hold is still theirs to serve, asked for by name.
SELECT tg_predict('A ghost story', 'tgm.genre'), tg_model('tgm.genre') ->> '$.schema';
-- => Comedy|tgm
SELECT count(*) FROM main.tg_models, tg_genres('A ghost story') WHERE rank = 1 AND genre = 'Horror';
-- => 7
.shell rm -f build/tests/sql-evil-table.db build/tests/sql-evil-view.db
