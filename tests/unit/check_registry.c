/* Model registry: schema, deploy policies, lifecycle verbs, atomicity, locking. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "model_table.h"
#include "registry.h"
#include "check_run.h"

/* ---- fixture: a fresh directory with a database path ---------------------------- */

static char dir[64];
static char path[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/tg_registry_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/reg.db", dir);
}

static void teardown(void)
{
	char p[160];
	static const char *const sfx[] = { "", "-journal", "-wal", "-shm" };
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* ---- helpers -------------------------------------------------------------------- */

static sqlite3 *open_reg(int busy_ms)
{
	sqlite3 *db = NULL;
	char err[TG_ERR_MAX] = "";
	int rc = tg_reg_open(path, busy_ms, NULL, &db, err, sizeof err);
	ck_assert_msg(rc == TG_REG_OK, "tg_reg_open: %d %s", rc, err);
	ck_assert_str_eq(err, "");
	ck_assert_ptr_nonnull(db);
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
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	int rc = sqlite3_step(st);
	ck_assert_msg(rc == SQLITE_ROW, "%s: %s", sql, sqlite3_errmsg(db));
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* All rows of a query as text, "a|b|c\n" per row; malloc'd. */
static char *rows_text(sqlite3 *db, const char *sql)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			fprintf(f, "%s%s", i ? "|" : "", t ? (const char *)t : "NULL");
		}
		fputc('\n', f);
	}
	ck_assert_int_eq(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	fclose(f);
	return buf;
}

/* The whole registry state, to compare before and after a failed operation. */
static char *dump(sqlite3 *db)
{
	char *a = rows_text(db, "SELECT id, name, created_at, format, params, metrics, data_sha256,"
	                        " deployed, hex(model) FROM tg_models ORDER BY id");
	char *b = rows_text(db, "SELECT * FROM tg_deployments ORDER BY id");
	char *c = rows_text(db, "SELECT name, seq FROM sqlite_sequence ORDER BY name");
	size_t n = strlen(a) + strlen(b) + strlen(c) + 8;
	char *s = malloc(n);
	ck_assert_ptr_nonnull(s);
	snprintf(s, n, "%s#\n%s#\n%s", a, b, c);
	free(a);
	free(b);
	free(c);
	return s;
}

static const char sha_a[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char params_a[] = "{\"dim\":1024,\"epochs\":5}";

/* Metrics JSON with validation micro-F1 `val` (negative: absent). */
static void metrics_json(char *buf, size_t n, double val)
{
	if (val < 0)
		snprintf(buf, n, "{\"test\":{\"micro_f1\":0.5,\"macro_f1\":0.25,\"p_at_1\":0.75}}");
	else
		snprintf(buf, n,
		         "{\"validation\":{\"micro_f1\":%.17g},"
		         "\"test\":{\"micro_f1\":0.8123,\"macro_f1\":0.4,\"p_at_1\":0.9}}",
		         val);
}

static int store_full(sqlite3 *db, const char *name, double val, tg_deploy_policy p,
                      const char *params, tg_store_result *res, char *err, size_t errlen)
{
	char metrics[256];
	static const unsigned char blob[] = { 'T', 'G', 'M', 0, 1, 2, 3 };
	metrics_json(metrics, sizeof metrics, val);
	tg_model_record m = {
		.name = name, .format = 1, .params = params, .metrics = metrics,
		.data_sha256 = sha_a, .blob = blob, .blob_len = sizeof blob,
	};
	return tg_reg_store(db, &m, p, res, err, errlen);
}

/* Stores a model that must succeed; returns its id and checks the decision. */
static int64_t store_ok(sqlite3 *db, const char *name, double val, tg_deploy_policy p,
                        int want_deployed)
{
	tg_store_result r;
	char err[TG_ERR_MAX] = "";
	int rc = store_full(db, name, val, p, params_a, &r, err, sizeof err);
	ck_assert_msg(rc == TG_REG_OK, "store: %d %s", rc, err);
	ck_assert_str_eq(err, "");
	ck_assert_int_gt(r.id, 0);
	ck_assert_msg(r.deployed == want_deployed, "deployed %d, want %d (%s)", r.deployed,
	              want_deployed, r.reason);
	return r.id;
}

static int64_t deployed_id(sqlite3 *db, const char *name)
{
	int64_t id = -1;
	char err[TG_ERR_MAX] = "";
	ck_assert_int_eq(tg_reg_deployed(db, name, &id, err, sizeof err), TG_REG_OK);
	return id;
}

static int64_t n_deployed(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM tg_models WHERE name = ?1 AND deployed = 1",
	                                    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void assert_prefix(const char *s, const char *prefix)
{
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(strncmp(s, prefix, strlen(prefix)) == 0, "message \"%s\" does not start with \"%s\"",
	              s, prefix);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- schema --------------------------------------------------------------------- */

START_TEST(test_schema_idempotent)
{
	sqlite3 *db = open_reg(-1);
	char *s1 = rows_text(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name");
	ck_assert_ptr_nonnull(strstr(s1, "table|tg_models|"));
	ck_assert_ptr_nonnull(strstr(s1, "table|tg_deployments|"));
	ck_assert_ptr_nonnull(strstr(s1, "index|tg_models_one_deployed|"));
	int64_t id = store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	char *d1 = dump(db);

	char err[TG_ERR_MAX] = "";
	ck_assert_int_eq(tg_reg_ensure_schema(db, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_reg_ensure_schema(db, err, sizeof err), TG_REG_OK);
	exec_ok(db, tg_reg_schema_sql());
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	db = open_reg(-1); /* reopen runs the schema again */
	char *s2 = rows_text(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name");
	char *d2 = dump(db);
	ck_assert_str_eq(s1, s2);
	ck_assert_str_eq(d1, d2);
	ck_assert_int_eq(deployed_id(db, NULL), id);

	/* defaults: name 'genre', created_at UTC ISO-8601 with milliseconds */
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models WHERE name = 'genre' AND created_at GLOB"
	                               " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:"
	                               "[0-9][0-9].[0-9][0-9][0-9]Z'"), 1);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_deployments WHERE deployed_at GLOB '*T*.*Z'"), 1);
	ck_assert_int_eq(int_query(db, "PRAGMA foreign_keys"), 1);
	free(s1);
	free(s2);
	free(d1);
	free(d2);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_lookup_uses_partial_index)
{
	sqlite3 *db = open_reg(-1);
	char *plan = rows_text(db, "EXPLAIN QUERY PLAN SELECT id, model FROM tg_models WHERE name = ?1 AND deployed = 1");
	ck_assert_msg(strstr(plan, "USING INDEX tg_models_one_deployed (name=?)") != NULL, "plan: %s", plan);
	free(plan);
	plan = rows_text(db, "EXPLAIN QUERY PLAN SELECT id FROM tg_models WHERE name = ?1 AND data_sha256 = ?2"
	                     " AND params = ?3 ORDER BY id DESC LIMIT 1");
	ck_assert_msg(strstr(plan, "USING INDEX tg_models_name_data") != NULL, "plan: %s", plan);
	free(plan);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_open_errors)
{
	sqlite3 *db = (sqlite3 *)1;
	char err[TG_ERR_MAX] = "";
	ck_assert_int_eq(tg_reg_open("/nonexistent-dir-tg/x.db", -1, NULL, &db, err, sizeof err), TG_REG_ERROR);
	ck_assert_ptr_null(db);
	assert_prefix(err, "unable to open database file: ");
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir-tg/x.db"));
	err[0] = '\0';

	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 4096; i++)
		fputc('x', f);
	fclose(f);
	ck_assert_int_eq(tg_reg_open(path, -1, NULL, &db, err, sizeof err), TG_REG_ERROR);
	ck_assert_ptr_null(db);
	assert_prefix(err, "file is not a database: ");
}
END_TEST

/* ---- store and deploy policies -------------------------------------------------- */

START_TEST(test_policy_best)
{
	sqlite3 *db = open_reg(-1);
	tg_store_result r;
	char err[TG_ERR_MAX] = "";

	/* none deployed: deployed whatever the score */
	ck_assert_int_eq(store_full(db, "genre", 0.5, TG_DEPLOY_BEST, params_a, &r, err, sizeof err), TG_REG_OK);
	int64_t a = r.id;
	ck_assert_int_eq(r.deployed, 1);
	ck_assert_int_eq(r.prev_id, 0);
	ck_assert_int_eq(r.has_prev_score, 0);
	ck_assert_int_eq(r.has_new_score, 1);
	ck_assert_double_eq(r.new_score, 0.5);

	/* worse: kept */
	ck_assert_int_eq(store_full(db, "genre", 0.4, TG_DEPLOY_BEST, params_a, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(r.deployed, 0);
	ck_assert_int_eq(r.prev_id, a);
	ck_assert_int_eq(r.has_new_score, 1);
	ck_assert_int_eq(r.has_prev_score, 1);
	ck_assert_double_eq(r.new_score, 0.4);
	ck_assert_double_eq(r.prev_score, 0.5);
	ck_assert_int_eq(deployed_id(db, "genre"), a);

	/* tie: kept (must strictly beat) */
	ck_assert_int_eq(store_full(db, "genre", 0.5, TG_DEPLOY_BEST, params_a, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(r.deployed, 0);
	ck_assert_int_eq(deployed_id(db, "genre"), a);

	/* better: deployed, previous undeployed */
	ck_assert_int_eq(store_full(db, "genre", 0.6, TG_DEPLOY_BEST, params_a, &r, err, sizeof err), TG_REG_OK);
	int64_t d = r.id;
	ck_assert_int_eq(r.deployed, 1);
	ck_assert_int_eq(r.prev_id, a);
	ck_assert_double_eq(r.new_score, 0.6);
	ck_assert_double_eq(r.prev_score, 0.5);
	ck_assert_msg(strstr(r.reason, "0.600000 > 0.500000") != NULL, "reason: %s", r.reason);
	ck_assert_int_eq(deployed_id(db, "genre"), d);
	ck_assert_int_eq(n_deployed(db, "genre"), 1);

	/* a barely better score still wins */
	ck_assert_int_eq(store_full(db, "genre", 0.6000001, TG_DEPLOY_BEST, params_a, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(r.deployed, 1);
	int64_t e = r.id;

	/* another name is independent: none deployed there */
	ck_assert_int_eq(store_full(db, "other", 0.1, TG_DEPLOY_BEST, params_a, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(r.deployed, 1);
	ck_assert_int_eq(r.prev_id, 0);
	ck_assert_int_eq(deployed_id(db, "genre"), e);

	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models"), 6);
	char *log = rows_text(db, "SELECT name, model_id, action FROM tg_deployments ORDER BY id");
	char want[128];
	snprintf(want, sizeof want, "genre|%lld|deploy\ngenre|%lld|deploy\ngenre|%lld|deploy\nother|%lld|deploy\n",
	         (long long)a, (long long)d, (long long)e, (long long)r.id);
	ck_assert_str_eq(log, want);
	free(log);
	ck_assert_str_eq(err, "");
	sqlite3_close(db);
}
END_TEST

START_TEST(test_policy_best_missing_scores)
{
	sqlite3 *db = open_reg(-1);
	tg_store_result r;
	char err[TG_ERR_MAX] = "";
	/* first model without a score: nothing deployed, so it is */
	ck_assert_int_eq(store_full(db, NULL, -1, TG_DEPLOY_BEST, params_a, &r, err, sizeof err), TG_REG_OK);
	int64_t a = r.id;
	ck_assert_int_eq(r.deployed, 1);
	ck_assert_int_eq(r.has_new_score, 0);
	/* scored model beats an unscored deployed one */
	ck_assert_int_eq(store_full(db, NULL, 0.01, TG_DEPLOY_BEST, params_a, &r, err, sizeof err), TG_REG_OK);
	int64_t b = r.id;
	ck_assert_int_eq(r.deployed, 1);
	ck_assert_int_eq(r.prev_id, a);
	ck_assert_int_eq(r.has_prev_score, 0);
	/* unscored model never replaces a deployed one */
	ck_assert_int_eq(store_full(db, NULL, -1, TG_DEPLOY_BEST, params_a, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(r.deployed, 0);
	ck_assert_int_eq(r.prev_id, b);
	ck_assert_int_eq(r.has_prev_score, 1);
	ck_assert_int_eq(deployed_id(db, NULL), b);

	/* a string where a number should be counts as no score */
	static const unsigned char blob[] = { 1 };
	tg_model_record m = { .name = NULL, .format = 1, .params = "{}",
	                   .metrics = "{\"validation\":{\"micro_f1\":\"0.99\"}}",
	                   .data_sha256 = sha_a, .blob = blob, .blob_len = 1 };
	ck_assert_int_eq(tg_reg_store(db, &m, TG_DEPLOY_BEST, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(r.deployed, 0);
	ck_assert_int_eq(r.has_new_score, 0);
	ck_assert_str_eq(err, "");
	sqlite3_close(db);
}
END_TEST

START_TEST(test_policy_always_never)
{
	sqlite3 *db = open_reg(-1);
	tg_store_result r;
	char err[TG_ERR_MAX] = "";
	int64_t a = store_ok(db, NULL, 0.9, TG_DEPLOY_ALWAYS, 1);
	int64_t b = store_ok(db, NULL, 0.99, TG_DEPLOY_NEVER, 0);
	ck_assert_int_eq(deployed_id(db, NULL), a);
	/* always deploys a worse model */
	ck_assert_int_eq(store_full(db, NULL, 0.1, TG_DEPLOY_ALWAYS, params_a, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(r.deployed, 1);
	ck_assert_int_eq(r.prev_id, a);
	ck_assert_double_eq(r.prev_score, 0.9);
	ck_assert_double_eq(r.new_score, 0.1);
	ck_assert_int_eq(deployed_id(db, NULL), r.id);
	ck_assert_int_eq(n_deployed(db, "genre"), 1);
	/* never, with nothing deployed for the name: still not deployed */
	ck_assert_int_eq(store_full(db, "fresh", 0.9, TG_DEPLOY_NEVER, params_a, &r, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(r.deployed, 0);
	ck_assert_int_eq(deployed_id(db, "fresh"), 0);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_deployments"), 2);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models WHERE deployed = 1"), 1);
	(void)b;

	sqlite3_close(db);
}
END_TEST

START_TEST(test_store_misuse)
{
	sqlite3 *db = open_reg(-1);
	char err[TG_ERR_MAX] = "";
	tg_store_result r;
	tg_model_record m = { .name = NULL, .format = 1, .params = "{}", .metrics = "{}",
	                   .data_sha256 = sha_a, .blob = "", .blob_len = 0 };
	ck_assert_int_eq(tg_reg_store(db, &m, TG_DEPLOY_ALWAYS, &r, err, sizeof err), TG_REG_MISUSE);
	assert_prefix(err, "empty model blob");
	err[0] = '\0';
	m.blob_len = 1;
	m.params = NULL;
	ck_assert_int_eq(tg_reg_store(db, &m, TG_DEPLOY_ALWAYS, &r, err, sizeof err), TG_REG_MISUSE);
	m.params = "{}";
	ck_assert_int_eq(tg_reg_store(db, &m, (tg_deploy_policy)42, &r, NULL, 0), TG_REG_MISUSE);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models"), 0);
	sqlite3_close(db);
}
END_TEST

/* ---- at most one deployed per name ---------------------------------------------- */

START_TEST(test_one_deployed_per_name)
{
	sqlite3 *db = open_reg(-1);
	int64_t a = store_ok(db, "genre", 0.5, TG_DEPLOY_ALWAYS, 1);
	int64_t b = store_ok(db, "genre", 0.6, TG_DEPLOY_NEVER, 0);
	int64_t c = store_ok(db, "other", 0.6, TG_DEPLOY_ALWAYS, 1);
	char *before = dump(db);

	/* behind the registry's back: the partial unique index refuses */
	static const char *const bad[] = {
		"UPDATE tg_models SET deployed = 1",
		"UPDATE tg_models SET deployed = 1 WHERE name = 'genre'",
		"INSERT INTO tg_models (name, format, params, metrics, data_sha256, deployed, model)"
		" VALUES ('genre', 1, '{}', '{}', 'x', 1, x'00')",
		"UPDATE tg_models SET name = 'genre' WHERE name = 'other'",
		"UPDATE tg_models SET deployed = 2",
		"INSERT INTO tg_models (name, format, params, metrics, data_sha256, deployed, model)"
		" VALUES ('new', 1, '{}', '{}', 'x', 7, x'00')",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = sqlite3_exec(db, bad[i], NULL, NULL, NULL);
		ck_assert_msg((rc & 0xff) == SQLITE_CONSTRAINT, "%s: rc %d", bad[i], rc);
	}
	char *after = dump(db);
	ck_assert_str_eq(before, after);

	/* through the API, deploying flips, never doubles */
	char err[TG_ERR_MAX] = "";
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(tg_reg_deploy(db, b, err, sizeof err), TG_REG_OK);
		ck_assert_int_eq(n_deployed(db, "genre"), 1);
		ck_assert_int_eq(deployed_id(db, "genre"), b);
		ck_assert_int_eq(tg_reg_deploy(db, a, err, sizeof err), TG_REG_OK);
		ck_assert_int_eq(n_deployed(db, "genre"), 1);
		ck_assert_int_eq(deployed_id(db, "genre"), a);
	}
	ck_assert_int_eq(deployed_id(db, "other"), c);
	ck_assert_int_eq(n_deployed(db, "other"), 1);
	ck_assert_str_eq(err, "");
	free(before);
	free(after);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_deploy_errors_and_noop)
{
	sqlite3 *db = open_reg(-1);
	int64_t a = store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	char *before = dump(db);
	char err[TG_ERR_MAX] = "";
	ck_assert_int_eq(tg_reg_deploy(db, 999, err, sizeof err), TG_REG_NOTFOUND);
	assert_prefix(err, "no model with id 999");
	err[0] = '\0';
	ck_assert_int_eq(tg_reg_deploy(db, -1, NULL, 0), TG_REG_NOTFOUND);
	/* redeploying the deployed model: nothing changes, nothing logged */
	ck_assert_int_eq(tg_reg_deploy(db, a, err, sizeof err), TG_REG_OK);
	char *after = dump(db);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
	free(before);
	free(after);
	sqlite3_close(db);
}
END_TEST

/* ---- rollback ------------------------------------------------------------------- */

static int64_t rollback_ok(sqlite3 *db, const char *name)
{
	int64_t id = -1;
	char err[TG_ERR_MAX] = "";
	int rc = tg_reg_rollback(db, name, &id, err, sizeof err);
	ck_assert_msg(rc == TG_REG_OK, "rollback: %d %s", rc, err);
	ck_assert_int_eq(deployed_id(db, name), id);
	return id;
}

static void rollback_none(sqlite3 *db, const char *name)
{
	char *before = dump(db);
	int64_t id = -1;
	char err[TG_ERR_MAX] = "";
	ck_assert_int_eq(tg_reg_rollback(db, name, &id, err, sizeof err), TG_REG_NOTFOUND);
	assert_prefix(err, "no earlier deployment to roll back to");
	ck_assert_int_eq(id, 0);
	char *after = dump(db);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}

START_TEST(test_rollback_sequence)
{
	sqlite3 *db = open_reg(-1);
	char err[TG_ERR_MAX] = "";
	int64_t a = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0);
	int64_t b = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0);
	int64_t c = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0);
	rollback_none(db, NULL); /* nothing ever deployed */

	ck_assert_int_eq(tg_reg_deploy(db, a, err, sizeof err), TG_REG_OK);
	rollback_none(db, NULL); /* only one deployment */
	ck_assert_int_eq(tg_reg_deploy(db, b, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(rollback_ok(db, NULL), a);
	rollback_none(db, NULL); /* A was the first: nothing before it */
	ck_assert_int_eq(deployed_id(db, NULL), a);

	/* deploy B, C; rollback walks back C -> B -> A */
	ck_assert_int_eq(tg_reg_deploy(db, b, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_reg_deploy(db, c, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(rollback_ok(db, NULL), b);
	ck_assert_int_eq(rollback_ok(db, NULL), a);
	rollback_none(db, NULL);

	/* deploy after a rollback: A, C; rollback -> A */
	ck_assert_int_eq(tg_reg_deploy(db, c, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(rollback_ok(db, NULL), a);

	/* deploying an earlier model again: A, B, A; rollback -> B -> A */
	ck_assert_int_eq(tg_reg_deploy(db, b, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_reg_deploy(db, a, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(rollback_ok(db, NULL), b);
	ck_assert_int_eq(rollback_ok(db, NULL), a);
	rollback_none(db, NULL);

	/* a store that deploys counts as a deployment */
	int64_t d = store_ok(db, NULL, 0.9, TG_DEPLOY_BEST, 1);
	ck_assert_int_eq(deployed_id(db, NULL), d);
	ck_assert_int_eq(rollback_ok(db, NULL), a);

	ck_assert_int_eq(n_deployed(db, "genre"), 1);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_deployments WHERE action = 'rollback'"), 7);
	rollback_none(db, "unknown name");
	ck_assert_str_eq(err, "");
	sqlite3_close(db);
}
END_TEST

START_TEST(test_rollback_skips_deleted)
{
	sqlite3 *db = open_reg(-1);
	char err[TG_ERR_MAX] = "";
	int64_t a = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0);
	int64_t b = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0);
	int64_t c = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0);
	int64_t d = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0);
	ck_assert_int_eq(tg_reg_deploy(db, a, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_reg_deploy(db, b, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_reg_deploy(db, c, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_reg_deploy(db, d, err, sizeof err), TG_REG_OK);
	int n = -1;
	ck_assert_int_eq(tg_reg_prune(db, NULL, 1, &n, err, sizeof err), TG_REG_OK); /* keeps C, deletes A, B */
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(rollback_ok(db, NULL), c);
	rollback_none(db, NULL); /* A and B are gone */
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_deployments WHERE model_id NOT IN"
	                               " (SELECT id FROM tg_models)"), 0);
	ck_assert_str_eq(err, "");
	sqlite3_close(db);
}
END_TEST

/* ---- prune ---------------------------------------------------------------------- */

START_TEST(test_prune_keeps_deployed)
{
	sqlite3 *db = open_reg(-1);
	char err[TG_ERR_MAX] = "";
	int64_t id[5];
	for (int i = 0; i < 5; i++)
		id[i] = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0);
	int64_t other = store_ok(db, "other", 0.5, TG_DEPLOY_NEVER, 0);
	ck_assert_int_eq(tg_reg_deploy(db, id[0], err, sizeof err), TG_REG_OK); /* the oldest */
	ck_assert_int_eq(tg_reg_deploy(db, id[2], err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(tg_reg_deploy(db, id[0], err, sizeof err), TG_REG_OK);

	int n = -1;
	ck_assert_int_eq(tg_reg_prune(db, NULL, 2, &n, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(n, 2); /* id[1], id[2] */
	char *ids = rows_text(db, "SELECT id FROM tg_models WHERE name = 'genre' ORDER BY id");
	char want[64];
	snprintf(want, sizeof want, "%lld\n%lld\n%lld\n", (long long)id[0], (long long)id[3], (long long)id[4]);
	ck_assert_str_eq(ids, want);
	free(ids);
	/* the deleted model's log rows went with it */
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_deployments"), 2);

	/* pruning again with the same keep deletes nothing */
	ck_assert_int_eq(tg_reg_prune(db, NULL, 2, &n, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(n, 0);
	/* keep 0: only the deployed one stays, other names untouched */
	ck_assert_int_eq(tg_reg_prune(db, "genre", 0, &n, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models WHERE name = 'genre'"), 1);
	ck_assert_int_eq(deployed_id(db, NULL), id[0]);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models WHERE name = 'other'"), 1);
	(void)other;

	ck_assert_int_eq(tg_reg_prune(db, NULL, -1, &n, err, sizeof err), TG_REG_MISUSE);
	assert_prefix(err, "negative number of models to keep");
	sqlite3_close(db);
}
END_TEST

/* A connection without PRAGMA foreign_keys: prune still removes the log rows. */
START_TEST(test_prune_without_foreign_keys)
{
	sqlite3 *db = open_reg(-1);
	char err[TG_ERR_MAX] = "";
	int64_t a = store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	exec_ok(db, "PRAGMA foreign_keys = OFF");
	int n = -1;
	ck_assert_int_eq(tg_reg_prune(db, NULL, 0, &n, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_deployments"), 1);
	exec_ok(db, "PRAGMA foreign_keys = ON");
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	(void)a;
	sqlite3_close(db);
}
END_TEST

/* ---- atomicity ------------------------------------------------------------------ */

START_TEST(test_failed_store_leaves_registry_unchanged)
{
	sqlite3 *db = open_reg(-1);
	tg_store_result r;
	char err[TG_ERR_MAX] = "";
	int64_t a = store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	store_ok(db, NULL, 0.4, TG_DEPLOY_NEVER, 0);
	char *before = dump(db);

	/* invalid params JSON: refused before the insert */
	ck_assert_int_eq(store_full(db, NULL, 0.9, TG_DEPLOY_ALWAYS, "{\"dim\":", &r, err, sizeof err), TG_REG_ERROR);
	assert_prefix(err, "params is not valid JSON");
	ck_assert_int_eq(r.id, 0);
	ck_assert_int_eq(r.deployed, 0);
	err[0] = '\0';
	char *after = dump(db);
	ck_assert_str_eq(before, after);
	free(after);

	/* invalid metrics JSON */
	static const unsigned char blob[] = { 1, 2 };
	tg_model_record m = { .name = NULL, .format = 1, .params = "{}", .metrics = "not json",
	                   .data_sha256 = sha_a, .blob = blob, .blob_len = 2 };
	ck_assert_int_eq(tg_reg_store(db, &m, TG_DEPLOY_ALWAYS, &r, err, sizeof err), TG_REG_ERROR);
	assert_prefix(err, "metrics is not valid JSON");
	err[0] = '\0';
	after = dump(db);
	ck_assert_str_eq(before, after);
	free(after);

	/* failure after the insert and the deployed-flag flip: the log insert fails */
	exec_ok(db, "CREATE TEMP TRIGGER boom BEFORE INSERT ON tg_deployments"
	            " BEGIN SELECT RAISE(ABORT, 'log write refused'); END");
	ck_assert_int_eq(store_full(db, NULL, 0.9, TG_DEPLOY_ALWAYS, params_a, &r, err, sizeof err), TG_REG_ERROR);
	assert_prefix(err, "log write refused");
	err[0] = '\0';
	after = dump(db);
	ck_assert_str_eq(before, after);
	free(after);
	ck_assert_int_eq(deployed_id(db, NULL), a);
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);

	/* the other verbs, same failure: unchanged */
	int64_t b = int_query(db, "SELECT max(id) FROM tg_models");
	ck_assert_int_eq(tg_reg_deploy(db, b, err, sizeof err), TG_REG_ERROR);
	assert_prefix(err, "log write refused");
	err[0] = '\0';
	exec_ok(db, "DROP TRIGGER boom");
	ck_assert_int_eq(tg_reg_deploy(db, b, err, sizeof err), TG_REG_OK);
	char *before2 = dump(db);
	exec_ok(db, "CREATE TEMP TRIGGER boom BEFORE INSERT ON tg_deployments"
	            " BEGIN SELECT RAISE(ABORT, 'log write refused'); END");
	ck_assert_int_eq(tg_reg_rollback(db, NULL, NULL, err, sizeof err), TG_REG_ERROR);
	assert_prefix(err, "log write refused");
	err[0] = '\0';
	exec_ok(db, "CREATE TEMP TRIGGER boom2 BEFORE DELETE ON tg_models"
	            " BEGIN SELECT RAISE(ABORT, 'delete refused'); END");
	store_ok(db, NULL, 0.1, TG_DEPLOY_NEVER, 0);
	after = dump(db);
	ck_assert_int_eq(tg_reg_prune(db, NULL, 0, NULL, err, sizeof err), TG_REG_ERROR);
	assert_prefix(err, "delete refused");
	char *after2 = dump(db);
	ck_assert_str_eq(after, after2);
	ck_assert_int_eq(deployed_id(db, NULL), b);
	free(before);
	free(before2);
	free(after);
	free(after2);
	sqlite3_close(db);
}
END_TEST

/* Inside the caller's transaction: a failing verb undoes only itself. */
START_TEST(test_verbs_in_caller_transaction)
{
	sqlite3 *db = open_reg(-1);
	tg_store_result r;
	char err[TG_ERR_MAX] = "";
	exec_ok(db, "CREATE TABLE scratch (x)");

	exec_ok(db, "BEGIN IMMEDIATE");
	exec_ok(db, "INSERT INTO scratch VALUES (1)");
	ck_assert_int_eq(store_full(db, NULL, 0.9, TG_DEPLOY_ALWAYS, "[", &r, err, sizeof err), TG_REG_ERROR);
	err[0] = '\0';
	ck_assert_int_eq(sqlite3_get_autocommit(db), 0); /* caller's transaction still open */
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM scratch"), 1);
	int64_t a = store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	ck_assert_int_eq(sqlite3_get_autocommit(db), 0);
	exec_ok(db, "ROLLBACK");
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models"), 0);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM scratch"), 0);

	exec_ok(db, "BEGIN IMMEDIATE");
	exec_ok(db, "INSERT INTO scratch VALUES (2)");
	a = store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	int64_t b = store_ok(db, NULL, 0.6, TG_DEPLOY_BEST, 1);
	ck_assert_int_eq(rollback_ok(db, NULL), a);
	exec_ok(db, "COMMIT");
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models"), 2);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM scratch"), 1);
	ck_assert_int_eq(deployed_id(db, NULL), a);
	(void)b;
	sqlite3_close(db);
}
END_TEST

/* ---- locking -------------------------------------------------------------------- */

static void expect_busy(int rc, char *err, double t0, int busy_ms)
{
	double dt = now_ms() - t0;
	ck_assert_msg(rc == TG_REG_BUSY, "rc %d (%s)", rc, err);
	assert_prefix(err, "database is locked");
	ck_assert_msg(dt >= busy_ms * 0.8, "gave up after %.0f ms, timeout %d ms", dt, busy_ms);
	ck_assert_msg(dt < 10000, "took %.0f ms", dt);
}

START_TEST(test_busy_writer)
{
	const int busy_ms = 150;
	sqlite3 *db = open_reg(busy_ms);
	int64_t a = store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	int64_t b = store_ok(db, NULL, 0.4, TG_DEPLOY_NEVER, 0);
	char *before = dump(db);

	sqlite3 *other;
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	exec_ok(other, "BEGIN IMMEDIATE"); /* holds the write lock */

	tg_store_result r;
	char err[TG_ERR_MAX] = "";
	double t0 = now_ms();
	int rc = store_full(db, NULL, 0.9, TG_DEPLOY_ALWAYS, params_a, &r, err, sizeof err);
	expect_busy(rc, err, t0, busy_ms);
	err[0] = '\0';
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
	t0 = now_ms();
	rc = tg_reg_deploy(db, b, err, sizeof err);
	expect_busy(rc, err, t0, busy_ms);
	err[0] = '\0';
	t0 = now_ms();
	rc = tg_reg_rollback(db, NULL, NULL, err, sizeof err);
	expect_busy(rc, err, t0, busy_ms);
	err[0] = '\0';
	t0 = now_ms();
	rc = tg_reg_prune(db, NULL, 0, NULL, err, sizeof err);
	expect_busy(rc, err, t0, busy_ms);
	err[0] = '\0';
	/* Opening a registry that has its schema only reads: the write lock is no obstacle. */
	sqlite3 *db2 = NULL;
	ck_assert_int_eq(tg_reg_open(path, busy_ms, NULL, &db2, err, sizeof err), TG_REG_OK);
	sqlite3_close(db2);

	exec_ok(other, "COMMIT");
	char *after = dump(db);
	ck_assert_str_eq(before, after);
	free(after);
	/* and works again once the lock is gone */
	store_ok(db, NULL, 0.9, TG_DEPLOY_ALWAYS, 1);
	ck_assert_int_eq(n_deployed(db, "genre"), 1);
	(void)a;
	free(before);
	sqlite3_close(other);
	sqlite3_close(db);
}
END_TEST

/* A reader's open transaction blocks the COMMIT (rollback journal): clean error, no change. */
START_TEST(test_busy_commit)
{
	const int busy_ms = 150;
	sqlite3 *db = open_reg(busy_ms);
	store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	char *before = dump(db);

	sqlite3 *reader;
	ck_assert_int_eq(sqlite3_open(path, &reader), SQLITE_OK);
	exec_ok(reader, "BEGIN");
	ck_assert_int_eq(int_query(reader, "SELECT count(*) FROM tg_models"), 1); /* SHARED lock */

	tg_store_result r;
	char err[TG_ERR_MAX] = "";
	double t0 = now_ms();
	int rc = store_full(db, NULL, 0.9, TG_DEPLOY_ALWAYS, params_a, &r, err, sizeof err);
	if (rc == TG_REG_OK) {
		/* a WAL database would let the writer through; this one is in rollback mode */
		ck_abort_msg("store succeeded while a reader held the database");
	}
	expect_busy(rc, err, t0, busy_ms);
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
	exec_ok(reader, "COMMIT");
	char *after = dump(db);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	sqlite3_close(reader);
	sqlite3_close(db);
}
END_TEST

/* ---- hostile names -------------------------------------------------------------- */

static const char *const odd_names[] = {
	"it's; DROP TABLE tg_models; --",
	"\"); DELETE FROM tg_deployments; --",
	"a'b\"c;d\\e",
	"g\xc3\xa9nre \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac",
	"%s%n%d",
	"",
};

START_TEST(test_odd_names_round_trip)
{
	sqlite3 *db = open_reg(-1);
	char err[TG_ERR_MAX] = "";
	size_t k = sizeof odd_names / sizeof odd_names[0];
	int64_t first[8], second[8];
	for (size_t i = 0; i < k; i++) {
		first[i] = store_ok(db, odd_names[i], 0.5, TG_DEPLOY_BEST, 1);
		second[i] = store_ok(db, odd_names[i], 0.7, TG_DEPLOY_BEST, 1);
	}
	for (size_t i = 0; i < k; i++) {
		const char *nm = odd_names[i];
		ck_assert_int_eq(deployed_id(db, nm), second[i]);
		int64_t id = -1;
		ck_assert_int_eq(tg_reg_find(db, nm, sha_a, params_a, &id, err, sizeof err), TG_REG_OK);
		ck_assert_int_eq(id, second[i]);
		ck_assert_int_eq(rollback_ok(db, nm), first[i]);
		sqlite3_stmt *st;
		ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT name FROM tg_models WHERE id = ?1", -1, &st, NULL),
		                 SQLITE_OK);
		sqlite3_bind_int64(st, 1, first[i]);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), nm);
		sqlite3_finalize(st);
		int n = -1;
		ck_assert_int_eq(tg_reg_prune(db, nm, 0, &n, err, sizeof err), TG_REG_OK);
		ck_assert_int_eq(n, 1);
	}
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_models"), (int64_t)k);
	ck_assert_int_eq(int_query(db, "SELECT count(*) FROM tg_deployments"), (int64_t)k * 2);

	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_int_eq(tg_reg_list(db, NULL, f, err, sizeof err), TG_REG_OK);
	fclose(f);
	for (size_t i = 0; i < k; i++)
		ck_assert_msg(strstr(out, odd_names[i]) != NULL, "%s missing from\n%s", odd_names[i], out);
	free(out);
	ck_assert_str_eq(err, "");
	sqlite3_close(db);
}
END_TEST

/* ---- find ----------------------------------------------------------------------- */

START_TEST(test_find_identical)
{
	sqlite3 *db = open_reg(-1);
	char err[TG_ERR_MAX] = "";
	int64_t id = -1;
	ck_assert_int_eq(tg_reg_find(db, NULL, sha_a, params_a, &id, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(id, 0);
	int64_t a = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0);
	ck_assert_int_eq(tg_reg_find(db, NULL, sha_a, params_a, &id, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(id, a);
	ck_assert_int_eq(tg_reg_find(db, "genre", sha_a, params_a, &id, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(id, a);
	int64_t b = store_ok(db, NULL, 0.5, TG_DEPLOY_NEVER, 0); /* same again: newest wins */
	ck_assert_int_eq(tg_reg_find(db, NULL, sha_a, params_a, &id, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(id, b);
	/* exact text: same JSON value, different spelling, is a different run */
	ck_assert_int_eq(tg_reg_find(db, NULL, sha_a, "{\"dim\": 1024,\"epochs\":5}", &id, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(id, 0);
	ck_assert_int_eq(tg_reg_find(db, NULL, "0000", params_a, &id, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(id, 0);
	ck_assert_int_eq(tg_reg_find(db, "other", sha_a, params_a, &id, err, sizeof err), TG_REG_OK);
	ck_assert_int_eq(id, 0);
	ck_assert_int_eq(tg_reg_find(db, NULL, NULL, params_a, &id, err, sizeof err), TG_REG_MISUSE);
	sqlite3_close(db);
}
END_TEST

/* ---- list ----------------------------------------------------------------------- */

START_TEST(test_list_table)
{
	sqlite3 *db = open_reg(-1);
	char err[TG_ERR_MAX] = "";
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_int_eq(tg_reg_list(db, NULL, f, err, sizeof err), TG_REG_OK);
	fclose(f);
	ck_assert_str_eq(out, "ID  NAME  CREATED_AT  DEPLOYED  MICRO_F1  MACRO_F1  P@1  BYTES\n");
	free(out);

	store_ok(db, NULL, 0.5, TG_DEPLOY_ALWAYS, 1);
	store_ok(db, NULL, -1, TG_DEPLOY_NEVER, 0);
	static const unsigned char big[12345] = { 0 };
	tg_model_record m = { .name = "a-much-longer-name", .format = 1, .params = "{}",
	                   .metrics = "{\"test\":{\"micro_f1\":1}}", .data_sha256 = sha_a,
	                   .blob = big, .blob_len = sizeof big };
	ck_assert_int_eq(tg_reg_store(db, &m, TG_DEPLOY_NEVER, NULL, err, sizeof err), TG_REG_OK);

	f = open_memstream(&out, &len);
	ck_assert_int_eq(tg_reg_list(db, NULL, f, err, sizeof err), TG_REG_OK);
	fclose(f);
	/* 4 lines, all the same width (numbers right-aligned up to the last column) */
	size_t lines = 0, width = 0;
	for (char *p = out, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1, lines++) {
		size_t w = (size_t)(nl - p);
		if (lines == 0)
			width = w;
		ck_assert_msg(w == width, "line %zu width %zu != %zu:\n%s", lines, w, width, out);
	}
	ck_assert_uint_eq(lines, 4);
	/* ordered by name: the long name first; its columns */
	char *l1 = strchr(out, '\n') + 1;
	ck_assert_msg(strncmp(l1, " 3  a-much-longer-name  ", 24) == 0, "%s", out);
	ck_assert_msg(strstr(l1, "Z  no          1.0000         -       -  12345\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Z  yes         0.8123    0.4000  0.9000      7\n 2  genre  ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Z  no          0.5000    0.2500  0.7500      7\n") != NULL, "%s", out);
	free(out);

	/* one name only */
	f = open_memstream(&out, &len);
	ck_assert_int_eq(tg_reg_list(db, "a-much-longer-name", f, err, sizeof err), TG_REG_OK);
	fclose(f);
	ck_assert_ptr_null(strstr(out, "genre"));
	ck_assert_ptr_nonnull(strstr(out, "12345"));
	free(out);
	ck_assert_str_eq(err, "");
	sqlite3_close(db);
}
END_TEST

static Suite *registry_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_schema_idempotent);
	tcase_add_test(tc, test_lookup_uses_partial_index);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_policy_best);
	tcase_add_test(tc, test_policy_best_missing_scores);
	tcase_add_test(tc, test_policy_always_never);
	tcase_add_test(tc, test_store_misuse);
	tcase_add_test(tc, test_one_deployed_per_name);
	tcase_add_test(tc, test_deploy_errors_and_noop);
	tcase_add_test(tc, test_rollback_sequence);
	tcase_add_test(tc, test_rollback_skips_deleted);
	tcase_add_test(tc, test_prune_keeps_deployed);
	tcase_add_test(tc, test_prune_without_foreign_keys);
	tcase_add_test(tc, test_failed_store_leaves_registry_unchanged);
	tcase_add_test(tc, test_verbs_in_caller_transaction);
	tcase_add_test(tc, test_busy_writer);
	tcase_add_test(tc, test_busy_commit);
	tcase_add_test(tc, test_odd_names_round_trip);
	tcase_add_test(tc, test_find_identical);
	tcase_add_test(tc, test_list_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(registry_suite());
}
