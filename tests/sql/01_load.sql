-- Loading tg.  The shell's .load finds the entry point sqlite3_tg_init from the
-- file name.  The fixture database holds the hand-designed models of
-- tests/tools/fixture_model.h (see that file for the weights).
.load ./tg

-- tg_version() is the release of the extension.
SELECT tg_version();

-- Loading it again replaces the first registrations (and frees their state);
-- everything keeps working.
.load ./tg
SELECT tg_predict('A ghost story');

-- The functions are innocuous: usable even with trusted_schema off, e.g. in views.
PRAGMA trusted_schema = off;
CREATE VIEW v AS SELECT tg_predict('A ghost story') AS genre, tg_version() AS version;
SELECT genre, version FROM v;
SELECT count(*) FROM tg_genres('A ghost story');
