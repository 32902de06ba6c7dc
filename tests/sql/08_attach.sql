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

-- Attached read-only: plain tg_predict finds the model.
ATTACH 'file:build/tests/sql-models.db?mode=ro' AS tgm;
SELECT title, tg_predict(overview), tg_tags(overview) FROM films;
-- tg_model() says which schema the model came from.
SELECT tg_model() ->> '$.schema', tg_model() ->> '$.id';
-- A schema-qualified name looks in that schema alone.
SELECT tg_predict('A ghost story', 'tgm.genre'), tg_model('tgm.mood') ->> '$.name';

-- Errors name the schema they come from: a damaged blob in the attached file ...
SELECT tg_predict('A ghost story', 'broken');
-- ... a name no schema deploys ...
SELECT tg_predict('A ghost story', 'nope');
-- ... a schema-qualified name whose schema has no registry.
SELECT tg_predict('A ghost story', 'main.genre');
-- A name whose prefix is not a schema is a plain model name.
SELECT tg_predict('A ghost story', 'no.such');

-- Two schemas hold the name: the first in the search order wins.  A registry in
-- main (here a copy of the attached one with genre's other version deployed)
-- comes before the attached one, at the next statement.
CREATE TABLE tg_models AS SELECT * FROM tgm.tg_models;
UPDATE tg_models SET deployed = (id = 3) WHERE name = 'genre';
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
SELECT tg_predict('A ghost story', 'tgm.genre'), tg_model('tgm.genre') ->> '$.schema';
-- temp comes before main.
CREATE TEMP TABLE tg_models AS SELECT * FROM tgm.tg_models;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
DROP TABLE temp.tg_models;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';
DROP TABLE main.tg_models;

-- DETACH and ATTACH between statements of one connection: each statement looks
-- again.
DETACH tgm;
SELECT tg_predict('A ghost story');
ATTACH 'file:build/tests/sql-models.db?mode=ro' AS models2;
SELECT tg_predict('A ghost story'), tg_model() ->> '$.schema';

-- The attached file is read-only: tagging works, writing is refused by SQLite.
UPDATE models2.tg_models SET deployed = 0;
SELECT tg_predict('A ghost story');
.shell rm -f build/tests/sql-films.db build/tests/sql-models.db
