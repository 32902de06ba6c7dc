/* Model registry over SQLite; see registry.h and sql/registry.sql. */
#include "registry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "registry_verbs.h"
#include "schema_upgrade.h"
#include "schema_sql.h" /* generated from sql/registry.sql by sql/embed.sh (build/gen/) */

/* A metric from a metrics JSON column: the number, or NULL when absent or not a number. */
#define TG_METRIC(path)                                                      \
	"CASE WHEN json_type(metrics, '" path "') IN ('integer', 'real') "   \
	"THEN json_extract(metrics, '" path "') END"

/* ---- messages ------------------------------------------------------------------ */

int tg_reg_errf(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tg_verrf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

static int is_busy(int rc)
{
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

int tg_reg_sqlerr(sqlite3 *db, int rc, char *err, size_t errlen, const char *fmt, ...)
{
	int code = is_busy(rc) ? TG_REG_BUSY : TG_REG_ERROR;
	if (err && errlen) {
		char ctx[TG_ERR_MAX];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ctx, sizeof ctx, fmt, ap);
		va_end(ap);
		const char *cause = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
		/* errmsg can lag behind rc for errors of sqlite3_exec's own; prefer rc's text then */
		if (db && sqlite3_errcode(db) == SQLITE_OK)
			cause = sqlite3_errstr(rc);
		/* SQLITE_BUSY is another connection's lock (SQLITE_LOCKED, one of this one's). */
		tg_errf(err, errlen, "%s%s: %s", cause, (rc & 0xff) == SQLITE_BUSY ? " (another process holds it)" : "",
		        ctx);
	}
	return code;
}

/* ---- transactions -------------------------------------------------------------- */

int tg_txn_begin(sqlite3 *db, tg_txn *t, const char *what, char *err, size_t errlen)
{
	t->own = sqlite3_get_autocommit(db) != 0;
	int rc = sqlite3_exec(db, t->own ? "BEGIN IMMEDIATE" : "SAVEPOINT tg_txn", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
	return TG_REG_OK;
}

void tg_txn_rollback(sqlite3 *db, tg_txn *t)
{
	/* In autocommit, SQLite already rolled the whole transaction back (e.g. disk full). */
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, t->own ? "ROLLBACK" : "ROLLBACK TO tg_txn; RELEASE tg_txn", NULL, NULL, NULL);
	/*
	** After an I/O error (disk full) SQLite rolls back only in memory and leaves the file
	** with a hot journal for the next reader to replay; a read-only reader cannot, and
	** fails with "attempt to write a readonly database" until a writer comes.  A read
	** here replays the journal now (it only shrinks files, so it works on a full disk).
	*/
	if (t->own)
		sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
}

int tg_reg_journal_left(sqlite3 *db, char *err, size_t errlen)
{
	const char *path = sqlite3_db_filename(db, "main");
	if (!path || !*path)
		return TG_REG_OK;
	char *journal = sqlite3_mprintf("%s-journal", path);
	if (!journal)
		return tg_reg_errf(err, errlen, TG_REG_ERROR, "out of memory: checking for a rollback journal");
	struct stat st;
	int hot = stat(journal, &st) == 0 && st.st_size > 0;
	int code = hot ? tg_reg_errf(err, errlen, TG_REG_ERROR,
	                             "the rollback journal %s is left over (the rollback could not be"
	                             " completed); read-only readers fail until a read-write open of"
	                             " the database replays it", journal)
	               : TG_REG_OK;
	sqlite3_free(journal);
	return code;
}

int tg_txn_commit(sqlite3 *db, tg_txn *t, const char *what, char *err, size_t errlen)
{
	int rc = sqlite3_exec(db, t->own ? "COMMIT" : "RELEASE tg_txn", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
		tg_txn_rollback(db, t);
		return code;
	}
	return TG_REG_OK;
}

/* ---- statements ---------------------------------------------------------------- */

/*
** Prepares sql and binds arguments given by types: 't' const char * (NULL binds NULL),
** 'i' int64_t.  On failure *st is NULL and err is set.
*/
static int q_prepare(sqlite3 *db, sqlite3_stmt **st, char *err, size_t errlen, const char *what,
                     const char *sql, const char *types, ...)
{
	*st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
	va_list ap;
	va_start(ap, types);
	for (int i = 0; rc == SQLITE_OK && types[i]; i++) {
		if (types[i] == 't') {
			const char *s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(*st, i + 1, s, -1, SQLITE_STATIC) : sqlite3_bind_null(*st, i + 1);
		} else if (types[i] == 'i') {
			rc = sqlite3_bind_int64(*st, i + 1, va_arg(ap, int64_t));
		} else {
			rc = SQLITE_MISUSE;
		}
	}
	va_end(ap);
	if (rc != SQLITE_OK) {
		int code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
		sqlite3_finalize(*st);
		*st = NULL;
		return code;
	}
	return TG_REG_OK;
}

/* Steps a prepared statement to completion and finalizes it. */
static int q_finish(sqlite3 *db, sqlite3_stmt *st, char *err, size_t errlen, const char *what)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	int code = TG_REG_OK;
	if (rc != SQLITE_DONE)
		code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
	sqlite3_finalize(st);
	return code;
}

/* Runs a statement that returns at most one row; *found says whether it did. */
static int q_row(sqlite3 *db, sqlite3_stmt *st, int *found, char *err, size_t errlen, const char *what)
{
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return TG_REG_OK;
	int code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
	return code;
}

/* ---- connection ---------------------------------------------------------------- */

const char *tg_reg_schema_sql(void)
{
	return tg_registry_schema_sql;
}

/*
** 1 when db already has every table and index sql/registry.sql creates (their names, as
** the schema creates them in an empty in-memory database), 0 when not, -1 on an error.
** Only reads: a registry with its schema needs no write lock to be opened, so that a verb
** that writes nothing (deploying the deployed model) is not stopped by a reader.
*/
static int has_schema(sqlite3 *db)
{
	sqlite3 *mem = NULL;
	sqlite3_stmt *names = NULL, *have = NULL;
	int rc = sqlite3_open(":memory:", &mem);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(mem, tg_registry_schema_sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(mem, "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite%'", -1, &names, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE name = ?1", -1, &have, NULL);
	int all = 1;
	while (rc == SQLITE_OK && all && (rc = sqlite3_step(names)) == SQLITE_ROW) {
		rc = sqlite3_bind_text(have, 1, (const char *)sqlite3_column_text(names, 0), -1, SQLITE_TRANSIENT);
		int step = rc == SQLITE_OK ? sqlite3_step(have) : rc;
		all = step == SQLITE_ROW;
		rc = step == SQLITE_ROW || step == SQLITE_DONE ? sqlite3_reset(have) : step;
	}
	sqlite3_finalize(names);
	sqlite3_finalize(have);
	sqlite3_close(mem);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? all : -1;
}

int tg_reg_ensure_schema(sqlite3 *db, char *err, size_t errlen)
{
	static const char what[] = "creating the registry schema";
	int code = tg_schema_upgrade(db, err, errlen);
	if (code || has_schema(db) == 1)
		return code;
	tg_txn t;
	code = tg_txn_begin(db, &t, what, err, errlen);
	if (code)
		return code;
	int rc = sqlite3_exec(db, tg_registry_schema_sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
		tg_txn_rollback(db, &t);
		return code;
	}
	return tg_txn_commit(db, &t, what, err, errlen);
}

static int open_rw(const char *path, int busy_ms, sqlite3 **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!path)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "no database path given: opening the registry");
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		int code = tg_reg_errf(err, errlen, TG_REG_ERROR, "%s: opening registry database '%s'",
		                       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), path);
		sqlite3_close(db);
		return code;
	}
	sqlite3_busy_timeout(db, busy_ms < 0 ? TG_REG_BUSY_MS_DEFAULT : busy_ms);
	rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int code = tg_reg_sqlerr(db, rc, err, errlen, "enabling foreign keys in '%s'", path);
		sqlite3_close(db);
		return code;
	}
	int code = tg_reg_ensure_schema(db, err, errlen);
	if (code) {
		sqlite3_close(db);
		return code;
	}
	*out = db;
	return TG_REG_OK;
}

int tg_reg_open(const char *path, int busy_ms, const char *what, sqlite3 **out, char *err, size_t errlen)
{
	int code = open_rw(path, busy_ms, out, err, errlen);
	/* The verb's operation after the step that failed: "...: deploying model 3". */
	size_t n = err && errlen ? strlen(err) : 0;
	if (code && what && n + 1 < errlen)
		snprintf(err + n, errlen - n, ": %s", what);
	return code;
}

int tg_reg_open_readonly(const char *path, int busy_ms, sqlite3 **out, char *err, size_t errlen)
{
	*out = NULL;
	struct stat st;
	if (!path)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "no database path given: opening the registry");
	if (stat(path, &st) != 0)
		return tg_reg_errf(err, errlen, TG_REG_NOTFOUND, "no such database: %s", path);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, busy_ms < 0 ? TG_REG_BUSY_MS_DEFAULT : busy_ms);
		sqlite3_stmt *q = NULL;
		rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'tg_models'",
		                        -1, &q, NULL);
		int step = rc == SQLITE_OK ? sqlite3_step(q) : rc;
		sqlite3_finalize(q);
		if (step == SQLITE_DONE) {
			sqlite3_close(db);
			return tg_reg_errf(err, errlen, TG_REG_NOTFOUND, "no registry (table tg_models) in %s", path);
		}
		rc = step == SQLITE_ROW ? SQLITE_OK : step;
	}
	if (rc != SQLITE_OK) {
		int code = tg_reg_sqlerr(db, rc, err, errlen, "opening registry database '%s' read-only", path);
		sqlite3_close(db);
		return code;
	}
	*out = db;
	return TG_REG_OK;
}

/* ---- deploying ----------------------------------------------------------------- */

/* Inside a transaction: make id the deployed model of name and log it. */
static int set_deployed(sqlite3 *db, const char *name, int64_t id, const char *action, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int code = q_prepare(db, &st, err, errlen, "undeploying the current model",
	                     TG_SQL_UNDEPLOY_OTHERS, "ti", name, id);
	if (!code)
		code = q_finish(db, st, err, errlen, "undeploying the current model");
	if (!code)
		code = q_prepare(db, &st, err, errlen, "deploying the model", TG_SQL_DEPLOY, "i", id);
	if (!code)
		code = q_finish(db, st, err, errlen, "deploying the model");
	if (!code)
		code = q_prepare(db, &st, err, errlen, "logging the deployment",
		                 TG_SQL_LOG_DEPLOYMENT, "tit", name, id, action);
	if (!code)
		code = q_finish(db, st, err, errlen, "logging the deployment");
	return code;
}

static int get_deployed(sqlite3 *db, const char *name, int64_t *id, int *has_score, double *score,
                        char *err, size_t errlen)
{
	static const char what[] = "reading the deployed model";
	sqlite3_stmt *st;
	*id = 0;
	*has_score = 0;
	*score = 0;
	int code = q_prepare(db, &st, err, errlen, what,
	                     "SELECT id, " TG_METRIC("$.validation.micro_f1")
	                     " FROM tg_models WHERE name = ?1 AND deployed = 1", "t", name);
	if (code)
		return code;
	int found;
	code = q_row(db, st, &found, err, errlen, what);
	if (!code && found) {
		*id = sqlite3_column_int64(st, 0);
		*has_score = sqlite3_column_type(st, 1) != SQLITE_NULL;
		*score = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	return code;
}

int tg_reg_deployed(sqlite3 *db, const char *name, int64_t *id, char *err, size_t errlen)
{
	int has;
	double score;
	return get_deployed(db, name ? name : TG_DEFAULT_MODEL, id, &has, &score, err, errlen);
}

/* ---- store --------------------------------------------------------------------- */

/*
** params and metrics must be JSON.  The schema cannot check it (no json_valid() in a
** CHECK: see sql/registry.sql), so every writer does, before its transaction, and import
** on the source before it opens the destination.  json() rather than json_valid(): it
** tells malformed text (an error) from running out of memory, where json_valid() just
** says 0.
*/
int tg_reg_check_json(sqlite3 *db, const tg_model_record *m, char *err, size_t errlen)
{
	static const char what[] = "checking the model's JSON";
	const char *field[] = { "params", "metrics" }, *text[] = { m->params, m->metrics };
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		int code = q_prepare(db, &st, err, errlen, what, "SELECT json(?1)", "t", text[i]);
		if (code)
			return code;
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ERROR)
			code = tg_reg_errf(err, errlen, TG_REG_ERROR, "%s is not valid JSON (%s)", field[i],
			                   sqlite3_errmsg(db));
		else if (rc != SQLITE_ROW)
			code = tg_reg_sqlerr(db, rc, err, errlen, "checking the model's %s", field[i]);
		sqlite3_finalize(st);
		if (code)
			return code;
	}
	return TG_REG_OK;
}

/* Inside tg_reg_store's transaction: the INSERT; r gets the new id and its validation score. */
static int insert_model(sqlite3 *db, const tg_model_record *m, const char *name,
                        tg_store_result *r, char *err, size_t errlen)
{
	static const char what[] = "storing the model";
	sqlite3_stmt *st;
	int found;
	int code = q_prepare(db, &st, err, errlen, what,
	                     "INSERT INTO tg_models (name, format, params, metrics, data_sha256, model, created_at)"
	                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))",
	                     "tittt", name, (int64_t)m->format, m->params, m->metrics, m->data_sha256);
	if (code)
		return code;
	int rc = sqlite3_bind_text(st, 7, m->created_at, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob64(st, 6, m->blob, (sqlite3_uint64)m->blob_len, SQLITE_STATIC);
	if (rc != SQLITE_OK) {
		code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
		sqlite3_finalize(st);
		return code;
	}
	code = q_finish(db, st, err, errlen, what);
	if (code)
		return code;
	r->id = sqlite3_last_insert_rowid(db);

	code = q_prepare(db, &st, err, errlen, what,
	                 "SELECT " TG_METRIC("$.validation.micro_f1") " FROM tg_models WHERE id = ?1",
	                 "i", r->id);
	if (code)
		return code;
	code = q_row(db, st, &found, err, errlen, what);
	if (!code && found) {
		r->has_new_score = sqlite3_column_type(st, 0) != SQLITE_NULL;
		r->new_score = sqlite3_column_double(st, 0);
	}
	sqlite3_finalize(st);
	return code;
}

int tg_reg_store(sqlite3 *db, const tg_model_record *m, tg_deploy_policy policy,
                 tg_store_result *res, char *err, size_t errlen)
{
	static const char what[] = "storing the model";
	tg_store_result r;
	memset(&r, 0, sizeof r);
	if (res)
		memset(res, 0, sizeof *res);
	if (!db || !m)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "no database or model given: %s", what);
	if (!m->params || !m->metrics || !m->data_sha256)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "params, metrics and data_sha256 are required: %s", what);
	if (!m->blob || m->blob_len == 0)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "empty model blob: %s", what);
	if (policy != TG_DEPLOY_BEST && policy != TG_DEPLOY_ALWAYS && policy != TG_DEPLOY_NEVER)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "unknown deploy policy %d: %s", (int)policy, what);
	const char *name = m->name ? m->name : TG_DEFAULT_MODEL;
	int code = tg_reg_check_json(db, m, err, errlen);
	if (code)
		return code;

	tg_txn t;
	code = tg_txn_begin(db, &t, what, err, errlen);
	if (code)
		return code;
	sqlite3_stmt *st = NULL;
	int found;

	code = get_deployed(db, name, &r.prev_id, &r.has_prev_score, &r.prev_score, err, errlen);
	if (code)
		goto fail;

	code = insert_model(db, m, name, &r, err, errlen);
	if (code)
		goto fail;

	/* Validation scores are comparable only between models of the same data. */
	int same_data = 1;
	if (policy == TG_DEPLOY_BEST && r.prev_id) {
		code = q_prepare(db, &st, err, errlen, what, "SELECT data_sha256 = ?2 FROM tg_models WHERE id = ?1", "it",
		                 r.prev_id, m->data_sha256);
		if (code)
			goto fail;
		code = q_row(db, st, &found, err, errlen, what);
		if (!code && found)
			same_data = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (code)
			goto fail;
	}

	tg_deploy_facts facts = { r.prev_id, same_data, r.has_new_score, r.new_score,
	                          r.has_prev_score, r.prev_score };
	r.deployed = tg_deploy_decide(policy, &facts, r.reason, sizeof r.reason);
	if (r.deployed) {
		code = set_deployed(db, name, r.id, "deploy", err, errlen);
		if (code)
			goto fail;
	}
	code = tg_txn_commit(db, &t, what, err, errlen);
	if (code)
		return code;
	if (res)
		*res = r;
	return TG_REG_OK;

fail:
	tg_txn_rollback(db, &t);
	return code;
}

int tg_reg_find_identical(sqlite3 *db, const tg_model_record *m, int64_t *id, char *err, size_t errlen)
{
	static const char what[] = "looking for an identical model";
	sqlite3_stmt *st;
	*id = 0;
	if (!m || !m->data_sha256 || !m->params || !m->blob)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "data_sha256, params and blob are required: %s", what);
	int code = q_prepare(db, &st, err, errlen, what,
	                     "SELECT id FROM tg_models WHERE name = ?1 AND data_sha256 = ?2 AND params = ?3"
	                     " AND model = ?4 ORDER BY id DESC LIMIT 1",
	                     "ttt", m->name ? m->name : TG_DEFAULT_MODEL, m->data_sha256, m->params);
	if (code)
		return code;
	int rc = sqlite3_bind_blob64(st, 4, m->blob, (sqlite3_uint64)m->blob_len, SQLITE_STATIC);
	int found = 0;
	code = rc != SQLITE_OK ? tg_reg_sqlerr(db, rc, err, errlen, "%s", what) : q_row(db, st, &found, err, errlen, what);
	if (!code && found)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return code;
}

int tg_reg_find(sqlite3 *db, const char *name, const char *data_sha256, const char *params,
                int64_t *id, char *err, size_t errlen)
{
	static const char what[] = "looking for an identical model";
	sqlite3_stmt *st;
	*id = 0;
	if (!data_sha256 || !params)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "data_sha256 and params are required: %s", what);
	int code = q_prepare(db, &st, err, errlen, what,
	                     "SELECT id FROM tg_models WHERE name = ?1 AND data_sha256 = ?2 AND params = ?3"
	                     " ORDER BY id DESC LIMIT 1",
	                     "ttt", name ? name : TG_DEFAULT_MODEL, data_sha256, params);
	if (code)
		return code;
	int found;
	code = q_row(db, st, &found, err, errlen, what);
	if (!code && found)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return code;
}

/* ---- lifecycle verbs ----------------------------------------------------------- */

int tg_reg_deploy(sqlite3 *db, int64_t id, char *err, size_t errlen)
{
	char what[48];
	snprintf(what, sizeof what, "deploying model %lld", (long long)id);
	sqlite3_stmt *st;
	int found, deployed = 0;
	/* The deployed model: nothing to write, so no write lock to wait for (a reader holding
	** the database does not stop it).  Else the transaction below checks again. */
	int code = q_prepare(db, &st, err, errlen, what, "SELECT deployed FROM tg_models WHERE id = ?1", "i", id);
	if (code)
		return code;
	code = q_row(db, st, &found, err, errlen, what);
	deployed = !code && found && sqlite3_column_int(st, 0) == 1;
	sqlite3_finalize(st);
	if (code || deployed)
		return code;
	tg_txn t;
	code = tg_txn_begin(db, &t, what, err, errlen);
	if (code)
		return code;
	char *name = NULL;
	code = q_prepare(db, &st, err, errlen, what, "SELECT name, deployed FROM tg_models WHERE id = ?1", "i", id);
	if (code)
		goto done;
	code = q_row(db, st, &found, err, errlen, what);
	if (!code && !found)
		code = tg_reg_errf(err, errlen, TG_REG_NOTFOUND, "no model with id %lld", (long long)id);
	if (!code) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		deployed = sqlite3_column_int(st, 1);
		name = s ? strdup(s) : NULL;
		if (!name)
			code = tg_reg_errf(err, errlen, TG_REG_ERROR, "out of memory: %s", what);
	}
	sqlite3_finalize(st);
	if (!code && !deployed)
		code = set_deployed(db, name, id, "deploy", err, errlen);
done:
	free(name);
	if (code) {
		tg_txn_rollback(db, &t);
		return code;
	}
	return tg_txn_commit(db, &t, what, err, errlen);
}

int tg_reg_rollback(sqlite3 *db, const char *name, int64_t *out_id, char *err, size_t errlen)
{
	static const char what[] = "rolling back";
	if (!name)
		name = TG_DEFAULT_MODEL;
	if (out_id)
		*out_id = 0;
	tg_txn t;
	int code = tg_txn_begin(db, &t, what, err, errlen);
	if (code)
		return code;
	int64_t cur, target = 0;
	int has, found;
	double score;
	sqlite3_stmt *st;

	code = get_deployed(db, name, &cur, &has, &score, err, errlen);
	if (!code)
		code = q_prepare(db, &st, err, errlen, "reading the deployment log", TG_SQL_ROLLBACK_TARGET, "ti", name, cur);
	if (code)
		goto done;
	code = q_row(db, st, &found, err, errlen, "reading the deployment log");
	if (!code && found)
		target = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (code)
		goto done;
	if (!found) {
		code = tg_reg_errf(err, errlen, TG_REG_NOTFOUND,
		                   "no earlier deployment to roll back to for model name '%s'", name);
		goto done;
	}
	code = set_deployed(db, name, target, "rollback", err, errlen);
done:
	if (code) {
		tg_txn_rollback(db, &t);
		return code;
	}
	code = tg_txn_commit(db, &t, what, err, errlen);
	if (!code && out_id)
		*out_id = target;
	return code;
}

int tg_reg_prune(sqlite3 *db, const char *name, int keep, int *n_deleted, char *err, size_t errlen)
{
	static const char what[] = "deleting old models";
	if (!name)
		name = TG_DEFAULT_MODEL;
	if (n_deleted)
		*n_deleted = 0;
	if (keep < 0)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "negative number of models to keep (%d): %s", keep, what);
	/* The doomed: undeployed models of the name other than the newest `keep` of them. */
#define DOOMED                                                                             \
	"SELECT id FROM tg_models WHERE name = ?1 AND deployed = 0 AND id NOT IN "          \
	"(SELECT id FROM tg_models WHERE name = ?1 AND deployed = 0 ORDER BY id DESC LIMIT ?2)"
	tg_txn t;
	int code = tg_txn_begin(db, &t, what, err, errlen);
	if (code)
		return code;
	sqlite3_stmt *st;
	/* Explicitly, for connections without PRAGMA foreign_keys (no ON DELETE CASCADE). */
	code = q_prepare(db, &st, err, errlen, what,
	                 "DELETE FROM tg_deployments WHERE model_id IN (" DOOMED ")",
	                 "ti", name, (int64_t)keep);
	if (!code)
		code = q_finish(db, st, err, errlen, what);
	if (!code)
		code = q_prepare(db, &st, err, errlen, what, "DELETE FROM tg_models WHERE id IN (" DOOMED ")",
		                 "ti", name, (int64_t)keep);
	if (!code)
		code = q_finish(db, st, err, errlen, what);
#undef DOOMED
	if (code) {
		tg_txn_rollback(db, &t);
		return code;
	}
	int n = sqlite3_changes(db);
	code = tg_txn_commit(db, &t, what, err, errlen);
	if (!code && n_deleted)
		*n_deleted = n;
	return code;
}

/* ---- listing ------------------------------------------------------------------- */

#define LIST_COLS 8

/* Display width of UTF-8 text (code points; no East Asian width). */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

static char *metric_cell(sqlite3_stmt *st, int col)
{
	char buf[32];
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		snprintf(buf, sizeof buf, "-");
	else
		snprintf(buf, sizeof buf, "%.4f", sqlite3_column_double(st, col));
	return strdup(buf);
}

int tg_reg_list(sqlite3 *db, const char *name, FILE *out, char *err, size_t errlen)
{
	static const char what[] = "listing models";
	static const char *const head[LIST_COLS] = {
		"ID", "NAME", "CREATED_AT", "DEPLOYED", "MICRO_F1", "MACRO_F1", "P@1", "BYTES",
	};
	static const int right[LIST_COLS] = { 1, 0, 0, 0, 1, 1, 1, 1 };
	sqlite3_stmt *st;
	int code = q_prepare(db, &st, err, errlen, what,
	                     "SELECT id, name, created_at, deployed, "
	                     TG_METRIC("$.test.micro_f1") ", " TG_METRIC("$.test.macro_f1") ", "
	                     TG_METRIC("$.test.p_at_1") ", length(model)"
	                     " FROM tg_models WHERE ?1 IS NULL OR name = ?1 ORDER BY name, id",
	                     "t", name);
	if (code)
		return code;

	char **cells = NULL; /* rows * LIST_COLS, row 0 is the header */
	size_t rows = 0, cap = 0;
	int rc = SQLITE_OK;
	for (;;) {
		if (rows == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			char **p = realloc(cells, ncap * LIST_COLS * sizeof *p);
			if (!p) {
				rc = SQLITE_NOMEM;
				break;
			}
			cells = p;
			cap = ncap;
		}
		char **c = cells + rows * LIST_COLS;
		if (rows == 0) {
			for (int i = 0; i < LIST_COLS; i++)
				c[i] = strdup(head[i]);
		} else {
			char buf[32];
			snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, 0));
			c[0] = strdup(buf);
			const char *s = (const char *)sqlite3_column_text(st, 1);
			c[1] = strdup(s ? s : "");
			for (char *q = c[1]; q && *q; q++) /* keep the table one line per model */
				if ((unsigned char)*q < 0x20 || *q == 0x7f)
					*q = '?';
			s = (const char *)sqlite3_column_text(st, 2);
			c[2] = strdup(s ? s : "");
			c[3] = strdup(sqlite3_column_int(st, 3) ? "yes" : "no");
			for (int i = 4; i < 7; i++)
				c[i] = metric_cell(st, i);
			snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, 7));
			c[7] = strdup(buf);
		}
		rows++;
		int oom = 0;
		for (int i = 0; i < LIST_COLS; i++)
			oom |= c[i] == NULL;
		if (oom) {
			rc = SQLITE_NOMEM;
			break;
		}
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
	}
	if (rc == SQLITE_NOMEM)
		code = tg_reg_errf(err, errlen, TG_REG_ERROR, "out of memory: %s", what);
	else if (rc != SQLITE_DONE)
		code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
	sqlite3_finalize(st);

	if (!code) {
		size_t width[LIST_COLS] = { 0 };
		for (size_t r = 0; r < rows; r++)
			for (int i = 0; i < LIST_COLS; i++) {
				size_t w = text_width(cells[r * LIST_COLS + i]);
				if (w > width[i])
					width[i] = w;
			}
		for (size_t r = 0; r < rows; r++) {
			for (int i = 0; i < LIST_COLS; i++) {
				const char *s = cells[r * LIST_COLS + i];
				int pad = (int)(width[i] - text_width(s));
				if (i > 0)
					fputs("  ", out);
				if (right[i])
					fprintf(out, "%*s%s", pad, "", s);
				else if (i == LIST_COLS - 1)
					fputs(s, out);
				else
					fprintf(out, "%s%*s", s, pad, "");
			}
			fputc('\n', out);
		}
		if (fflush(out) != 0 || ferror(out))
			code = tg_reg_errf(err, errlen, TG_REG_ERROR, "write error: %s", what);
	}
	for (size_t r = 0; r < rows; r++)
		for (int i = 0; i < LIST_COLS; i++)
			free(cells[r * LIST_COLS + i]);
	free(cells);
	return code;
}
