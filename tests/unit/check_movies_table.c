/* The movies table: JSON genres, split, replacement, atomicity, speed. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "dataset.h"
#include "movies_table.h"
#include "registry.h"
#include "check_run.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/tg_movies_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/m.db", dir);
}

static void teardown(void)
{
	char p[160];
	snprintf(p, sizeof p, "%s-journal", path);
	unlink(p);
	unlink(path);
	rmdir(dir);
}

static sqlite3 *open_db(int busy_ms)
{
	sqlite3 *db = NULL;
	char err[TG_ERR_MAX] = "";
	int rc = tg_reg_open(path, busy_ms, NULL, &db, err, sizeof err);
	ck_assert_msg(rc == TG_REG_OK, "open: %s", err);
	return db;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
}

static int64_t int_query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *rows_text(sqlite3 *db, const char *sql)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			fprintf(f, "%s%s", i ? "|" : "", t ? (const char *)t : "NULL");
		}
		fputc('\n', f);
	}
	sqlite3_finalize(st);
	fclose(f);
	return buf;
}

/* A film over static strings: nothing to free. */
static tg_movie film(int64_t id, const char *title, char **genres, size_t n_genres)
{
	tg_movie m;
	memset(&m, 0, sizeof m);
	m.id = id;
	m.title = (char *)title;
	m.overview = (char *)"An overview.";
	m.overview_len = strlen(m.overview);
	m.release_date = (char *)"1999-03-31";
	m.original_language = (char *)"en";
	m.genres = genres;
	m.n_genres = n_genres;
	return m;
}

static char *hard_genres[] = {
	"Drama",
	"Sci \"Fi\"",
	"back\\slash \\\" end\\",
	"ctl \n\t\r\b\f \x01\x1f\x7f end",
	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xc3\xa9 \xf0\x9f\x8e\xac \xe2\x80\xa8",
	"/slash/ ; DROP TABLE movies; --",
	"",
};
#define N_HARD (sizeof hard_genres / sizeof hard_genres[0])

START_TEST(test_genres_json_escaping)
{
	tg_movie m = film(1, "t", hard_genres, N_HARD);
	size_t len = 0;
	char *js = tg_movie_genres_json(&m, &len);
	ck_assert_ptr_nonnull(js);
	ck_assert_uint_eq(len, strlen(js));
	ck_assert_str_eq(js,
	                 "[\"Drama\",\"Sci \\\"Fi\\\"\",\"back\\\\slash \\\\\\\" end\\\\\","
	                 "\"ctl \\n\\t\\r\\b\\f \\u0001\\u001f\x7f end\","
	                 "\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xc3\xa9 \xf0\x9f\x8e\xac \xe2\x80\xa8\","
	                 "\"/slash/ ; DROP TABLE movies; --\",\"\"]");

	/* identical to SQLite's own json_array() of the same strings */
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT json_array(?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st, NULL),
	                 SQLITE_OK);
	for (size_t i = 0; i < N_HARD; i++)
		sqlite3_bind_text(st, (int)i + 1, hard_genres[i], -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), js);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(js);

	tg_movie none = film(2, "t", NULL, 0);
	js = tg_movie_genres_json(&none, &len);
	ck_assert_str_eq(js, "[]");
	ck_assert_uint_eq(len, 2);
	free(js);
	char *one[] = { "Comedy" };
	tg_movie m1 = film(3, "t", one, 1);
	js = tg_movie_genres_json(&m1, NULL);
	ck_assert_str_eq(js, "[\"Comedy\"]");
	free(js);
}
END_TEST

START_TEST(test_round_trip)
{
	sqlite3 *db = open_db(-1);
	char err[TG_ERR_MAX] = "";
	char *two[] = { "Drama", "Comedy" };
	tg_movie ms[4];
	ms[0] = film(862, "Toy Story", two, 2);
	ms[1] = film(10, "It's \"quoted\"; DROP TABLE movies; --", hard_genres, N_HARD);
	ms[1].overview = (char *)"line1\nline2 \\ \xc3\xa9";
	ms[1].overview_len = strlen(ms[1].overview);
	ms[2] = film(21, "", NULL, 0);
	ms[2].release_date = (char *)"";
	ms[2].original_language = NULL; /* NULL pointer -> SQL NULL */
	ms[2].overview = NULL;
	ms[2].overview_len = 0;
	ms[3] = film(862, "Toy Story (duplicate id)", two, 1);
	ck_assert_int_eq(tg_movies_table_write(db, ms, 4, err, sizeof err), TG_REG_OK);
	ck_assert_str_eq(err, "");

	char *rows = rows_text(db, "SELECT id, title, genres, release_date, original_language, split,"
	                           " typeof(overview) FROM movies ORDER BY rowid");
	ck_assert_str_eq(rows,
	                 "862|Toy Story|[\"Drama\",\"Comedy\"]|1999-03-31|en|train|text\n"
	                 "10|It's \"quoted\"; DROP TABLE movies; --|[\"Drama\",\"Sci \\\"Fi\\\"\","
	                 "\"back\\\\slash \\\\\\\" end\\\\\",\"ctl \\n\\t\\r\\b\\f \\u0001\\u001f\x7f end\","
	                 "\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xc3\xa9 \xf0\x9f\x8e\xac \xe2\x80\xa8\","
	                 "\"/slash/ ; DROP TABLE movies; --\",\"\"]|1999-03-31|en|test|text\n"
	                 "21||[]||NULL|validation|null\n"
	                 "862|Toy Story (duplicate id)|[\"Drama\"]|1999-03-31|en|train|text\n");
	free(rows);

	/* every stored string, and every genre read back through SQLite's JSON parser, is exact */
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT title, overview, json_valid(genres), json_array_length(genres),"
	                                        " genres FROM movies ORDER BY rowid", -1, &st, NULL), SQLITE_OK);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), ms[i].title);
		if (ms[i].overview)
			ck_assert_str_eq((const char *)sqlite3_column_text(st, 1), ms[i].overview);
		ck_assert_int_eq(sqlite3_column_int(st, 2), 1);
		ck_assert_int_eq(sqlite3_column_int(st, 3), (int)ms[i].n_genres);
		for (size_t g = 0; g < ms[i].n_genres; g++) {
			sqlite3_stmt *q;
			ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT json_extract(?1, '$[' || ?2 || ']')", -1, &q, NULL),
			                 SQLITE_OK);
			sqlite3_bind_text(q, 1, (const char *)sqlite3_column_text(st, 4), -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(q, 2, (int)g);
			ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
			ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), ms[i].genres[g]);
			sqlite3_finalize(q);
		}
	}
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	/* json_each agrees too */
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM movies, json_each(movies.genres)"
	                               " WHERE json_each.value = 'Drama'"), 3);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_split)
{
	ck_assert_str_eq(tg_split_name(tg_split_of(0)), "test");
	ck_assert_str_eq(tg_split_name(tg_split_of(10)), "test");
	ck_assert_str_eq(tg_split_name(tg_split_of(1)), "validation");
	ck_assert_str_eq(tg_split_name(tg_split_of(862001)), "validation");
	for (int d = 2; d <= 9; d++)
		ck_assert_str_eq(tg_split_name(tg_split_of(1230 + d)), "train");
	ck_assert_str_eq(tg_split_name(tg_split_of(-10)), "test");
	ck_assert_str_eq(tg_split_name(tg_split_of(-1)), "train");
	ck_assert_str_eq(tg_split_name(tg_split_of(INT64_MAX)), "train"); /* ...807 */

	sqlite3 *db = open_db(-1);
	tg_movie ms[100];
	for (int i = 0; i < 100; i++)
		ms[i] = film(i, "t", NULL, 0);
	ck_assert_int_eq(tg_movies_table_write(db, ms, 100, NULL, 0), TG_REG_OK);
	char *s = rows_text(db, "SELECT split, count(*), sum(id % 10 = 0), sum(id % 10 = 1) FROM movies"
	                        " GROUP BY split ORDER BY split");
	ck_assert_str_eq(s, "test|10|10|0\ntrain|80|0|0\nvalidation|10|0|10\n");
	free(s);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_rerun_replaces)
{
	sqlite3 *db = open_db(-1);
	char *g[] = { "Drama" };
	tg_movie ms[3] = { film(1, "a", g, 1), film(2, "b", g, 1), film(3, "c", g, 1) };
	ck_assert_int_eq(tg_movies_table_write(db, ms, 3, NULL, 0), TG_REG_OK);
	exec_ok(db, "CREATE INDEX movies_by_id ON movies (id)"); /* a user's index survives */
	ck_assert_int_eq(tg_movies_table_write(db, ms + 1, 2, NULL, 0), TG_REG_OK);
	char *s = rows_text(db, "SELECT id, title FROM movies ORDER BY id");
	ck_assert_str_eq(s, "2|b\n3|c\n");
	free(s);
	ck_assert_int_eq(tg_movies_table_write(db, NULL, 0, NULL, 0), TG_REG_OK);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM movies"), 0);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'movies_by_id'"), 1);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_failure_keeps_old_content)
{
	sqlite3 *db = open_db(-1);
	char err[TG_ERR_MAX] = "";
	char *g[] = { "Drama" };
	tg_movie ms[3] = { film(1, "a", g, 1), film(2, "b", g, 1), film(3, "c", g, 1) };
	ck_assert_int_eq(tg_movies_table_write(db, ms, 2, NULL, 0), TG_REG_OK);
	/* the third insert fails, after the DELETE and two inserts */
	exec_ok(db, "CREATE TEMP TRIGGER no3 BEFORE INSERT ON movies WHEN new.id = 3"
	            " BEGIN SELECT RAISE(ABORT, 'film 3 refused'); END");
	tg_movie again[3] = { ms[2], ms[1], ms[2] };
	again[0].id = 4;
	ck_assert_int_eq(tg_movies_table_write(db, again, 3, err, sizeof err), TG_REG_ERROR);
	ck_assert_msg(strncmp(err, "film 3 refused: ", 16) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(err, "record 3"));
	err[0] = '\0';
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
	char *s = rows_text(db, "SELECT id, title FROM movies ORDER BY id");
	ck_assert_str_eq(s, "1|a\n2|b\n");
	free(s);
	sqlite3_close(db);

	/* a foreign `movies` table is refused before anything is deleted */
	unlink(path);
	db = open_db(-1);
	exec_ok(db, "CREATE TABLE movies (id INTEGER, name TEXT); INSERT INTO movies VALUES (7, 'mine')");
	ck_assert_int_eq(tg_movies_table_write(db, ms, 3, err, sizeof err), TG_REG_ERROR);
	ck_assert_msg(strncmp(err, "table movies has no column named title", 38) == 0, "%s", err);
	s = rows_text(db, "SELECT * FROM movies");
	ck_assert_str_eq(s, "7|mine\n");
	free(s);
	sqlite3_close(db);
}
END_TEST

/* Movies and the model in the caller's one transaction: both or neither. */
START_TEST(test_same_transaction_as_registry)
{
	sqlite3 *db = open_db(-1);
	char err[TG_ERR_MAX] = "";
	char *g[] = { "Drama" };
	tg_movie ms[2] = { film(1, "a", g, 1), film(2, "b", g, 1) };
	static const unsigned char blob[] = { 1, 2, 3 };
	tg_model_record rec = { .name = NULL, .format = 1, .params = "{}",
	                        .metrics = "{\"validation\":{\"micro_f1\":0.5}}",
	                        .data_sha256 = "00", .blob = blob, .blob_len = sizeof blob };
	tg_store_result r;

	exec_ok(db, "BEGIN IMMEDIATE");
	ck_assert_int_eq(tg_movies_table_write(db, ms, 2, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_reg_store(db, &rec, TG_DEPLOY_BEST, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(sqlite3_get_autocommit(db), 0);
	exec_ok(db, "ROLLBACK");
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models"), 0);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'movies'"), 0);

	/* the model store fails: the caller rolls back, the movies go too */
	tg_txn t;
	ck_assert_int_eq(tg_txn_begin(db, &t, "test", err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(t.own, 1);
	ck_assert_int_eq(tg_movies_table_write(db, ms, 2, err, sizeof err), TG_REG_OK);
	rec.params = "{bad";
	ck_assert_int_eq(tg_reg_store(db, &rec, TG_DEPLOY_BEST, &r, err, sizeof err), TG_REG_ERROR);
	err[0] = '\0';
	tg_txn_rollback(db, &t);
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'movies'"), 0);

	rec.params = "{}";
	ck_assert_int_eq(tg_txn_begin(db, &t, "test", err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_movies_table_write(db, ms, 2, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_reg_store(db, &rec, TG_DEPLOY_BEST, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_txn_commit(db, &t, "test", err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM movies"), 2);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models WHERE deployed = 1"), 1);
	ck_assert_str_eq(err, "");
	sqlite3_close(db);
}
END_TEST

START_TEST(test_busy)
{
	sqlite3 *db = open_db(100);
	sqlite3 *other;
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	exec_ok(other, "BEGIN IMMEDIATE");
	char *g[] = { "Drama" };
	tg_movie m = film(1, "a", g, 1);
	char err[TG_ERR_MAX] = "";
	int rc = tg_movies_table_write(db, &m, 1, err, sizeof err);
	ck_assert_int_eq(rc, TG_REG_BUSY);
	ck_assert_str_eq(err, "database is locked (another process holds it): writing the movies table");
	exec_ok(other, "COMMIT");
	ck_assert_int_eq(tg_movies_table_write(db, &m, 1, NULL, 0), TG_REG_OK);
	sqlite3_close(other);
	sqlite3_close(db);
}
END_TEST

/*
** 8000 films (the size of the Kaggle set) into a file database, replacing 8000: every
** row arrives once, in order.  (How long it takes is bench/speed's business: tests
** check results, not time.)
*/
START_TEST(test_replace_8k)
{
	enum { N = 8000 };
	static tg_movie ms[N];
	static char titles[N][32];
	static char overview[400];
	char *g[] = { "Drama", "Comedy", "Science Fiction" };
	memset(overview, 'o', sizeof overview - 1);
	for (int i = 0; i < N; i++) {
		snprintf(titles[i], sizeof titles[i], "Film \"%d\"", i);
		ms[i] = film(1000 + i, titles[i], g, (size_t)(i % 4));
		ms[i].overview = overview;
		ms[i].overview_len = sizeof overview - 1;
	}
	sqlite3 *db = open_db(-1);
	ck_assert_int_eq(tg_movies_table_write(db, ms, N, NULL, 0), TG_REG_OK); /* creates the table */
	ck_assert_int_eq(tg_movies_table_write(db, ms, N, NULL, 0), TG_REG_OK); /* replaces it */
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM movies"), N);
	ck_assert_int_eq(int_query(db, "SELECT count(DISTINCT id) FROM movies"), N);
	ck_assert_int_eq(int_query(db, "SELECT min(id) = 1000 AND max(id) = 1000 + 7999 FROM movies"), 1);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM movies WHERE title = 'Film \"7999\"'"), 1);
	sqlite3_close(db);
}
END_TEST

static Suite *movies_suite(void)
{
	Suite *s = suite_create("movies_table");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_genres_json_escaping);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_rerun_replaces);
	tcase_add_test(tc, test_failure_keeps_old_content);
	tcase_add_test(tc, test_same_transaction_as_registry);
	tcase_add_test(tc, test_busy);
	tcase_add_test(tc, test_replace_8k);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(movies_suite());
}
