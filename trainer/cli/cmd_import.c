/*
** The import verb (issue #10): copies one model, with its params, metrics, data
** fingerprint, format and creation time, from SRC's registry into DST's, and deploys it
** there by DST's policy (--deploy, the same rules as training).  SRC is only read.
** Everything about the source is checked (a tg registry, the model there, its blob
** loads, its JSON parses) before DST is opened, so a bad source leaves DST untouched;
** and a DST this import created is removed again if the import fails after all.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "model.h"
#include "new_db.h"
#include "registry.h"

/* The model row read from SRC; its strings and blob are sqlite3_malloc'd copies. */
typedef struct source_model {
	int64_t id;
	tg_model_record rec;
	char *name, *params, *metrics, *data_sha256, *created_at;
	void *blob;
} source_model;

static void source_model_free(source_model *s)
{
	sqlite3_free(s->name);
	sqlite3_free(s->params);
	sqlite3_free(s->metrics);
	sqlite3_free(s->data_sha256);
	sqlite3_free(s->created_at);
	sqlite3_free(s->blob);
}

static char *dup_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? sqlite3_mprintf("%s", (const char *)t) : NULL;
}

/* Reads the model to import from SRC into *s; prints the reason and returns -1 if none. */
static int read_source(const tg_options *o, source_model *s)
{
	sqlite3 *db = NULL;
	char err[TG_ERR_MAX] = "";
	int status = -1;
	if (tg_reg_open_readonly(o->src, o->busy_ms, &db, err, sizeof err) != TG_REG_OK) {
		fprintf(stderr, "tg-train: import source %s: %s\n", o->src, err);
		sqlite3_close(db);
		return -1;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db,
	                            o->model_id
	                            ? "SELECT id, name, format, params, metrics, data_sha256, created_at, model"
	                              " FROM tg_models WHERE id = ?1"
	                            : "SELECT id, name, format, params, metrics, data_sha256, created_at, model"
	                              " FROM tg_models WHERE name = ?2 AND deployed = 1",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = o->model_id ? sqlite3_bind_int64(st, 1, o->model_id)
		                 : sqlite3_bind_text(st, 2, o->name, -1, SQLITE_STATIC);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "tg-train: import source %s is not a tg registry: %s\n", o->src, sqlite3_errmsg(db));
		goto done;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		if (o->model_id)
			fprintf(stderr, "tg-train: import source %s has no model with id %lld\n", o->src,
			        (long long)o->model_id);
		else
			fprintf(stderr, "tg-train: import source %s has no deployed model named '%s'\n", o->src, o->name);
		goto done;
	}
	if (rc != SQLITE_ROW) {
		fprintf(stderr, "tg-train: import source %s: %s: reading the model\n", o->src, sqlite3_errmsg(db));
		goto done;
	}
	s->id = sqlite3_column_int64(st, 0);
	s->name = dup_text(st, 1);
	s->params = dup_text(st, 3);
	s->metrics = dup_text(st, 4);
	s->data_sha256 = dup_text(st, 5);
	s->created_at = dup_text(st, 6);
	int len = sqlite3_column_bytes(st, 7);
	const void *b = sqlite3_column_blob(st, 7);
	s->blob = len > 0 ? sqlite3_malloc(len) : NULL;
	if (s->blob)
		memcpy(s->blob, b, (size_t)len);
	if (!s->name || !s->params || !s->metrics || !s->data_sha256 || !s->created_at || !s->blob) {
		fprintf(stderr, "tg-train: import source %s: model %lld has an empty column or memory ran out\n",
		        o->src, (long long)s->id);
		goto done;
	}
	/* --id picks the model; a --name beside it must agree, not be dropped silently. */
	if (o->model_id && o->name_given && strcmp(s->name, o->name) != 0) {
		fprintf(stderr, "tg-train: import source %s: model %lld is named '%s', not '%s'\n", o->src,
		        (long long)s->id, s->name, o->name);
		goto done;
	}
	/* The blob must load exactly as the extension would load it. */
	tg_model *m = NULL;
	char why[256];
	if (tg_model_load(s->blob, (size_t)len, &m, why, sizeof why) != 0) {
		fprintf(stderr, "tg-train: import source %s: model %lld is damaged: %s\n", o->src,
		        (long long)s->id, why);
		goto done;
	}
	tg_model_free(m);
	s->rec = (tg_model_record){ s->name, sqlite3_column_int(st, 2), s->params, s->metrics, s->data_sha256,
		                    s->blob, (size_t)len, s->created_at };
	/* What DST's store would refuse, refused here, before DST is opened. */
	if (tg_reg_check_json(db, &s->rec, err, sizeof err) != TG_REG_OK) {
		fprintf(stderr, "tg-train: import source %s: model %lld: %s\n", o->src, (long long)s->id, err);
		goto done;
	}
	status = 0;
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return status;
}

/* Stores s in DST unless an identical model is there, in one transaction. */
static int store(const tg_options *o, sqlite3 *db, const source_model *s, int64_t *same,
                 tg_store_result *res, char *err, size_t errlen)
{
	tg_txn t;
	int rc = tg_txn_begin(db, &t, "importing the model", err, errlen);
	if (rc != TG_REG_OK)
		return rc;
	rc = tg_reg_find_identical(db, &s->rec, same, err, errlen);
	if (rc == TG_REG_OK && !*same)
		rc = tg_reg_store(db, &s->rec, o->deploy, res, err, errlen);
	if (rc != TG_REG_OK) {
		tg_txn_rollback(db, &t);
		return rc;
	}
	return tg_txn_commit(db, &t, "importing the model", err, errlen);
}

int tg_cmd_import(const tg_options *o)
{
	source_model s = { 0 };
	sqlite3 *db = NULL;
	char err[TG_ERR_MAX] = "";
	int status = 1;
	int64_t same = 0;
	tg_store_result res;
	tg_new_db created;
	tg_new_db_note(&created, o->db);
	if (read_source(o, &s) != 0)
		goto done;
	if (tg_reg_open(o->db, o->busy_ms, NULL, &db, err, sizeof err) != TG_REG_OK ||
	    store(o, db, &s, &same, &res, err, sizeof err) != TG_REG_OK) {
		fprintf(stderr, "tg-train: importing into %s failed, registry unchanged: %s\n", o->db,
		        err);
		goto done;
	}
	if (!o->quiet && same)
		printf("Model %lld of %s is already in %s as model %lld; nothing imported.\n", (long long)s.id,
		       o->src, o->db, (long long)same);
	else if (!o->quiet)
		printf("Imported model %lld ('%s', created %s) of %s as model %lld in %s: %s (%s: %s)\n",
		       (long long)s.id, s.name, s.created_at, o->src, (long long)res.id, o->db,
		       res.deployed ? "deployed" : "not deployed", tg_deploy_policy_name(o->deploy), res.reason);
	status = 0;
done:
	tg_new_db_close(&created, db, status, o->quiet);
	source_model_free(&s);
	return status;
}
