/*
** Per-connection context and model cache; see model_cache.h.
**
** Staleness.  SQLITE_FCNTL_DATA_VERSION changes whenever the database file changes,
** by this connection's commits or anyone else's, but SQLite only looks for other
** connections' changes when a read transaction starts.  So the counter can be
** trusted exactly when the calling statement holds a read transaction on main: then
** an unchanged counter means tg_models is as it was when the model was last checked.
** With no transaction open (a statement that reads no table) the counter may be
** old, and inside a write transaction this connection's own uncommitted deploy does
** not move it; in both cases the deployed id is queried again, once per statement.
**
** Prepared statements live for one call only: a statement kept between calls would
** make sqlite3_close() fail with SQLITE_BUSY.
*/
#include <stdarg.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "model_cache.h"
#include "json.h"

typedef struct tg_cache_entry {
	struct tg_cache_entry *next;
	tg_loaded *loaded;          /* the cache's reference; its name is the key */
	unsigned data_version;      /* SQLITE_FCNTL_DATA_VERSION when last checked */
	int checked;                /* data_version is meaningful */
} tg_cache_entry;

struct tg_context {
	sqlite3 *db;
	int refs;
	tg_cache_entry *entries;
};

tg_context *tg_context_new(sqlite3 *db)
{
	tg_context *ctx = sqlite3_malloc64(sizeof *ctx);
	if (!ctx)
		return NULL;
	ctx->db = db;
	ctx->refs = 1;
	ctx->entries = NULL;
	return ctx;
}

void tg_context_ref(tg_context *ctx)
{
	ctx->refs++;
}

void tg_context_unref(void *p)
{
	tg_context *ctx = p;
	if (!ctx || --ctx->refs > 0)
		return;
	while (ctx->entries) {
		tg_cache_entry *e = ctx->entries;
		ctx->entries = e->next;
		tg_loaded_release(e->loaded);
		sqlite3_free(e);
	}
	sqlite3_free(ctx);
}

sqlite3 *tg_context_db(const tg_context *ctx)
{
	return ctx->db;
}

void tg_loaded_ref(tg_loaded *m)
{
	m->refs++;
}

void tg_loaded_release(tg_loaded *m)
{
	if (!m || --m->refs > 0)
		return;
	tg_model_free(m->model);
	sqlite3_free(m); /* name and label text live in the same allocation */
}

/* Wraps a loaded model with its name and JSON-quoted labels, in one allocation. */
static int make_loaded(sqlite3_int64 id, tg_model *model, const char *name, int name_len, tg_loaded **out)
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
	tg_loaded *m = sqlite3_malloc64(sizeof *m + (sqlite3_uint64)name_len + 1 + json_len + TG_LABEL_SLACK);
	if (!m) {
		sqlite3_free(json);
		return SQLITE_NOMEM;
	}
	memset(m, 0, sizeof *m);
	memset((char *)(m + 1) + name_len + 1 + json_len, 0, TG_LABEL_SLACK);
	char *text = (char *)(m + 1);
	memcpy(text, name, (size_t)name_len);
	text[name_len] = 0;
	if (json_len)
		memcpy(text + name_len + 1, json, json_len);
	sqlite3_free(json);
	m->refs = 1;
	m->id = id;
	m->model = model;
	m->name = text;
	m->name_len = name_len;
	for (uint32_t k = 0, at = 0; k < model->n_labels; k++) {
		m->label_json[k] = text + name_len + 1 + at;
		m->label_json_len[k] = end[k] - at;
		at = end[k];
	}
	*out = m;
	return SQLITE_OK;
}

/* Sets *errmsg from a printf-style format; SQLITE_NOMEM if even that fails. */
static int error_message(char **errmsg, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	*errmsg = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	return *errmsg ? rc : SQLITE_NOMEM;
}

/* The registry could not be queried: say whether it is missing or unreadable. */
static int registry_error(sqlite3 *db, int rc, char **errmsg)
{
	if (rc == SQLITE_NOMEM)
		return SQLITE_NOMEM;
	char *why = sqlite3_mprintf("%s", sqlite3_errmsg(db));
	if (!why)
		return SQLITE_NOMEM;
	sqlite3_stmt *st = NULL;
	int exists = -1;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM main.sqlite_master"
	                           " WHERE type IN ('table', 'view') AND name = 'tg_models' COLLATE NOCASE",
	                       -1, &st, NULL) == SQLITE_OK) {
		int step = sqlite3_step(st);
		exists = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	if (exists == 0)
		rc = error_message(errmsg, SQLITE_ERROR,
		                   "tg: no model registry (table tg_models) in this database; train one with tg-train");
	else
		rc = error_message(errmsg, rc, "tg: cannot read the model registry (table tg_models): %s", why);
	sqlite3_free(why);
	return rc;
}

/* No deployed model has the name: say whether any model has it, and what to do. */
static int not_deployed_error(sqlite3 *db, const char *name, int name_len, char **errmsg)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 trained = 0, latest = 0;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*), max(id) FROM main.tg_models WHERE name = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, name, name_len, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		trained = sqlite3_column_int64(st, 0);
		latest = sqlite3_column_int64(st, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM)
		return SQLITE_NOMEM;
	if (trained == 0)
		return error_message(errmsg, SQLITE_ERROR,
		                     "tg: no deployed model named '%q': tg_models has no model of that name; "
		                     "train one with tg-train", name);
	return error_message(errmsg, SQLITE_ERROR,
	                     "tg: no deployed model named '%q': deploy one of its %lld trained models, "
	                     "e.g. UPDATE tg_models SET deployed = 1 WHERE id = %lld", name, trained, latest);
}

/* The registry guarantees one deployed model per name (a unique index); a table
** made by hand may not, and then no choice would be the right one. */
static int several_deployed_error(const char *name, sqlite3_int64 id1, sqlite3_int64 id2, char **errmsg)
{
	return error_message(errmsg, SQLITE_ERROR,
	                     "tg: several models named '%q' are deployed (ids %lld and %lld); deploy exactly one, "
	                     "e.g. UPDATE tg_models SET deployed = (id = %lld) WHERE name = '%q'",
	                     name, id1 < id2 ? id1 : id2, id1 < id2 ? id2 : id1, id1 > id2 ? id1 : id2, name);
}

/* The id deployed under the name: SQLITE_ROW with *id; SQLITE_DONE when none, or
** several; or an error. */
static int deployed_id(sqlite3 *db, const char *name, int name_len, sqlite3_int64 *id)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT id FROM main.tg_models WHERE name = ?1 AND deployed = 1", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, name, name_len, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = SQLITE_DONE; /* several: load_deployed says so */
	}
	sqlite3_finalize(st);
	return rc;
}

/* The blob is read through the page cache in pieces of this size, each piece's pages
** handed back before the next is read (see read_blob). */
#define TG_READ_PIECE (256 * 1024)

/*
** Reads the model blob of row id of main.tg_models with an incremental-blob handle,
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
static int read_blob(sqlite3 *db, sqlite3_int64 id, tg_model **model, char *why, size_t why_len)
{
	*model = NULL;
	sqlite3_blob *blob = NULL;
	int rc = sqlite3_blob_open(db, "main", "tg_models", "model", id, 0, &blob);
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
** read_blob does, SQLITE_DONE when no row is deployed any more. */
static int read_column(sqlite3 *db, const char *name, int name_len, tg_model **model, char *why, size_t why_len)
{
	*model = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT model FROM main.tg_models WHERE name = ?1 AND deployed = 1",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, name, name_len, SQLITE_STATIC);
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

/* Reads and loads the model deployed under the name. */
static int load_deployed(sqlite3 *db, const char *name, int name_len, tg_loaded **out, char **errmsg)
{
	*out = NULL;
	sqlite3_stmt *st = NULL;
	/* The id and the type of the model, without reading the model (typeof() does not). */
	int rc = sqlite3_prepare_v2(db, "WITH m AS (SELECT id, model FROM main.tg_models WHERE name = ?1 AND deployed = 1)"
	                                " SELECT id, typeof(model) FROM m",
	                            -1, &st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(st);
		return registry_error(db, rc, errmsg);
	}
	rc = sqlite3_bind_text(st, 1, name, name_len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return not_deployed_error(db, name, name_len, errmsg);
	}
	if (rc != SQLITE_ROW) {
		rc = registry_error(db, rc, errmsg);
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_int64 id = sqlite3_column_int64(st, 0);
	const char *type = (const char *)sqlite3_column_text(st, 1);
	/* The statement stays on its row meanwhile: its read transaction keeps the row as it was. */
	char why[256] = "";
	tg_model *model = NULL;
	rc = SQLITE_EMPTY;
	if (type && (strcmp(type, "blob") == 0 || strcmp(type, "text") == 0))
		rc = read_blob(db, id, &model, why, sizeof why);
	else if (!type && sqlite3_errcode(db) == SQLITE_NOMEM)
		rc = SQLITE_NOMEM;
	if (rc == SQLITE_EMPTY)
		rc = read_column(db, name, name_len, &model, why, sizeof why);
	if (rc == SQLITE_OK && !model)
		rc = error_message(errmsg, SQLITE_ERROR, "tg: model %lld ('%q') is damaged: %s", id, name, why);
	else if (rc != SQLITE_OK && rc != SQLITE_NOMEM)
		rc = registry_error(db, rc, errmsg);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_ROW)
			rc = several_deployed_error(name, id, sqlite3_column_int64(st, 0), errmsg);
		else
			rc = registry_error(db, rc, errmsg);
		sqlite3_finalize(st);
		tg_model_free(model);
		return rc;
	}
	sqlite3_finalize(st);
	rc = make_loaded(id, model, name, name_len, out);
	if (rc != SQLITE_OK)
		tg_model_free(model);
	return rc;
}

static tg_cache_entry **find_entry(tg_context *ctx, const char *name, int name_len)
{
	tg_cache_entry **pp = &ctx->entries;
	for (; *pp; pp = &(*pp)->next) {
		const tg_loaded *m = (*pp)->loaded;
		if (m->name_len == name_len && memcmp(m->name, name, (size_t)name_len) == 0)
			break;
	}
	return pp;
}

static int data_version(sqlite3 *db, unsigned *v)
{
	return sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, v) == SQLITE_OK;
}

int tg_cache_acquire(tg_context *ctx, const char *name, int name_len, tg_loaded **out, char **errmsg)
{
	sqlite3 *db = ctx->db;
	*out = NULL;
	*errmsg = NULL;
	tg_cache_entry **pp = find_entry(ctx, name, name_len);
	tg_cache_entry *e = *pp;
	int state = sqlite3_txn_state(db, "main");
	unsigned v = 0;
	if (e && e->checked && state == SQLITE_TXN_READ && data_version(db, &v) && v == e->data_version) {
		tg_loaded_ref(e->loaded);
		*out = e->loaded;
		return SQLITE_OK;
	}
	sqlite3_int64 id = 0;
	if (!e || deployed_id(db, name, name_len, &id) != SQLITE_ROW || id != e->loaded->id) {
		/* Not cached, or deployed anew, or gone (load_deployed then says why). */
		tg_loaded *fresh;
		int rc = load_deployed(db, name, name_len, &fresh, errmsg);
		if (rc != SQLITE_OK) {
			if (e) {
				*pp = e->next;
				tg_loaded_release(e->loaded);
				sqlite3_free(e);
			}
			return rc;
		}
		if (!e) {
			e = sqlite3_malloc64(sizeof *e);
			if (!e) {
				tg_loaded_release(fresh);
				return SQLITE_NOMEM;
			}
			e->next = ctx->entries;
			e->loaded = NULL;
			ctx->entries = e;
		}
		tg_loaded_release(e->loaded);
		e->loaded = fresh;
	}
	/* Our queries began a read transaction if none was open, which refreshed the
	** counter; a write transaction's own changes do not move it, so no shortcut then. */
	e->checked = state != SQLITE_TXN_WRITE && data_version(db, &e->data_version);
	tg_loaded_ref(e->loaded);
	*out = e->loaded;
	return SQLITE_OK;
}
