/* The registry's verbs: store, find, deploy, roll back, prune; see registry.h. */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verbs.h" /* registry/: deploy's steps and rollback's query, as the cluster runs them */

/* ---- deploying ----------------------------------------------------------------- */

/* Inside a transaction: make id the deployed model of name and log it as action. */
static int set_deployed(sqlite3 *db, const char *name, int64_t id, const char *action, char *err, size_t errlen)
{
	const char *what = strcmp(action, "deploy") == 0 ? "deploying the model" : "rolling back to the model";
	int code = TG_REG_OK;
	for (const tg_sql_step *s = tg_sql_deploy_steps; !code && s->sql; s++) {
		sqlite3_stmt *st;
		code = tg_q_prepare(db, &st, err, errlen, what, s->sql, "");
		int rc = SQLITE_OK;
		for (int i = 0; !code && rc == SQLITE_OK && s->params[i]; i++)
			rc = s->params[i] == 'i' ? sqlite3_bind_int64(st, i + 1, id)
			                         : sqlite3_bind_text(st, i + 1, s->params[i] == 'n' ? name : action, -1,
			                                             SQLITE_STATIC);
		if (!code && rc != SQLITE_OK) {
			code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
			sqlite3_finalize(st);
		} else if (!code) {
			code = tg_q_finish(db, st, err, errlen, what);
		}
	}
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
	int code = tg_q_prepare(db, &st, err, errlen, what,
	                     "SELECT id, " TG_METRIC("$.validation.micro_f1")
	                     " FROM tg_models WHERE name = ?1 AND deployed = 1", "t", name);
	if (code)
		return code;
	int found;
	code = tg_q_row(db, st, &found, err, errlen, what);
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
** CHECK: see registry/registry.sql), so every writer does, before its transaction, and import
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
		int code = tg_q_prepare(db, &st, err, errlen, what, "SELECT json(?1)", "t", text[i]);
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
	int code = tg_q_prepare(db, &st, err, errlen, what,
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
	code = tg_q_finish(db, st, err, errlen, what);
	if (code)
		return code;
	r->id = sqlite3_last_insert_rowid(db);

	code = tg_q_prepare(db, &st, err, errlen, what,
	                 "SELECT " TG_METRIC("$.validation.micro_f1") " FROM tg_models WHERE id = ?1",
	                 "i", r->id);
	if (code)
		return code;
	code = tg_q_row(db, st, &found, err, errlen, what);
	if (!code && found) {
		r->has_new_score = sqlite3_column_type(st, 0) != SQLITE_NULL;
		r->new_score = sqlite3_column_double(st, 0);
	}
	sqlite3_finalize(st);
	return code;
}

typedef struct store_job {
	const tg_model_record *m;
	const char *name;
	tg_deploy_policy policy;
	tg_store_result r;
} store_job;

/* tg_reg_store's transaction. */
static int store_txn(sqlite3 *db, void *arg, char *err, size_t errlen)
{
	static const char what[] = "storing the model";
	store_job *j = arg;
	tg_store_result *r = &j->r;
	int code = tg_reg_create_schema(db, err, errlen);
	if (!code)
		code = get_deployed(db, j->name, &r->prev_id, &r->has_prev_score, &r->prev_score, err, errlen);
	if (!code)
		code = insert_model(db, j->m, j->name, r, err, errlen);
	if (code)
		return code;

	/* Validation scores are comparable only between models of the same data. */
	int same_data = 1;
	if (j->policy == TG_DEPLOY_BEST && r->prev_id) {
		sqlite3_stmt *st;
		int found;
		code = tg_q_prepare(db, &st, err, errlen, what, "SELECT data_sha256 = ?2 FROM tg_models WHERE id = ?1",
		                    "it", r->prev_id, j->m->data_sha256);
		if (code)
			return code;
		code = tg_q_row(db, st, &found, err, errlen, what);
		if (!code && found)
			same_data = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (code)
			return code;
	}

	tg_deploy_facts facts = { r->prev_id, same_data, r->has_new_score, r->new_score,
	                          r->has_prev_score, r->prev_score };
	r->deployed = tg_deploy_decide(j->policy, &facts, r->reason, sizeof r->reason);
	return r->deployed ? set_deployed(db, j->name, r->id, "deploy", err, errlen) : TG_REG_OK;
}

int tg_reg_store(sqlite3 *db, const tg_model_record *m, tg_deploy_policy policy,
                 tg_store_result *res, char *err, size_t errlen)
{
	static const char what[] = "storing the model";
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
	int code = tg_reg_check_json(db, m, err, errlen);
	if (code)
		return code;
	store_job j;
	memset(&j, 0, sizeof j);
	j.m = m;
	j.name = m->name ? m->name : TG_DEFAULT_MODEL;
	j.policy = policy;
	code = tg_reg_in_txn(db, what, store_txn, &j, err, errlen);
	if (!code && res)
		*res = j.r;
	return code;
}

int tg_reg_find_identical(sqlite3 *db, const tg_model_record *m, int64_t *id, char *err, size_t errlen)
{
	static const char what[] = "looking for an identical model";
	sqlite3_stmt *st;
	*id = 0;
	if (!m || !m->data_sha256 || !m->params || !m->blob)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "data_sha256, params and blob are required: %s", what);
	int code = tg_q_prepare(db, &st, err, errlen, what,
	                     "SELECT id FROM tg_models WHERE name = ?1 AND data_sha256 = ?2 AND params = ?3"
	                     " AND model = ?4 ORDER BY id DESC LIMIT 1",
	                     "ttt", m->name ? m->name : TG_DEFAULT_MODEL, m->data_sha256, m->params);
	if (code)
		return code;
	int rc = sqlite3_bind_blob64(st, 4, m->blob, (sqlite3_uint64)m->blob_len, SQLITE_STATIC);
	int found = 0;
	code = rc != SQLITE_OK ? tg_reg_sqlerr(db, rc, err, errlen, "%s", what) : tg_q_row(db, st, &found, err, errlen, what);
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
	/* A database opened by tg_reg_open_for_store may have no registry yet. */
	int found, code = tg_q_prepare(db, &st, err, errlen, what,
	                               "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'tg_models'", "");
	if (code)
		return code;
	code = tg_q_row(db, st, &found, err, errlen, what);
	sqlite3_finalize(st);
	if (code || !found)
		return code;
	code = tg_q_prepare(db, &st, err, errlen, what,
	                    "SELECT id FROM tg_models WHERE name = ?1 AND data_sha256 = ?2 AND params = ?3"
	                    " ORDER BY id DESC LIMIT 1",
	                    "ttt", name ? name : TG_DEFAULT_MODEL, data_sha256, params);
	if (code)
		return code;
	code = tg_q_row(db, st, &found, err, errlen, what);
	if (!code && found)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return code;
}

/* ---- lifecycle verbs ----------------------------------------------------------- */

typedef struct deploy_job {
	int64_t id;
	const char *what;
} deploy_job;

/* tg_reg_deploy's transaction. */
static int deploy_txn(sqlite3 *db, void *arg, char *err, size_t errlen)
{
	const deploy_job *j = arg;
	sqlite3_stmt *st;
	int found, deployed = 0;
	char *name = NULL;
	int code = tg_q_prepare(db, &st, err, errlen, j->what, "SELECT name, deployed FROM tg_models WHERE id = ?1",
	                        "i", j->id);
	if (code)
		return code;
	code = tg_q_row(db, st, &found, err, errlen, j->what);
	if (!code && !found)
		code = tg_reg_errf(err, errlen, TG_REG_NOTFOUND, "no model with id %lld", (long long)j->id);
	if (!code) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		deployed = sqlite3_column_int(st, 1);
		name = s ? strdup(s) : NULL;
		if (!name)
			code = tg_reg_errf(err, errlen, TG_REG_ERROR, "out of memory: %s", j->what);
	}
	sqlite3_finalize(st);
	if (!code && !deployed)
		code = set_deployed(db, name, j->id, "deploy", err, errlen);
	free(name);
	return code;
}

int tg_reg_deploy(sqlite3 *db, int64_t id, char *err, size_t errlen)
{
	char what[48];
	snprintf(what, sizeof what, "deploying model %lld", (long long)id);
	sqlite3_stmt *st;
	int found;
	/* The deployed model: nothing to write, so no write lock to wait for (a reader holding
	** the database does not stop it).  Else the transaction checks again. */
	int code = tg_q_prepare(db, &st, err, errlen, what, "SELECT deployed FROM tg_models WHERE id = ?1", "i", id);
	if (code)
		return code;
	code = tg_q_row(db, st, &found, err, errlen, what);
	int deployed = !code && found && sqlite3_column_int(st, 0) == 1;
	sqlite3_finalize(st);
	if (code || deployed)
		return code;
	deploy_job j = { id, what };
	return tg_reg_in_txn(db, what, deploy_txn, &j, err, errlen);
}

typedef struct rollback_job {
	const char *name;
	int64_t target;
} rollback_job;

/* tg_reg_rollback's transaction. */
static int rollback_txn(sqlite3 *db, void *arg, char *err, size_t errlen)
{
	static const char what[] = "reading the deployment log";
	rollback_job *j = arg;
	sqlite3_stmt *st;
	int found;
	int code = tg_q_prepare(db, &st, err, errlen, what, TG_SQL_ROLLBACK_TARGET, "t", j->name);
	if (code)
		return code;
	code = tg_q_row(db, st, &found, err, errlen, what);
	if (!code && found)
		j->target = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!code && !found)
		code = tg_reg_errf(err, errlen, TG_REG_NOTFOUND, "no earlier deployment to roll back to for model name '%s'",
		                   j->name);
	return code ? code : set_deployed(db, j->name, j->target, "rollback", err, errlen);
}

int tg_reg_rollback(sqlite3 *db, const char *name, int64_t *out_id, char *err, size_t errlen)
{
	if (out_id)
		*out_id = 0;
	rollback_job j = { name ? name : TG_DEFAULT_MODEL, 0 };
	int code = tg_reg_in_txn(db, "rolling back", rollback_txn, &j, err, errlen);
	if (!code && out_id)
		*out_id = j.target;
	return code;
}

typedef struct prune_job {
	const char *name;
	int keep;
	int deleted;
} prune_job;

/* tg_reg_prune's transaction: the doomed are the undeployed models of the name other
** than the newest `keep` of them. */
static int prune_txn(sqlite3 *db, void *arg, char *err, size_t errlen)
{
	static const char what[] = "deleting old models";
#define DOOMED                                                                             \
	"SELECT id FROM tg_models WHERE name = ?1 AND deployed = 0 AND id NOT IN "          \
	"(SELECT id FROM tg_models WHERE name = ?1 AND deployed = 0 ORDER BY id DESC LIMIT ?2)"
	static const char *const deletes[] = {
		/* explicitly, for connections without PRAGMA foreign_keys (no ON DELETE CASCADE) */
		"DELETE FROM tg_deployments WHERE model_id IN (" DOOMED ")",
		"DELETE FROM tg_models WHERE id IN (" DOOMED ")",
	};
#undef DOOMED
	prune_job *j = arg;
	int code = TG_REG_OK;
	for (int i = 0; !code && i < 2; i++) {
		sqlite3_stmt *st;
		code = tg_q_prepare(db, &st, err, errlen, what, deletes[i], "ti", j->name, (int64_t)j->keep);
		if (!code)
			code = tg_q_finish(db, st, err, errlen, what);
	}
	j->deleted = code ? 0 : sqlite3_changes(db);
	return code;
}

int tg_reg_prune(sqlite3 *db, const char *name, int keep, int *n_deleted, char *err, size_t errlen)
{
	static const char what[] = "deleting old models";
	if (n_deleted)
		*n_deleted = 0;
	if (keep < 0)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "negative number of models to keep (%d): %s", keep, what);
	prune_job j = { name ? name : TG_DEFAULT_MODEL, keep, 0 };
	int code = tg_reg_in_txn(db, what, prune_txn, &j, err, errlen);
	if (!code && n_deleted)
		*n_deleted = j.deleted;
	return code;
}
