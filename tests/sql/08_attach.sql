-- A model that lives in another database.  The user's own database has films but
-- no registry; the models are in a file of their own, attached read-only, and tg
-- finds them the way SQLite finds an unqualified table: temp, then main, then the
-- attached schemas in the order they were attached.
.load ./tg
.shell rm -f build/tests/sql-films.db build/tests/sql-models.db
.shell cp "$TG_SQL_DB" build/tests/sql-models.db
.open build/tests/sql-films.db
.load ./tg
CREATE TABLE films (title TEXT, overview TEXT);
INSERT INTO films VALUES ('Night', 'A ghost story'), ('June', 'Love at the wedding');

-- No registry in any schema yet: the message says what to do.
SELECT tg_predict(overview) FROM films;
-- => Runtime error: tg: no model registry (table tg_models) in this database; train one with tg-train, or ATTACH a model database such as tg's genre.db

-- Attached read-only: plain tg_predict finds the model.
ATTACH 'file:build/tests/sql-models.db?mode=ro' AS tgm;
SELECT title, tg_predict(overview), tg_tags(overview) FROM films;
-- => Night|Horror|["Horror"]
-- => June|Romance|["Romance","Comedy"]
-- tg_model() says which schema the model came from.
SELECT tg_model() ->> '$.schema', tg_model() ->> '$.id';
-- => tgm|1
-- A schema-qualified name looks in that schema alone.
SELECT tg_predict('A ghost story', 'tgm.genre'), tg_model('tgm.mood') ->> '$.name';
-- => Horror|mood

-- Errors name the schema they come from: a damaged blob in the attached file ...
SELECT tg_predict('A ghost story', 'broken');
-- => Runtime error: tg: model 4 ('broken') in schema 'tgm' is damaged: model checksum mismatch (damaged blob)
-- ... a name no schema deploys ...
SELECT tg_predict('A ghost story', 'nope');
-- => Runtime error: tg: no deployed model named 'nope': tg_models in schema 'tgm' has no model of that name; train one with tg-train
-- ... a schema-qualified name whose schema has no registry.
SELECT tg_predict('A ghost story', 'main.genre');
-- => Runtime error: tg: no model registry (table tg_models) in schema 'main'; ATTACH a database that has one, such as tg's genre.db
-- A name whose prefix is not a schema is a plain model name.
SELECT tg_predict('A ghost story', 'no.such');
-- => Runtime error: tg: no deployed model named 'no.such': tg_models in schema 'tgm' has no model of that name; train one with tg-train

-- Two schemas hold the name: the first in the search order wins.  A registry in
-- main (here a copy of the attached one with genre's other version deployed)
-- comes before the attached one, at the next statement.
CREATE TABLE tg_models AS SELECT * FROM tgm.tg_models;
UPDATE tg_models SET deployed = (id = 3) WHERE name = 'genre';
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
-- => Comedy|main
SELECT tg_predict('A ghost story', 'tgm.genre'), tg_model('tgm.genre') ->> '$.schema';
-- => Horror|tgm
-- One statement may use both: 'tgm.genre' and 'genre' are two models, in whichever
-- order the statement asks for them, row after row.
SELECT tg_predict(overview, 'tgm.genre'), tg_predict(overview), tg_model() ->> '$.schema',
       tg_model('tgm.genre') ->> '$.schema' FROM films;
-- => Horror|Comedy|main|tgm
-- => Romance|Romance|main|tgm
SELECT v.column1, g.genre, g.name FROM (VALUES ('tgm.genre'), ('genre')) v, tg_genres('A ghost story', v.column1) g
 WHERE g.rank = 1;
-- => tgm.genre|Horror|tgm.genre
-- => genre|Comedy|genre
-- temp comes before main.
CREATE TEMP TABLE tg_models AS SELECT * FROM tgm.tg_models;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
-- => Horror|temp
DROP TABLE temp.tg_models;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
-- => Comedy|main
DROP TABLE main.tg_models;

-- DETACH and ATTACH between statements of one connection: each statement looks
-- again.
DETACH tgm;
SELECT tg_predict('A ghost story');
-- => Runtime error: tg: no model registry (table tg_models) in this database; train one with tg-train, or ATTACH a model database such as tg's genre.db
ATTACH 'file:build/tests/sql-models.db?mode=ro' AS models2;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
-- => Horror|models2

-- The attached file is read-only: tagging works, writing is refused by SQLite.
UPDATE models2.tg_models SET deployed = 0;
-- => Runtime error: attempt to write a readonly database (8)
SELECT tg_predict('A ghost story');
-- => Horror
.shell rm -f build/tests/sql-films.db build/tests/sql-models.db
