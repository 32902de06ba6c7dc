/* Reading a deployed model's blob; see model_read.h. */
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "model_read.h"
#include "json.h"
#include "lookups.h" /* registry/: the registry's SQL */

/* Wraps a loaded model with the name asked for (key_len bytes, the model's own name
** from model_at), its schema and JSON-quoted labels, in one allocation. */
static int make_loaded(const tg_row *row, tg_model *model, const char *key, int key_len, int model_at,
                       tg_loaded **out)
{
	*out = NULL;
	sqlite3_str *s = sqlite3_str_new(NULL);
	unsigned end[TG_MODEL_MAX_LABELS];
	for (uint32_t k = 0; k < model->n_labels; k++) {
		tg_json_string(s, model->labels[k], strlen(model->labels[k]));
		end[k] = (unsigned)sqlite3_str_length(s);
	}
	if (sqlite3_str_errcode(s) != SQLITE_OK) {
		sqlite3_free(sqlite3_str_finish(s));
		return SQLITE_NOMEM;
	}
	unsigned json_len = (unsigned)sqlite3_str_length(s);
	char *json = sqlite3_str_finish(s);
	const size_t schema_len = strlen(row->schema) + 1;
	tg_loaded *m = sqlite3_malloc64(sizeof *m + (sqlite3_uint64)key_len + 1 + schema_len + json_len + TG_LABEL_SLACK);
	if (!m) {
		sqlite3_free(json);
		return SQLITE_NOMEM;
	}
	memset(m, 0, sizeof *m);
	char *text = (char *)(m + 1);
	memcpy(text, key, (size_t)key_len);
	text[key_len] = 0;
	char *schema = text + key_len + 1, *labels = schema + schema_len;
	memcpy(schema, row->schema, schema_len);
	if (json_len)
		memcpy(labels, json, json_len);
	memset(labels + json_len, 0, TG_LABEL_SLACK);
	sqlite3_free(json);
	m->refs = 1;
	m->id = row->id;
	m->bytes = row->bytes;
	m->checksum = row->checksum;
	m->schema = schema;
	m->model = model;
	m->key = text;
	m->key_len = key_len;
	m->name = text + model_at;
	m->name_len = key_len - model_at;
	for (uint32_t k = 0, at = 0; k < model->n_labels; k++) {
		m->label_json[k] = labels + at;
		m->label_json_len[k] = end[k] - at;
		at = end[k];
	}
	*out = m;
	return SQLITE_OK;
}

/* The blob is read through the page cache in pieces of this size, each piece's pages
** handed back before the next is read (see read_blob). */
#define TG_READ_PIECE (256 * 1024)

/*
** Reads the model blob of the row at its rowid (which is its id only in a table that
** tg-train made: a table rebuilt by hand may differ) with an incremental-blob handle,
** straight into the model's own allocation: one copy, where reading the column would
** make SQLite assemble the whole blob in a buffer of its own first.  Returns
** SQLITE_OK with *model set, or with *model NULL and why set when the blob is not a
** valid model; SQLITE_NOMEM; SQLITE_EMPTY when no handle can be opened (tg_models is
** a view, or the value is not a blob or text), for the caller to read the column
** instead; or another error code.
**
** The pages read are released after each piece (sqlite3_db_release_memory): a model
** is read once, and left in the page cache its 400-odd pages would only push the
** pages of the caller's own tables out.  The page cache then needs memory for one
** piece at a time, not for the whole blob: on a new connection that is also most of
** the time to the first answer, since every fresh page of memory costs a page fault.
*/
static int read_blob(sqlite3 *db, const tg_row *row, tg_model **model, char *why, size_t why_len)
{
	*model = NULL;
	sqlite3_blob *blob = NULL;
	if (!row->has_rowid)
		return SQLITE_EMPTY;
	int rc = sqlite3_blob_open(db, row->schema, "tg_models", "model", row->rowid, 0, &blob);
	if (rc != SQLITE_OK) {
		sqlite3_blob_close(blob);
		return rc == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_EMPTY;
	}
	const size_t len = (size_t)sqlite3_blob_bytes(blob);
	unsigned char header[TG_MODEL_HEADER_BYTES];
	const size_t head = len < sizeof header ? len : sizeof header;
	unsigned char *buf = NULL;
	rc = sqlite3_blob_read(blob, header, (int)head, 0);
	if (rc == SQLITE_OK && tg_model_check_header(header, len, why, why_len) == 0) {
		buf = tg_model_buffer(len);
		if (!buf)
			rc = SQLITE_NOMEM;
		for (size_t at = 0; rc == SQLITE_OK && at < len; at += TG_READ_PIECE) {
			const size_t n = len - at < TG_READ_PIECE ? len - at : TG_READ_PIECE;
			rc = sqlite3_blob_read(blob, buf + at, (int)n, (int)at);
			if (len > TG_READ_PIECE)
				sqlite3_db_release_memory(db);
		}
	}
	sqlite3_blob_close(blob);
	if (rc != SQLITE_OK) {
		tg_model_buffer_free(buf);
		return rc;
	}
	if (buf)
		tg_model_load_buffer(buf, len, model, why, why_len);   /* frees buf if refused */
	return SQLITE_OK;
}

/* The same from the column, for when read_blob cannot open a handle.  Returns as
** read_blob does, SQLITE_DONE when the row is gone. */
static int read_column(sqlite3 *db, const tg_row *row, tg_model **model, char *why, size_t why_len)
{
	*model = NULL;
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf(TG_SQL_DEPLOYED_BLOB, row->schema);
	int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, row->id);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		if (!blob && sqlite3_errcode(db) == SQLITE_NOMEM) {
			rc = SQLITE_NOMEM;
		} else if (tg_model_load(blob, len, model, why, why_len) != 0 && strncmp(why, "out of memory", 13) == 0) {
			/* The loader reports a failed allocation only through its message. */
			rc = SQLITE_NOMEM;
		} else {
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* See model_read.h. */
int tg_row_load(sqlite3 *db, const tg_row *row, const char *key, int key_len, int model_at, tg_loaded **out,
                    char *err, size_t errlen)
{
	const char *name = key + model_at;
	const int name_len = key_len - model_at;
	*out = NULL;
	char why[256] = "", where[200];
	tg_model *model = NULL;
	int rc = SQLITE_EMPTY;
	if (row->readable)
		rc = read_blob(db, row, &model, why, sizeof why);
	if (rc == SQLITE_EMPTY)
		rc = read_column(db, row, &model, why, sizeof why);
	if (rc == SQLITE_OK && !model)
		return tg_sql_errf(err, errlen, SQLITE_ERROR, "tg: model %lld ('%.*q')%s is damaged: %s", row->id, name_len,
		                     name, tg_registry_where(row->schema, where, sizeof where), why);
	if (rc == SQLITE_DONE)
		return tg_sql_errf(err, errlen, SQLITE_ERROR, "tg: model %lld ('%.*q') vanished while it was read", row->id,
		                     name_len, name);
	if (rc != SQLITE_OK)
		return rc == SQLITE_NOMEM ? rc : tg_sql_errf(err, errlen, rc, "tg: cannot read model %lld: %s", row->id,
		                                               sqlite3_errmsg(db));
	rc = make_loaded(row, model, key, key_len, model_at, out);
	if (rc != SQLITE_OK)
		tg_model_free(model);
	return rc;
}
