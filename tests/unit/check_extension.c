/*
** The extension's SQL surface through in-process connections: tg is linked
** statically and registered with sqlite3_auto_extension, as an application would.
** The models are the hand-designed ones of tests/tools/fixture_model.h, whose
** comment works out the numbers expected here.
**
** main() installs a counting allocator in front of SQLite's, so tests can count
** the allocations of the per-row path and make the n-th allocation fail.
*/
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "tg.h"
#include "../tools/fixture_model.h"
#include "check_run.h"

/* ---- allocator: counts allocations; fails one on request ---------------------- */

static sqlite3_mem_methods system_mem;
static atomic_long n_allocs;
static long fail_countdown;   /* > 0: the allocation that brings it to 0 fails */
static int fail_fired;

static int should_fail(void)
{
	atomic_fetch_add(&n_allocs, 1);
	if (fail_countdown > 0 && --fail_countdown == 0) {
		fail_fired = 1;
		return 1;
	}
	return 0;
}

/* Allocations of a model buffer (a blob read), told by their size, which the test that
** counts them sets to TG_MODEL_BLOB_AT plus its models' blob lengths. */
static atomic_long n_model_buffers;
static int model_buffer_sizes[8];
static int n_model_buffer_sizes;

static void *counting_malloc(int n)
{
	for (int i = 0; i < n_model_buffer_sizes; i++)
		if (n == model_buffer_sizes[i]) {
			atomic_fetch_add(&n_model_buffers, 1);
			break;
		}
	return should_fail() ? NULL : system_mem.xMalloc(n);
}

static void *counting_realloc(void *p, int n)
{
	return should_fail() ? NULL : system_mem.xRealloc(p, n);
}

/* ---- helpers ------------------------------------------------------------------ */

static char dir[64];          /* a fresh temporary directory per process */

static const char *path_in_dir(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

/* A new database at name (in dir) holding the fixture registry. */
static sqlite3 *fixture_db(const char *name)
{
	char path[128];
	path_in_dir(name, path, sizeof path);
	unlink(path);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(fixture_populate(db), SQLITE_OK);
	return db;
}

static sqlite3 *open_db(const char *name)
{
	char path[128];
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path_in_dir(name, path, sizeof path), &db), SQLITE_OK);
	return db;
}

static void close_db(sqlite3 *db)
{
	/* Plain close: fails with SQLITE_BUSY if anything left a statement behind. */
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}

/* Every row of a query: columns joined by '|', rows by '\n', NULL as "NULL";
** "error: <message>" when it fails.  Free with sqlite3_free. */
static char *query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3_str *out = sqlite3_str_new(NULL);
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		int rows = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (rows++)
				sqlite3_str_appendchar(out, 1, '\n');
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				const char *v = (const char *)sqlite3_column_text(st, i);
				if (!v && sqlite3_column_type(st, i) != SQLITE_NULL) {
					rc = SQLITE_NOMEM; /* the conversion to text failed */
					break;
				}
				sqlite3_str_appendf(out, "%s%s", i ? "|" : "", v ? v : "NULL");
			}
			if (rc == SQLITE_NOMEM)
				break;
		}
	}
	if (rc != SQLITE_DONE && rc != SQLITE_OK) {
		sqlite3_str_reset(out);
		sqlite3_str_appendf(out, "error: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	char *s = sqlite3_str_finish(out);
	return s ? s : sqlite3_mprintf("%s", "error: out of memory in the test");
}

#define ck_query(db, sql, want)                                                           \
	do {                                                                              \
		char *got_ = query((db), (sql));                                          \
		ck_assert_msg(strcmp(got_, (want)) == 0, "%s\n   got: %s\n  want: %s", (sql), got_, (want)); \
		sqlite3_free(got_);                                                       \
	} while (0)

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
}

/* Steps a statement to its next row and returns its first column (static). */
static const char *step_text(sqlite3_stmt *st)
{
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	const char *s = (const char *)sqlite3_column_text(st, 0);
	return s ? s : "NULL";
}

/* ---- values --------------------------------------------------------------------- */

START_TEST(test_predict)
{
	sqlite3 *db = fixture_db("predict.db");
	ck_query(db, "SELECT tg_predict('A ghost story')", "Horror");
	ck_query(db, "SELECT tg_predict('Love at the wedding')", "Romance");
	ck_query(db, "SELECT tg_predict('A funny man')", "Comedy");
	ck_query(db, "SELECT tg_predict('THE HAUNTED, HOUSE')", "Horror");       /* the bigram */
	ck_query(db, "SELECT tg_predict('funny funny love')", "Comedy");
	ck_query(db, "SELECT tg_predict('unknown words only')", "Horror");      /* three-way tie: first */
	ck_query(db, "SELECT tg_predict('A ghost story', 'mood')", "Dark");
	ck_query(db, "SELECT tg_predict('funny', 'mood')", "Light \"fun\"");
	ck_query(db, "SELECT tg_predict('ghost', 'genre')", "Horror");
	/* NULL, no tokens. */
	ck_query(db, "SELECT tg_predict(NULL), tg_predict(''), tg_predict('a b c ... !')", "NULL|NULL|NULL");
	ck_query(db, "SELECT tg_tags(NULL), tg_scores('x'), tg_explain(NULL, 'Horror')", "NULL|NULL|NULL");
	close_db(db);
}
END_TEST

/* Values of every type, bound as parameters. */
START_TEST(test_argument_types)
{
	sqlite3 *db = fixture_db("types.db");
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT tg_predict(?1), tg_tags(?1), tg_predict(?1, 'mood')", -1, &st, NULL),
	                 SQLITE_OK);
	/* A blob is read as its bytes, in place (no NUL needed). */
	static const unsigned char ghost[5] = { 'g', 'h', 'o', 's', 't' };
	sqlite3_bind_blob(st, 1, ghost, sizeof ghost, SQLITE_STATIC);
	ck_assert_str_eq(step_text(st), "Horror");
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 2), "Dark");
	sqlite3_reset(st);
	/* A blob with a NUL inside: NUL separates words like any other control byte. */
	static const unsigned char with_nul[] = { 'o', 'k', 0, 'f', 'u', 'n', 'n', 'y' };
	sqlite3_bind_blob(st, 1, with_nul, sizeof with_nul, SQLITE_STATIC);
	ck_assert_str_eq(step_text(st), "Comedy");
	sqlite3_reset(st);
	/* An empty blob, a one-digit integer: no tokens. */
	sqlite3_bind_zeroblob(st, 1, 0);
	ck_assert_str_eq(step_text(st), "NULL");
	sqlite3_reset(st);
	sqlite3_bind_int(st, 1, 7);
	ck_assert_str_eq(step_text(st), "NULL");
	sqlite3_reset(st);
	/* Numbers are read as their text: "12.5" has the token "12". */
	sqlite3_bind_double(st, 1, 12.5);
	ck_assert_str_eq(step_text(st), "Horror");
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, 1984);
	ck_assert_str_eq(step_text(st), "Horror");
	sqlite3_reset(st);
	/* Text longer than its NUL: the bound length counts. */
	sqlite3_bind_text(st, 1, "funny\0ghost ghost ghost", 5, SQLITE_STATIC);
	ck_assert_str_eq(step_text(st), "Comedy");
	sqlite3_finalize(st);
	close_db(db);
}
END_TEST

START_TEST(test_tags_and_scores)
{
	sqlite3 *db = fixture_db("tags.db");
	ck_query(db, "SELECT tg_tags('A ghost story')", "[\"Horror\"]");
	ck_query(db, "SELECT tg_tags('Love at the wedding')", "[\"Romance\",\"Comedy\"]");
	/* Romance's probability is exactly its threshold 0.5: tagged. */
	ck_query(db, "SELECT tg_tags('The haunted house')", "[\"Horror\",\"Romance\"]");
	ck_query(db, "SELECT tg_tags('funny funny love')", "[\"Comedy\",\"Romance\"]");
	ck_query(db, "SELECT tg_tags('ghost', 'mood')", "[\"Dark\",\"Light \\\"fun\\\"\"]");
	ck_query(db, "SELECT tg_scores('A ghost story')", "{\"Horror\":0.9269,\"Comedy\":0.5000,\"Romance\":0.2689}");
	ck_query(db, "SELECT tg_scores('Love at the wedding')", "{\"Romance\":0.9367,\"Comedy\":0.9244,\"Horror\":0.3302}");
	ck_query(db, "SELECT tg_scores('funny funny love')", "{\"Comedy\":0.9710,\"Romance\":0.8854,\"Horror\":0.3595}");
	ck_query(db, "SELECT tg_scores('ghost', 'mood')", "{\"Dark\":0.7808,\"Light \\\"fun\\\"\":0.5000}");
	/* The JSON subtype: nested as JSON, not as a string. */
	ck_query(db, "SELECT json_array(tg_tags('ghost'), tg_scores('ghost', 'mood'))",
	         "[[\"Horror\"],{\"Dark\":0.7808,\"Light \\\"fun\\\"\":0.5000}]");
	ck_query(db, "SELECT json_valid(tg_tags('ghost', 'mood')), json_valid(tg_scores('ghost', 'mood'))", "1|1");
	/* Best first agrees with tg_predict and with tg_genres. */
	ck_query(db, "SELECT tg_tags('funny funny love') ->> '$[0]' = tg_predict('funny funny love')", "1");
	close_db(db);
}
END_TEST

START_TEST(test_genres_table)
{
	sqlite3 *db = fixture_db("genres.db");
	ck_query(db, "SELECT genre, printf('%.4f', score), tagged, rank FROM tg_genres('Love at the wedding')",
	         "Romance|0.9367|1|1\nComedy|0.9244|1|2\nHorror|0.3302|0|3");
	ck_query(db, "SELECT genre, tagged, rank FROM tg_genres('The haunted house') ORDER BY rank",
	         "Horror|1|1\nRomance|1|2\nComedy|0|3");
	ck_query(db, "SELECT genre, name, text FROM tg_genres('ghost', 'mood')",
	         "Dark|mood|ghost\nLight \"fun\"|mood|ghost");
	ck_query(db, "SELECT genre FROM tg_genres WHERE text = 'A funny man' AND rank = 1", "Comedy");
	ck_query(db, "SELECT count(*) FROM tg_genres(NULL)", "0");
	ck_query(db, "SELECT count(*) FROM tg_genres('a')", "0");
	/* Tagged as tg_tags, score as tg_scores. */
	ck_query(db, "SELECT json_group_array(genre) FROM tg_genres('funny funny love') WHERE tagged",
	         "[\"Comedy\",\"Romance\"]");
	ck_query(db, "SELECT group_concat(printf('%.4f', score), ',') FROM tg_genres('funny funny love')",
	         "0.9710,0.8854,0.3595");

	exec_ok(db, "CREATE TABLE movies(title TEXT, overview TEXT);"
	            "INSERT INTO movies VALUES ('The Haunting', 'A haunted house and a ghost who will not leave.'),"
	            " ('Wedding Season', 'Love at the wedding.'), ('Laugh Out Loud', 'A funny, funny story.'),"
	            " ('Ghost Wedding', 'A ghost at the wedding, a ghost!'), ('Untitled', NULL)");
	ck_query(db, "SELECT g.genre, count(*) FROM movies, tg_genres(movies.overview) g WHERE g.tagged GROUP BY 1",
	         "Comedy|3\nHorror|3\nRomance|2");
	/* The planner must put movies first whatever the FROM order says. */
	ck_query(db, "SELECT m.title FROM tg_genres(m.overview) g, movies m WHERE g.rank = 1 AND g.genre = 'Horror'"
	             " ORDER BY m.rowid", "The Haunting\nGhost Wedding");
	ck_query(db, "SELECT m.title, g.genre FROM movies m JOIN tg_genres(m.overview, 'mood') g"
	             " WHERE g.rank = 1 AND m.rowid <= 3 ORDER BY m.rowid",
	         "The Haunting|Dark\nWedding Season|Dark\nLaugh Out Loud|Light \"fun\"");
	/* The name may come from a column too. */
	exec_ok(db, "CREATE TABLE jobs(text TEXT, model TEXT); INSERT INTO jobs VALUES ('ghost', 'genre'), ('ghost', 'mood')");
	ck_query(db, "SELECT g.genre FROM jobs, tg_genres(jobs.text, jobs.model) g WHERE g.rank = 1", "Horror\nDark");

	ck_query(db, "SELECT * FROM tg_genres",
	         "error: tg: tg_genres() needs the text to classify: tg_genres(text [, name]), "
	         "e.g. FROM movies, tg_genres(movies.overview)");
	ck_query(db, "SELECT * FROM tg_genres('x', 1)", "error: tg: tg_genres(): the model name must be text, not integer");
	ck_query(db, "SELECT * FROM tg_genres('x', 'nope')",
	         "error: tg: no deployed model named 'nope': tg_models has no model of that name; train one with tg-train");
	close_db(db);
}
END_TEST

START_TEST(test_explain)
{
	sqlite3 *db = fixture_db("explain.db");
	ck_query(db, "SELECT tg_explain('A ghost story about a ghost', 'Horror')",
	         "[{\"feature\":\"ghost\",\"contribution\":3.5929}]");
	ck_query(db, "SELECT tg_explain('Love at the wedding', 'Comedy')",
	         "[{\"feature\":\"wedding\",\"contribution\":1.7964},{\"feature\":\"Love\",\"contribution\":0.7073}]");
	ck_query(db, "SELECT tg_explain('Love at the wedding', 'Horror')", "[{\"feature\":\"Love\",\"contribution\":-0.7073}]");
	ck_query(db, "SELECT tg_explain('The Haunted  House', 'Horror')",
	         "[{\"feature\":\"Haunted  House\",\"contribution\":2.5405}]");
	ck_query(db, "SELECT tg_explain('funny funny love', 'Comedy')",
	         "[{\"feature\":\"funny\",\"contribution\":2.9336},{\"feature\":\"love\",\"contribution\":0.5775}]");
	ck_query(db, "SELECT tg_explain('nothing known', 'Horror')", "[]");
	ck_query(db, "SELECT tg_explain('ghost', 'Light \"fun\"', 'mood'), tg_explain('ghost', 'Dark', 'mood')",
	         "[]|[{\"feature\":\"ghost\",\"contribution\":1.2703}]");
	/* At most 10, by magnitude: w12 .. w3 of 'wide'. */
	ck_query(db, "SELECT tg_explain('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12', 'A', 'wide')",
	         "[{\"feature\":\"w12\",\"contribution\":0.3463},{\"feature\":\"w11\",\"contribution\":-0.3175},"
	         "{\"feature\":\"w10\",\"contribution\":0.2887},{\"feature\":\"w9\",\"contribution\":-0.2598},"
	         "{\"feature\":\"w8\",\"contribution\":0.2309},{\"feature\":\"w7\",\"contribution\":-0.2021},"
	         "{\"feature\":\"w6\",\"contribution\":0.1731},{\"feature\":\"w5\",\"contribution\":-0.1443},"
	         "{\"feature\":\"w4\",\"contribution\":0.1154},{\"feature\":\"w3\",\"contribution\":-0.0866}]");
	/* Contributions add up to the logit (minus the calibrated bias, 0 here). */
	ck_query(db, "SELECT abs((SELECT sum(value ->> '$.contribution') FROM json_each(tg_explain('funny funny love', 'Comedy')))"
	             " - (SELECT ln(score / (1 - score)) FROM tg_genres('funny funny love') WHERE genre = 'Comedy')) < 0.0002", "1");
	ck_query(db, "SELECT tg_explain('ghost', 'Western')", "error: tg: model 'genre' has no genre 'Western'");
	ck_query(db, "SELECT tg_explain('ghost', 'horror')", "error: tg: model 'genre' has no genre 'horror'");
	ck_query(db, "SELECT tg_explain('ghost', NULL)", "error: tg: tg_explain(): the genre must be text, not null");
	ck_query(db, "SELECT tg_explain('ghost', 'Horror', 1)", "error: tg: tg_explain(): the model name must be text, not integer");
	close_db(db);
}
END_TEST

/* Memory of tg_explain is bounded by the features found, not the text's length. */
START_TEST(test_explain_memory)
{
	sqlite3 *db = fixture_db("explain_mem.db");
	size_t n = 4 << 20;
	char *text = malloc(n + 1);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i += 8)
		memcpy(text + i, i % 4096 == 0 ? "ghost   " : "lorem   ", 8);
	text[n] = 0;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT tg_explain(?1, 'Horror'), tg_predict(?1)", -1, &st, NULL), SQLITE_OK);
	/* Length -1: SQLite knows the text is NUL-terminated and need not copy it either. */
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	ck_query(db, "SELECT tg_predict('warm the cache')", "Horror");
	sqlite3_int64 before = sqlite3_memory_used();
	sqlite3_memory_highwater(1);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	sqlite3_int64 peak = sqlite3_memory_highwater(0) - before;
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 1), "Horror");
	ck_assert_msg(peak < 64 * 1024, "tg_explain on 4 MB of text used %lld bytes", (long long)peak);
	sqlite3_finalize(st);
	free(text);
	close_db(db);
}
END_TEST

START_TEST(test_model_and_version)
{
	sqlite3 *db = fixture_db("model.db");
	ck_query(db, "SELECT tg_model()",
	         "{\"id\":1,\"name\":\"genre\",\"schema\":\"main\",\"created_at\":\"2024-05-01 12:00:00\",\"format\":1,"
	         "\"labels\":[\"Horror\",\"Romance\",\"Comedy\"],\"thresholds\":{\"Horror\":0.5,\"Romance\":0.5,\"Comedy\":0.6},"
	         "\"metrics\":{\"micro_f1\":0.75,\"n_test\":40},\"params\":{\"epochs\":5,\"l2\":0.0001},"
	         "\"n_features\":5,\"blob_bytes\":240,\"data_sha256\":\"" FIXTURE_SHA256 "\"}");
	ck_query(db, "SELECT tg_model() ->> '$.blob_bytes' = (SELECT length(model) FROM tg_models WHERE id = 1)", "1");
	ck_query(db, "SELECT tg_model('mood') ->> '$.id', tg_model('mood') -> '$.labels'", "2|[\"Dark\",\"Light \\\"fun\\\"\"]");
	ck_query(db, "SELECT json_type(tg_model(), '$.metrics'), json_type(tg_model(), '$.params')", "object|object");
	/* NULL metadata reads as null; metadata that is not JSON is an error, not a guess. */
	exec_ok(db, "UPDATE tg_models SET params = NULL, created_at = NULL WHERE id = 2");
	ck_query(db, "SELECT json_type(tg_model('mood'), '$.params'), json_type(tg_model('mood'), '$.created_at')",
	         "null|null");
	exec_ok(db, "UPDATE tg_models SET metrics = 'oops{' WHERE id = 2");
	ck_query(db, "SELECT tg_model('mood')", "error: tg: cannot read the registry row of model 2: malformed JSON");
	ck_query(db, "SELECT tg_version()", TG_VERSION); /* the VERSION file, through the Makefile */
	ck_query(db, "SELECT tg_model(2)", "error: tg: tg_model(): the model name must be text, not integer");
	close_db(db);
}
END_TEST

/* ---- errors ----------------------------------------------------------------------- */

START_TEST(test_errors)
{
	sqlite3 *db = open_db("empty.db");
	exec_ok(db, "DROP TABLE IF EXISTS tg_models");
	ck_query(db, "SELECT tg_predict('ghost')",
	         "error: tg: no model registry (table tg_models) in this database; train one with tg-train, "
	         "or ATTACH a model database such as tg's genre.db");
	ck_query(db, "SELECT count(*) FROM tg_genres('ghost')",
	         "error: tg: no model registry (table tg_models) in this database; train one with tg-train, "
	         "or ATTACH a model database such as tg's genre.db");
	ck_query(db, "SELECT tg_predict(NULL)", "NULL");  /* needs no model */
	close_db(db);

	db = fixture_db("errors.db");
	ck_query(db, "SELECT tg_predict('ghost', 'nope')",
	         "error: tg: no deployed model named 'nope': tg_models has no model of that name; train one with tg-train");
	ck_query(db, "SELECT tg_tags('ghost', 'shelved')",
	         "error: tg: no deployed model named 'shelved': deploy one of its 1 trained models, "
	         "e.g. UPDATE tg_models SET deployed = 1 WHERE id = 5");
	ck_query(db, "SELECT tg_scores('ghost', 'broken')",
	         "error: tg: model 4 ('broken') is damaged: model checksum mismatch (damaged blob)");
	ck_query(db, "SELECT tg_predict('ghost', 'it''s')",
	         "error: tg: no deployed model named 'it''s': tg_models has no model of that name; train one with tg-train");
	ck_query(db, "SELECT tg_predict('ghost', 1)", "error: tg: tg_predict(): the model name must be text, not integer");
	ck_query(db, "SELECT tg_tags('ghost', 1.5)", "error: tg: tg_tags(): the model name must be text, not real");
	ck_query(db, "SELECT tg_scores('ghost', x'01')", "error: tg: tg_scores(): the model name must be text, not blob");
	ck_query(db, "SELECT tg_predict(NULL, NULL)", "error: tg: tg_predict(): the model name must be text, not null");
	ck_query(db, "SELECT tg_predict('a', 'b', 'c')", "error: wrong number of arguments to function tg_predict()");
	/* The error code of a tg error is SQLITE_ERROR. */
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT tg_predict('x', 'nope')", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ERROR);
	sqlite3_finalize(st);
	/* A registry lacking a column. */
	exec_ok(db, "ALTER TABLE tg_models RENAME COLUMN deployed TO live");
	ck_query(db, "SELECT tg_predict('ghost')",
	         "error: tg: cannot read the model registry (table tg_models): no such column: deployed");
	exec_ok(db, "ALTER TABLE tg_models RENAME COLUMN live TO deployed");
	ck_query(db, "SELECT tg_predict('ghost')", "Horror");
	/* Two deployed models of one name (a registry without tg's unique index). */
	exec_ok(db, "UPDATE tg_models SET deployed = 1 WHERE id = 3");
	ck_query(db, "SELECT tg_predict('ghost')",
	         "error: tg: several models named 'genre' are deployed (ids 1 and 3); deploy exactly one, "
	         "e.g. UPDATE tg_models SET deployed = (id = 3) WHERE name = 'genre'");
	exec_ok(db, "UPDATE tg_models SET deployed = 0 WHERE id = 1");
	ck_query(db, "SELECT tg_predict('ghost')", "Comedy");
	close_db(db);
}
END_TEST

/* Runs the UPDATE that the error of sql suggests after "e.g. ". */
static void run_suggestion(sqlite3 *db, const char *sql)
{
	char *msg = query(db, sql);
	const char *eg = strstr(msg, "e.g. ");
	ck_assert_msg(strncmp(msg, "error: tg: ", 11) == 0 && eg, "%s: %s", sql, msg);
	exec_ok(db, eg + 5);
	sqlite3_free(msg);
}

/* The UPDATEs that errors suggest mend the registry they name, also an attached one:
** an unqualified tg_models would be main's. */
START_TEST(test_suggested_fixes)
{
	sqlite3 *aux = fixture_db("fix_aux.db");
	exec_ok(aux, "UPDATE tg_models SET deployed = 1 WHERE id = 3");   /* genre 1 and 3 */
	close_db(aux);
	sqlite3 *db = fixture_db("fix_main.db");
	exec_ok(db, "DELETE FROM tg_models WHERE name IN ('genre', 'shelved')");
	char path[128], *sql = sqlite3_mprintf("ATTACH '%q' AS aux", path_in_dir("fix_aux.db", path, sizeof path));
	exec_ok(db, sql);
	sqlite3_free(sql);
	ck_query(db, "SELECT tg_predict('ghost')",
	         "error: tg: several models named 'genre' are deployed in schema 'aux' (ids 1 and 3); deploy exactly one, "
	         "e.g. UPDATE \"aux\".tg_models SET deployed = (id = 3) WHERE name = 'genre'");
	run_suggestion(db, "SELECT tg_predict('ghost')");
	ck_query(db, "SELECT tg_predict('ghost'), tg_model() ->> '$.schema', tg_model() ->> '$.id'", "Comedy|aux|3");
	run_suggestion(db, "SELECT tg_predict('ghost', 'shelved')");
	ck_query(db, "SELECT tg_model('shelved') ->> '$.schema', tg_model('shelved') ->> '$.id'", "aux|5");
	/* In main, the message and its UPDATE stay as they were. */
	exec_ok(db, "DETACH aux; INSERT INTO tg_models SELECT 9, name, created_at, format, params, metrics, data_sha256,"
	            " deployed, model FROM tg_models WHERE name = 'mood'");
	ck_query(db, "SELECT tg_predict('ghost', 'mood')",
	         "error: tg: several models named 'mood' are deployed (ids 2 and 9); deploy exactly one, "
	         "e.g. UPDATE tg_models SET deployed = (id = 9) WHERE name = 'mood'");
	run_suggestion(db, "SELECT tg_predict('ghost', 'mood')");
	ck_query(db, "SELECT tg_model('mood') ->> '$.id'", "9");
	/* Two deployed rows with one id (a table without a primary key): no UPDATE by id
	** can mend that, so none is suggested. */
	exec_ok(db, "CREATE TEMP TABLE tg_models AS SELECT * FROM main.tg_models;"
	            "INSERT INTO temp.tg_models SELECT * FROM temp.tg_models WHERE id = 9");
	ck_query(db, "SELECT tg_predict('ghost', 'mood')",
	         "error: tg: several models named 'mood' are deployed in schema 'temp', two of them with id 9; give every "
	         "row of \"temp\".tg_models an id of its own, then deploy exactly one");
	close_db(db);
}
END_TEST

/* Replaces the blob of a registry row by a damaged copy. */
static void damage(sqlite3 *db, int id, const char *how)
{
	char *sql = sqlite3_mprintf("UPDATE tg_models SET model = %s WHERE id = %d", how, id);
	exec_ok(db, sql);
	sqlite3_free(sql);
}

START_TEST(test_damaged_blobs)
{
	sqlite3 *db = fixture_db("damaged.db");
	ck_query(db, "SELECT tg_predict('ghost')", "Horror");
	/* One byte flipped, in a weight, in place: the checksum catches it.  The row
	** keeps its id, so the cached model stays in use until the id changes... */
	damage(db, 1, "CAST(substr(model, 1, 200) || CASE WHEN substr(model, 201, 1) = x'00' THEN x'01' ELSE x'00' END"
	              " || substr(model, 202) AS BLOB)");
	/* ...so deploy the damaged blob under a new id. */
	exec_ok(db, "INSERT INTO tg_models(id, name, deployed, model) SELECT 7, 'genre', 1, model FROM tg_models WHERE id = 1;"
	            "UPDATE tg_models SET deployed = 0 WHERE id = 1");
	ck_query(db, "SELECT tg_predict('ghost')",
	         "error: tg: model 7 ('genre') is damaged: model checksum mismatch (damaged blob)");
	damage(db, 7, "substr(model, 1, 100)");
	ck_query(db, "SELECT tg_tags('ghost')",
	         "error: tg: model 7 ('genre') is damaged: model blob is 100 bytes but its header says 240 (truncated?)");
	damage(db, 7, "NULL");
	ck_query(db, "SELECT tg_scores('ghost')", "error: tg: model 7 ('genre') is damaged: not a tg model (bad magic)");
	damage(db, 7, "'some text'");
	ck_query(db, "SELECT count(*) FROM tg_genres('ghost')",
	         "error: tg: model 7 ('genre') is damaged: not a tg model (bad magic)");
	/* Fixed: works again. */
	exec_ok(db, "UPDATE tg_models SET model = (SELECT model FROM tg_models WHERE id = 3), deployed = 1 WHERE id = 7");
	ck_query(db, "SELECT tg_predict('ghost')", "Comedy");
	close_db(db);
}
END_TEST

/* ---- deployment and the cache --------------------------------------------------- */

#define DEPLOY_V2 "UPDATE tg_models SET deployed = (id = 3) WHERE name = 'genre'"
#define DEPLOY_V1 "UPDATE tg_models SET deployed = (id = 1) WHERE name = 'genre'"

/* The registry as tg-train creates it (registry/registry.sql, read from the working
** directory: make runs the tests from the repository root). */
START_TEST(test_real_registry_schema)
{
	FILE *f = fopen("registry/registry.sql", "rb");
	ck_assert_msg(f != NULL, "registry/registry.sql not found: run from the repository root");
	char *schema = calloc(1, 1 << 16);
	ck_assert_ptr_nonnull(schema);
	size_t n = fread(schema, 1, (1 << 16) - 1, f);
	fclose(f);
	ck_assert_uint_gt(n, 0);
	char path[128];
	unlink(path_in_dir("real.db", path, sizeof path));
	sqlite3 *db = open_db("real.db");
	exec_ok(db, schema);
	free(schema);
	ck_assert_int_eq(fixture_insert_model(db, 1, "genre", 1, FIXTURE_GENRE_V1), SQLITE_OK);
	ck_assert_int_eq(fixture_insert_model(db, 3, "genre", 0, FIXTURE_GENRE_V2), SQLITE_OK);
	ck_query(db, "SELECT tg_predict('A ghost story'), tg_model() ->> '$.id', tg_model() ->> '$.metrics.micro_f1'",
	         "Horror|1|0.75");
	exec_ok(db, DEPLOY_V2);
	ck_query(db, "SELECT tg_predict('A ghost story'), tg_model() ->> '$.id'", "Comedy|3");
	close_db(db);
}
END_TEST



static sqlite3 *wal_fixture(const char *name)
{
	sqlite3 *db = fixture_db(name);
	exec_ok(db, "PRAGMA journal_mode = wal;"
	            "CREATE TABLE texts(t TEXT); INSERT INTO texts VALUES ('ghost'), ('a ghost'), ('the ghost')");
	return db;
}

/* A deploy by another connection is seen by this one's next statement. */
START_TEST(test_redeploy_other_connection)
{
	sqlite3 *a = wal_fixture("redeploy.db");
	sqlite3 *b = open_db("redeploy.db");
	ck_query(a, "SELECT tg_predict('ghost')", "Horror");
	ck_query(a, "SELECT group_concat(tg_predict(t)) FROM texts", "Horror,Horror,Horror");
	exec_ok(b, DEPLOY_V2);
	/* A statement reading a table (read transaction: the cheap data-version check). */
	ck_query(a, "SELECT group_concat(tg_predict(t)) FROM texts", "Comedy,Comedy,Comedy");
	exec_ok(b, DEPLOY_V1);
	/* A statement reading no table. */
	ck_query(a, "SELECT tg_predict('ghost'), tg_model() ->> '$.id'", "Horror|1");
	exec_ok(b, DEPLOY_V2);
	ck_query(a, "SELECT genre FROM tg_genres('ghost') WHERE rank = 1", "Comedy");
	/* Undeployed altogether: an error, then back. */
	exec_ok(b, "UPDATE tg_models SET deployed = 0 WHERE name = 'genre'");
	ck_query(a, "SELECT tg_predict(t) FROM texts LIMIT 1",
	         "error: tg: no deployed model named 'genre': deploy one of its 2 trained models, "
	         "e.g. UPDATE tg_models SET deployed = 1 WHERE id = 3");
	exec_ok(b, DEPLOY_V1);
	ck_query(a, "SELECT tg_predict(t) FROM texts LIMIT 1", "Horror");
	close_db(b);
	close_db(a);
}
END_TEST

/* A statement that is running keeps its model; the next one gets the new one. */
START_TEST(test_running_statement_keeps_model)
{
	sqlite3 *a = wal_fixture("running.db");
	sqlite3 *b = open_db("running.db");
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(a, "SELECT tg_predict(t), tg_tags(t), tg_model() ->> '$.id' FROM texts",
	                                    -1, &st, NULL), SQLITE_OK);
	ck_assert_str_eq(step_text(st), "Horror");
	exec_ok(b, DEPLOY_V2);                                   /* another connection */
	ck_assert_str_eq(step_text(st), "Horror");
	/* A new statement on the same connection shares its read transaction, whose
	** snapshot predates the deploy: it sees the old model too, as it sees old rows. */
	ck_query(a, "SELECT tg_predict('ghost'), tg_model() ->> '$.id'", "Horror|1");
	ck_assert_str_eq(step_text(st), "Horror");
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 2), "1");
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	/* Run again: a new execution checks again. */
	sqlite3_reset(st);
	ck_assert_str_eq(step_text(st), "Comedy");

	/* The same connection deploys while its own statement runs; the cache drops the
	** old model, which the running statement still holds (valgrind checks the rest). */
	exec_ok(a, DEPLOY_V1);
	ck_assert_str_eq(step_text(st), "Comedy");
	ck_query(a, "SELECT tg_predict('ghost'), tg_model() ->> '$.id'", "Horror|1");
	exec_ok(a, DEPLOY_V2);
	ck_query(a, "SELECT tg_predict('ghost'), tg_model() ->> '$.id'", "Comedy|3");
	ck_assert_str_eq(step_text(st), "Comedy");
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);

	/* tg_genres keeps its model over the rows of one statement, too. */
	ck_assert_int_eq(sqlite3_prepare_v2(a, "SELECT g.genre FROM texts, tg_genres(texts.t) g WHERE g.rank = 1",
	                                    -1, &st, NULL), SQLITE_OK);
	ck_assert_str_eq(step_text(st), "Comedy");
	exec_ok(b, DEPLOY_V1);
	ck_assert_str_eq(step_text(st), "Comedy");
	ck_assert_str_eq(step_text(st), "Comedy");
	sqlite3_finalize(st);
	ck_query(a, "SELECT g.genre FROM texts, tg_genres(texts.t) g WHERE g.rank = 1", "Horror\nHorror\nHorror");
	close_db(b);
	close_db(a);
}
END_TEST

/* Inside a write transaction the connection sees its own deploy at once. */
START_TEST(test_redeploy_in_transaction)
{
	sqlite3 *db = fixture_db("txn.db");
	ck_query(db, "SELECT tg_predict('ghost')", "Horror");
	exec_ok(db, "BEGIN; " DEPLOY_V2);
	ck_query(db, "SELECT tg_predict('ghost')", "Comedy");
	exec_ok(db, "ROLLBACK");
	ck_query(db, "SELECT tg_predict('ghost')", "Horror");
	exec_ok(db, "BEGIN; " DEPLOY_V2);
	ck_query(db, "SELECT tg_predict('ghost')", "Comedy");
	exec_ok(db, "COMMIT");
	ck_query(db, "SELECT tg_predict('ghost')", "Comedy");
	close_db(db);
}
END_TEST

typedef struct trace_counts {
	int checks;    /* a schema searched for the registry: a staleness check */
} trace_counts;

static int count_registry_queries(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)p;
	trace_counts *c = ctx;
	if (strstr((const char *)x, ".sqlite_master"))
		c->checks++;
	return 0;
}

/* The blob is read once per connection; statements that read a table check with
** the data version alone; statements without a table cost one small query. */
START_TEST(test_loaded_once)
{
	sqlite3 *db = wal_fixture("once.db");
	sqlite3 *other = open_db("once.db");
	trace_counts c = { 0 };
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT DISTINCT length(model) FROM tg_models LIMIT 8", -1, &st, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		model_buffer_sizes[n_model_buffer_sizes++] = (int)((sizeof(tg_model) + 63) & ~(size_t)63) /* model.c's TG_MODEL_BLOB_AT */ + sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	atomic_store(&n_model_buffers, 0);
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_registry_queries, &c);
	for (int i = 0; i < 5; i++)
		ck_query(db, "SELECT group_concat(tg_predict(t) || tg_tags(t) || tg_scores(t)) IS NOT NULL FROM texts", "1");
	ck_assert_int_eq(atomic_load(&n_model_buffers), 1);
	ck_assert_int_eq(c.checks, 1);
	ck_query(db, "SELECT count(*) FROM texts, tg_genres(texts.t)", "9");
	ck_assert_int_eq(c.checks, 1);
	/* One model per name. */
	ck_query(db, "SELECT tg_predict(t, 'mood') FROM texts LIMIT 1", "Dark");
	ck_assert_int_eq(atomic_load(&n_model_buffers), 2);
	/* No table read: one id query per statement, no reload. */
	ck_query(db, "SELECT tg_predict('ghost')", "Horror");
	ck_query(db, "SELECT tg_predict('ghost'), tg_tags('ghost')", "Horror|[\"Horror\"]");
	ck_assert_int_eq(atomic_load(&n_model_buffers), 2);
	ck_assert_int_eq(c.checks, 4);
	/* Another connection writes something else: one id query, no reload. */
	exec_ok(other, "INSERT INTO texts VALUES ('ghost')");
	ck_query(db, "SELECT count(tg_predict(t)) FROM texts", "4");
	ck_assert_int_eq(c.checks, 5);
	ck_assert_int_eq(atomic_load(&n_model_buffers), 2);
	ck_query(db, "SELECT count(tg_predict(t)) FROM texts", "4");
	ck_assert_int_eq(c.checks, 5);
	/* A deploy: one id query and one load. */
	exec_ok(other, DEPLOY_V2);
	ck_query(db, "SELECT count(tg_predict(t)) FROM texts", "4");
	ck_assert_int_eq(c.checks, 6);
	ck_assert_int_eq(atomic_load(&n_model_buffers), 3);
	sqlite3_trace_v2(db, 0, NULL, NULL);
	close_db(other);
	close_db(db);
}
END_TEST

/* The per-row path allocates nothing but its result. */
/* A schema-qualified name is pinned under that name: the registry is searched once per
** statement, not once per row, and 'aux.genre' and 'genre' stay two models in one
** statement, whichever comes first. */
START_TEST(test_qualified_name_pinned)
{
	sqlite3 *db = fixture_db("pin_main.db");
	sqlite3 *aux = fixture_db("pin_aux.db");
	exec_ok(aux, DEPLOY_V2);   /* aux's genre says Comedy for "ghost", main's Horror */
	close_db(aux);
	char path[128], *sql = sqlite3_mprintf("ATTACH '%q' AS aux", path_in_dir("pin_aux.db", path, sizeof path));
	exec_ok(db, sql);
	sqlite3_free(sql);
	trace_counts c = { 0 };
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_registry_queries, &c);
	ck_query(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
	             " SELECT count(tg_predict('ghost ' || i, 'aux.genre')) FROM n", "500");
	ck_assert_int_eq(c.checks, 1);
	ck_query(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
	             " SELECT group_concat(DISTINCT tg_predict('ghost ' || i, 'aux.genre') || '/' || tg_predict('ghost ' || i)"
	             " || '/' || (tg_model() ->> '$.schema')) FROM n", "Comedy/Horror/main");
	ck_query(db, "SELECT tg_predict('ghost'), tg_predict('ghost', 'aux.genre'), tg_predict('ghost', 'genre')",
	         "Horror|Comedy|Horror");
	ck_query(db, "SELECT v.column1, g.genre FROM (VALUES ('aux.genre'), ('genre'), ('aux.genre')) v,"
	             " tg_genres('ghost', v.column1) g WHERE g.rank = 1",
	         "aux.genre|Comedy\ngenre|Horror\naux.genre|Comedy");
	sqlite3_trace_v2(db, 0, NULL, NULL);
	close_db(db);
}
END_TEST

static long allocations_for(sqlite3 *db, const char *sql)
{
	long before = atomic_load(&n_allocs);
	char *s = query(db, sql);
	long n = atomic_load(&n_allocs) - before;
	ck_assert_msg(strncmp(s, "error", 5) != 0, "%s: %s", sql, s);
	sqlite3_free(s);
	return n;
}

START_TEST(test_per_row_allocations)
{
	sqlite3 *db = fixture_db("allocs.db");
	exec_ok(db, "CREATE TABLE few(t TEXT); CREATE TABLE many(t TEXT);"
	            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
	            " INSERT INTO many SELECT 'a ghost at the wedding, a funny ghost ' || i FROM n;"
	            "INSERT INTO few SELECT t FROM many LIMIT 10");
	/* The expression, a join, and the allocations allowed per row of `many`. */
	static const struct { const char *expr, *join; long max; } cases[] = {
		{ "count(tg_predict(t))", "", 1 },          /* a copy of the label, if that */
		{ "count(tg_predict(t, 'mood'))", "", 1 },
		{ "count(tg_tags(t))", "", 1 },             /* the JSON text */
		{ "count(tg_scores(t))", "", 1 },
		{ "count(g.genre)", ", tg_genres(t) g", 3 }, /* three rows, a label copy each */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char few[200], many[200];
		snprintf(few, sizeof few, "SELECT %s FROM few%s", cases[i].expr, cases[i].join);
		snprintf(many, sizeof many, "SELECT %s FROM many%s", cases[i].expr, cases[i].join);
		allocations_for(db, many); /* warm up: load the models */
		long per_row = (allocations_for(db, many) - allocations_for(db, few)) / 990;
		if (getenv("TG_VERBOSE"))
			fprintf(stderr, "%s: %ld allocations per row\n", cases[i].expr, per_row);
		ck_assert_msg(per_row <= cases[i].max, "%s: %ld allocations per row", cases[i].expr, per_row);
	}
	close_db(db);
}
END_TEST

/* ---- threads, loading -------------------------------------------------------------- */

static const char *const thread_queries[] = {
	"SELECT tg_predict('A ghost story')",
	"SELECT tg_tags('Love at the wedding')",
	"SELECT tg_scores('funny funny love')",
	"SELECT tg_explain('Love at the wedding', 'Comedy')",
	"SELECT group_concat(genre || ':' || tagged) FROM tg_genres('The haunted house')",
	"SELECT tg_predict('ghost', 'mood'), tg_model() ->> '$.id'",
};
#define N_THREAD_QUERIES (sizeof thread_queries / sizeof thread_queries[0])

typedef struct thread_job {
	char path[128];
	char *results[N_THREAD_QUERIES];
	int mismatches;
} thread_job;

static void *thread_main(void *p)
{
	thread_job *job = p;
	sqlite3 *db;
	if (sqlite3_open_v2(job->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		job->mismatches = -1;
		sqlite3_close(db);
		return NULL;
	}
	for (int round = 0; round < 200; round++)
		for (size_t q = 0; q < N_THREAD_QUERIES; q++) {
			char *got = query(db, thread_queries[q]);
			if (round == 0) {
				job->results[q] = got;
				continue;
			}
			job->mismatches += strcmp(got, job->results[q]) != 0;
			sqlite3_free(got);
		}
	if (sqlite3_close(db) != SQLITE_OK)
		job->mismatches = -1;
	return NULL;
}

START_TEST(test_threads)
{
	sqlite3 *db = fixture_db("threads.db");
	char *want[N_THREAD_QUERIES];
	for (size_t q = 0; q < N_THREAD_QUERIES; q++)
		want[q] = query(db, thread_queries[q]);
	close_db(db);
	thread_job jobs[2];
	pthread_t threads[2];
	for (int t = 0; t < 2; t++) {
		memset(&jobs[t], 0, sizeof jobs[t]);
		path_in_dir("threads.db", jobs[t].path, sizeof jobs[t].path);
		ck_assert_int_eq(pthread_create(&threads[t], NULL, thread_main, &jobs[t]), 0);
	}
	for (int t = 0; t < 2; t++)
		ck_assert_int_eq(pthread_join(threads[t], NULL), 0);
	for (int t = 0; t < 2; t++) {
		ck_assert_int_eq(jobs[t].mismatches, 0);
		for (size_t q = 0; q < N_THREAD_QUERIES; q++) {
			ck_assert_str_eq(jobs[t].results[q], want[q]);
			sqlite3_free(jobs[t].results[q]);
		}
	}
	ck_assert_str_eq(want[0], "Horror");
	ck_assert_str_eq(want[4], "Horror:1,Romance:1,Comedy:0");
	for (size_t q = 0; q < N_THREAD_QUERIES; q++)
		sqlite3_free(want[q]);
}
END_TEST

START_TEST(test_load_twice)
{
	sqlite3 *db = fixture_db("twice.db");  /* loaded once by the auto extension */
	ck_query(db, "SELECT tg_predict('ghost'), count(*) FROM tg_genres('ghost')", "Horror|3");
	char *err = NULL;
	ck_assert_int_eq(sqlite3_tg_init(db, &err, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_tg_init(db, &err, NULL), SQLITE_OK);
	ck_query(db, "SELECT tg_predict('ghost'), tg_tags('ghost', 'mood'), count(*) FROM tg_genres('ghost')",
	         "Horror|[\"Dark\",\"Light \\\"fun\\\"\"]|3");
	/* Loading while a statement runs fails (SQLite refuses to replace functions in
	** use) and leaves the running statement and the old registrations intact. */
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT tg_predict(name) FROM tg_models", -1, &st, NULL), SQLITE_OK);
	ck_assert_str_eq(step_text(st), "Horror");
	ck_assert_int_eq(sqlite3_tg_init(db, &err, NULL), SQLITE_BUSY);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strncmp(err, "tg: cannot register the SQL functions: ", 39) == 0, "%s", err);
	sqlite3_free(err);
	ck_assert_str_eq(step_text(st), "Horror");
	sqlite3_finalize(st);
	ck_query(db, "SELECT tg_predict('ghost'), count(*) FROM tg_genres('ghost')", "Horror|3");
	close_db(db);
}
END_TEST

/* sqlite3_close_v2 with a statement still open: the context outlives it. */
START_TEST(test_close_with_open_statement)
{
	sqlite3 *db = fixture_db("zombie.db");
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT tg_predict(name) FROM tg_models", -1, &st, NULL), SQLITE_OK);
	ck_assert_str_eq(step_text(st), "Horror");
	ck_assert_int_eq(sqlite3_close_v2(db), SQLITE_OK);
	ck_assert_str_eq(step_text(st), "Horror");
	sqlite3_finalize(st);
}
END_TEST

/* ---- out of memory ------------------------------------------------------------------- */

static const char *const oom_queries[][2] = {
	{ "SELECT tg_predict('A ghost story')", "Horror" },
	{ "SELECT tg_tags('Love at the wedding', 'genre')", "[\"Romance\",\"Comedy\"]" },
	{ "SELECT tg_scores('ghost', 'mood')", "{\"Dark\":0.7808,\"Light \\\"fun\\\"\":0.5000}" },
	{ "SELECT tg_explain('funny funny love', 'Comedy')",
	  "[{\"feature\":\"funny\",\"contribution\":2.9336},{\"feature\":\"love\",\"contribution\":0.5775}]" },
	{ "SELECT group_concat(genre) FROM tg_genres('The haunted house')", "Horror,Romance,Comedy" },
	{ "SELECT tg_model() ->> '$.id'", "1" },
	{ "SELECT tg_predict('x', 'broken')",
	  "error: tg: model 4 ('broken') is damaged: model checksum mismatch (damaged blob)" },
	{ "SELECT tg_predict('x', 'shelved')",
	  "error: tg: no deployed model named 'shelved': deploy one of its 1 trained models, "
	  "e.g. UPDATE tg_models SET deployed = 1 WHERE id = 5" },
};
#define N_OOM_QUERIES (sizeof oom_queries / sizeof oom_queries[0])

/* Fails the n-th allocation of opening a connection and running every query on it:
** each query must then give its answer or an error, and the connection must give
** every answer once memory is back.  Returns whether the failure happened. */
static int oom_round(const char *path, long n)
{
	sqlite3 *db = NULL;
	fail_fired = 0;
	fail_countdown = n;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	char *got[N_OOM_QUERIES] = { 0 };
	if (rc == SQLITE_OK)
		for (size_t q = 0; q < N_OOM_QUERIES; q++)
			got[q] = query(db, oom_queries[q][0]);
	fail_countdown = 0;
	int fired = fail_fired;
	for (size_t q = 0; q < N_OOM_QUERIES; q++) {
		if (got[q] && strncmp(got[q], "error:", 6) != 0)
			ck_assert_msg(strcmp(got[q], oom_queries[q][1]) == 0, "allocation %ld failed; %s\n   got: %s\n  want: %s",
			              n, oom_queries[q][0], got[q], oom_queries[q][1]);
		sqlite3_free(got[q]);
	}
	if (rc == SQLITE_OK)
		for (size_t q = 0; q < N_OOM_QUERIES; q++)
			ck_query(db, oom_queries[q][0], oom_queries[q][1]);
	sqlite3_close(db);
	return fired;
}

START_TEST(test_out_of_memory)
{
	sqlite3 *db = fixture_db("oom.db");
	close_db(db);
	char path[128];
	path_in_dir("oom.db", path, sizeof path);
	long n = 1;
	while (oom_round(path, n))
		n++;
	ck_assert_msg(n > 50, "only %ld allocations?", n);
}
END_TEST

static Suite *extension_suite(void)
{
	Suite *s = suite_create("extension");
	TCase *values = tcase_create("values");
	tcase_add_test(values, test_predict);
	tcase_add_test(values, test_argument_types);
	tcase_add_test(values, test_tags_and_scores);
	tcase_add_test(values, test_genres_table);
	tcase_add_test(values, test_explain);
	tcase_add_test(values, test_explain_memory);
	tcase_add_test(values, test_model_and_version);
	suite_add_tcase(s, values);
	TCase *errors = tcase_create("errors");
	tcase_add_test(errors, test_errors);
	tcase_add_test(errors, test_suggested_fixes);
	tcase_add_test(errors, test_damaged_blobs);
	suite_add_tcase(s, errors);
	TCase *cache = tcase_create("cache");
	tcase_add_test(cache, test_real_registry_schema);
	tcase_add_test(cache, test_redeploy_other_connection);
	tcase_add_test(cache, test_running_statement_keeps_model);
	tcase_add_test(cache, test_redeploy_in_transaction);
	tcase_add_test(cache, test_loaded_once);
	tcase_add_test(cache, test_qualified_name_pinned);
	tcase_add_test(cache, test_per_row_allocations);
	suite_add_tcase(s, cache);
	TCase *conn = tcase_create("connections");
	tcase_set_timeout(conn, 120);
	tcase_add_test(conn, test_threads);
	tcase_add_test(conn, test_load_twice);
	tcase_add_test(conn, test_close_with_open_statement);
	tcase_add_test(conn, test_out_of_memory);
	suite_add_tcase(s, conn);
	return s;
}

int main(void)
{
	/* The counting allocator goes in before SQLite initializes. */
	sqlite3_mem_methods counting;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &system_mem) != SQLITE_OK)
		return 1;
	counting = system_mem;
	counting.xMalloc = counting_malloc;
	counting.xRealloc = counting_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &counting) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1) != SQLITE_OK)
		return 1;
	/* Every connection of this program gets tg, as an application linking it would. */
	if (sqlite3_auto_extension((void (*)(void))sqlite3_tg_init) != SQLITE_OK)
		return 1;
	snprintf(dir, sizeof dir, "%s/tg-check-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;

	const int failed = tg_run_suite(extension_suite()) != EXIT_SUCCESS;

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	sqlite3_reset_auto_extension();
	sqlite3_shutdown();
	return failed ? 1 : 0;
}
