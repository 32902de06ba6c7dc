-- Loading tg.  The shell's .load finds the entry point sqlite3_tg_init from the
-- file name.  The fixture database holds the hand-designed models of
-- tests/tools/fixture_model.h (see that file for the weights).
.load ./tg

-- reference: tg_version() -> TEXT
-- tg_version() is the release of the extension: the VERSION file, the one place
-- every package reads it from.
SELECT tg_version() = trim(CAST(readfile('VERSION') AS TEXT), char(10)) AS version_is_VERSION;
-- => 1

-- Loading it again replaces the first registrations (and frees their state);
-- everything keeps working.
.load ./tg
SELECT tg_predict('A ghost story');
-- => Horror

-- The functions are innocuous: usable even with trusted_schema off, e.g. in views.
PRAGMA trusted_schema = off;
CREATE VIEW v AS SELECT tg_predict('A ghost story') AS genre, tg_version() AS version;
SELECT genre, version = tg_version() FROM v;
-- => Horror|1
SELECT count(*) FROM tg_genres('A ghost story');
-- => 3

-- reference: tg_debug() -> TEXT
-- tg_debug() is for bug reports: version, build, platform, compiler, the scoring
-- kernels chosen for this processor, and SQLite's version at build and at run time.
SELECT count(*) FROM (SELECT value FROM json_each('["' || replace(tg_debug(), char(10), '","') || '"]'))
 WHERE value GLOB 'tg *' OR value GLOB 'built: *' OR value GLOB 'compiler: *'
    OR value IN ('platform: linux/x86_64', 'platform: linux/aarch64', 'platform: windows/x86_64')
    OR value IN ('simd: avx2+f16c', 'simd: sse2', 'simd: portable C')
    OR value = 'sqlite built against: ' || sqlite_version() OR value = 'sqlite running: ' || sqlite_version();
-- => 7
