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
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "model_cache.h"
#include "json.h"
#include "endian_io.h"

typedef struct tg_cache_entry {
	struct tg_cache_entry *next;
	tg_loaded *loaded;          /* the cache's reference; its key is the entry's */
	unsigned main_version;      /* SQLITE_FCNTL_DATA_VERSION of main and of temp */
	unsigned temp_version;      /*   when last checked */
	int fast;                   /* unchanged() may trust them */
} tg_cache_entry;

struct tg_context {
	sqlite3 *db;
	int refs;
	tg_cache_entry *entries;
};

/* Where the deployed row of a name is, and what identifies its content: a row
** replaced under the same id (a restored backup, a rebuilt table) has another
** length or another checksum in its header, so it is never mistaken for the row
** the cached model came from. */
typedef struct tg_row {
	char *schema;               /* sqlite3_malloc'd */
	sqlite3_int64 id;
	sqlite3_int64 rowid;        /* where the blob is stored; id only in tables tg-train made */
	int has_rowid;              /* 0 for a view or a WITHOUT ROWID table */
	int readable;               /* the model column is a blob or text */
	sqlite3_int64 bytes;
	uint64_t checksum;          /* the header's checksum field; 0 when not read */
} tg_row;

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

int tg_loaded_is(const tg_loaded *m, const char *key, int key_len)
{
	return m->key_len == key_len && memcmp(m->key, key, (size_t)key_len) == 0;
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

/* tg_errf (error.h) through SQLite's printf, for its %q and %w; returns rc. */
static int error_message(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		sqlite3_vsnprintf(errlen > INT_MAX ? INT_MAX : (int)errlen, err, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* " in schema 'x'" for every schema but main, whose messages stay as they always were. */
static const char *where_clause(const char *schema, char *buf, size_t len)
{
	if (sqlite3_stricmp(schema, "main") == 0)
		return "";
	sqlite3_snprintf((int)len, buf, " in schema '%q'", schema);
	return buf;
}

/* The registry as the SQL that a message suggests must name it: "x".tg_models for every
** schema but main, since an unqualified tg_models would be main's (or temp's). */
static const char *registry_name(const char *schema, char *buf, size_t len)
{
	if (sqlite3_stricmp(schema, "main") == 0)
		return "tg_models";
	sqlite3_snprintf((int)len, buf, "\"%w\".tg_models", schema);
	return buf;
}

/* SQLITE_FCNTL_DATA_VERSION of a schema; 0 when it has no file yet (temp, unused). */
static int data_version(sqlite3 *db, const char *schema, unsigned *v)
{
	*v = 0;
	return sqlite3_file_control(db, schema, SQLITE_FCNTL_DATA_VERSION, v) == SQLITE_OK;
}

/* SQLITE_ROW when the schema has a table or view tg_models, SQLITE_DONE when not. */
static int registry_exists(sqlite3 *db, const char *schema)
{
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\".sqlite_master WHERE type IN ('table', 'view')"
	                            " AND name = 'tg_models' COLLATE NOCASE", schema);
	int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc;
}

/*
** The p-th schema in SQLite's search order for an unqualified name: temp, main, then
** the attached ones in the order of attachment; NULL past the last.  Listed with
** sqlite3_db_name, which resolves no name: a query "FROM pragma_database_list" finds
** a table or view of that name in any attached file before the pragma, which would
** let that file choose the model.
*/
static const char *schema_in_order(sqlite3 *db, int p)
{
	return sqlite3_db_name(db, p < 2 ? p ^ 1 : p);   /* index 0 is main, 1 is temp */
}

/* temp has no file until something is stored in it: it holds no registry then, and a
** query reading it would create the file. */
static int schema_unused(sqlite3 *db, const char *schema)
{
	unsigned v;
	return !data_version(db, schema, &v);
}

/*
** No schema searched (the one at position only, or all when only is -1) deploys the
** name, and one has a registry: say what to do, of the first registry that has models
** of that name (a registry before it without any does not make them unreachable).
*/
static int not_deployed_error(sqlite3 *db, int only, const char *name, int name_len, char *err, size_t errlen)
{
	const char *schema, *in_schema = NULL;
	sqlite3_int64 trained = 0, latest = 0;
	int rc = SQLITE_OK;
	for (int p = only < 0 ? 0 : only; rc == SQLITE_OK && trained == 0 && (schema = schema_in_order(db, p)) != NULL &&
	     (only < 0 || p == only); p++) {
		if (schema_unused(db, schema) || registry_exists(db, schema) != SQLITE_ROW)
			continue;
		sqlite3_stmt *st = NULL;
		char *sql = sqlite3_mprintf("SELECT count(*), max(id) FROM \"%w\".tg_models WHERE name = ?1", schema);
		rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
		sqlite3_free(sql);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 1, name, name_len, SQLITE_STATIC);
		if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			trained = sqlite3_column_int64(st, 0);
			latest = sqlite3_column_int64(st, 1);
			if (!in_schema || trained)
				in_schema = schema;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_NOMEM)
			rc = SQLITE_OK;   /* a registry that cannot be read is passed over */
	}
	if (rc == SQLITE_NOMEM)
		return rc;
	if (!in_schema)   /* none could be read again (another process dropped it?) */
		return error_message(err, errlen, SQLITE_ERROR, "tg: no deployed model named '%.*q'", name_len, name);
	char where[200], table[TG_ERR_MAX];   /* the message holds no more */
	const char *in = where_clause(in_schema, where, sizeof where);
	if (trained == 0)
		return error_message(err, errlen, SQLITE_ERROR,
		                     "tg: no deployed model named '%.*q': tg_models%s has no model of that name; "
		                     "train one with tg-train", name_len, name, in);
	return error_message(err, errlen, SQLITE_ERROR,
	                     "tg: no deployed model named '%.*q'%s: deploy one of its %lld trained models, "
	                     "e.g. UPDATE %s SET deployed = 1 WHERE id = %lld", name_len, name, in, trained,
	                     registry_name(in_schema, table, sizeof table), latest);
}

/* The registry guarantees one deployed model per name (a unique index); a table
** made by hand may not, and then no choice would be the right one. */
static int several_deployed_error(const char *schema, const char *name, int name_len, sqlite3_int64 id1,
                                  sqlite3_int64 id2, char *err, size_t errlen)
{
	sqlite3_int64 lo = id1 < id2 ? id1 : id2, hi = id1 < id2 ? id2 : id1;
	char where[200], table[TG_ERR_MAX];   /* the message holds no more */
	if (lo == hi)   /* a table without a primary key: no UPDATE by id can tell them apart */
		return error_message(err, errlen, SQLITE_ERROR,
		                     "tg: several models named '%.*q' are deployed%s, two of them with id %lld; give "
		                     "every row of %s an id of its own, then deploy exactly one", name_len, name,
		                     where_clause(schema, where, sizeof where), lo, registry_name(schema, table, sizeof table));
	return error_message(err, errlen, SQLITE_ERROR,
	                     "tg: several models named '%.*q' are deployed%s (ids %lld and %lld); deploy exactly one, "
	                     "e.g. UPDATE %s SET deployed = (id = %lld) WHERE name = '%.*q'",
	                     name_len, name, where_clause(schema, where, sizeof where), lo, hi,
	                     registry_name(schema, table, sizeof table), hi, name_len, name);
}

/*
** The 64-bit checksum in the header of the row's blob, which tells a blob replaced by
** another of the same length under the same id.  Read with an incremental-blob handle
** when the row has a rowid, without reading the rest of the blob; else (a view, a
** WITHOUT ROWID or a virtual table) from the column by SQL, which reads the whole value.
*/
static void read_checksum(sqlite3 *db, tg_row *row)
{
	unsigned char field[8];
	row->checksum = 0;
	if (!row->readable || row->bytes < (sqlite3_int64)TG_MODEL_HEADER_BYTES)
		return;
	if (row->has_rowid) {
		sqlite3_blob *blob = NULL;
		int rc = sqlite3_blob_open(db, row->schema, "tg_models", "model", row->rowid, 0, &blob);
		if (rc == SQLITE_OK && (rc = sqlite3_blob_read(blob, field, 8, 48)) == SQLITE_OK)
			row->checksum = tg_read_le64(field);
		sqlite3_blob_close(blob);
		if (rc == SQLITE_OK)
			return;
	}
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf("SELECT substr(CAST(model AS BLOB), 49, 8) FROM \"%w\".tg_models WHERE %s", row->schema,
	                            row->has_rowid ? "rowid = ?1" : "id = ?1 AND deployed = 1");
	if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 1, row->has_rowid ? row->rowid : row->id) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 8)
		row->checksum = tg_read_le64(sqlite3_column_blob(st, 0));
	sqlite3_finalize(st);
	sqlite3_free(sql);
}

/*
** Looks for the deployed row of the name in one schema's registry.  Returns
** SQLITE_ROW with *row filled; SQLITE_DONE when the schema has no such row (or no
** tg_models at all: *no_table is then 1); or an error with err set.
*/
static int deployed_in_schema(sqlite3 *db, const char *schema, const char *name, int name_len, tg_row *row,
                              int *no_table, char *err, size_t errlen)
{
	static const char *const queries[] = {
		"SELECT id, rowid, typeof(model) IN ('blob', 'text'), length(model) FROM \"%w\".tg_models"
		" WHERE name = ?1 AND deployed = 1",
		/* views and WITHOUT ROWID tables have no rowid: their blobs are read as values */
		"SELECT id, NULL, typeof(model) IN ('blob', 'text'), length(model) FROM \"%w\".tg_models"
		" WHERE name = ?1 AND deployed = 1",
	};
	char where[200];
	const char *in = where_clause(schema, where, sizeof where);
	int rc = registry_exists(db, schema), said = 0;
	*no_table = rc == SQLITE_DONE;
	if (rc == SQLITE_ROW) {
		sqlite3_stmt *st = NULL;
		rc = SQLITE_ERROR;
		for (size_t q = 0; q < sizeof queries / sizeof *queries && rc != SQLITE_OK && rc != SQLITE_NOMEM; q++) {
			char *sql = sqlite3_mprintf(queries[q], schema);
			rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
			sqlite3_free(sql);
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 1, name, name_len, SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			row->id = sqlite3_column_int64(st, 0);
			row->has_rowid = sqlite3_column_type(st, 1) != SQLITE_NULL;
			row->rowid = sqlite3_column_int64(st, 1);
			row->readable = sqlite3_column_int(st, 2);
			row->bytes = sqlite3_column_int64(st, 3);
			int next = sqlite3_step(st);
			if (next == SQLITE_ROW) {
				rc = several_deployed_error(schema, name, name_len, row->id, sqlite3_column_int64(st, 0), err, errlen);
				said = 1;
			} else if (next != SQLITE_DONE)
				rc = next;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE && rc != SQLITE_NOMEM && !said)
			rc = error_message(err, errlen, rc, "tg: cannot read the model registry (table tg_models%s): %s", in,
			                   sqlite3_errmsg(db));
		sqlite3_finalize(st);
	} else if (rc != SQLITE_DONE && rc != SQLITE_NOMEM) {
		rc = error_message(err, errlen, rc, "tg: cannot read the model registry (table tg_models%s): %s", in,
		                   sqlite3_errmsg(db));
	}
	if (rc == SQLITE_ROW) {
		row->schema = sqlite3_mprintf("%s", schema);
		if (!row->schema)
			return SQLITE_NOMEM;
		read_checksum(db, row);
	}
	return rc;
}

/*
** Finds the row deployed under the name (name_len bytes): the first schema in
** SQLite's search order whose registry deploys it wins.  A name "schema.model" whose
** prefix is a schema of the connection looks in that schema alone, for the model
** named by the rest.  Returns SQLITE_OK with *row filled (the caller frees
** row->schema) and *model_at, where the model's own name starts in name; or an error
** with err set.
*/
static int find_deployed(sqlite3 *db, const char *name, int name_len, tg_row *row, int *model_at, char *err, size_t errlen)
{
	memset(row, 0, sizeof *row);
	*model_at = 0;
	const char *dot = memchr(name, '.', (size_t)name_len), *schema;
	int only = -1;   /* the position of the schema a qualified name names */
	for (int p = 0; dot && only < 0 && (schema = schema_in_order(db, p)) != NULL; p++)
		if (strlen(schema) == (size_t)(dot - name) && sqlite3_strnicmp(schema, name, (int)(dot - name)) == 0 &&
		    !schema_unused(db, schema)) {
			only = p;
			*model_at = (int)(dot + 1 - name);
		}
	const char *model = name + *model_at;
	const int model_len = name_len - *model_at;
	int any_registry = 0;
	int rc = SQLITE_DONE;
	for (int p = only < 0 ? 0 : only; rc == SQLITE_DONE && (schema = schema_in_order(db, p)) != NULL; p++) {
		int no_table;
		if (schema_unused(db, schema))
			continue;
		rc = deployed_in_schema(db, schema, model, model_len, row, &no_table, err, errlen);
		if (rc == SQLITE_DONE && no_table && only >= 0)
			rc = error_message(err, errlen, SQLITE_ERROR, "tg: no model registry (table tg_models) in schema '%q'; "
			                   "ATTACH a database that has one, such as tg's genre.db", schema);
		any_registry |= !no_table;
		if (only >= 0)
			break;
	}
	if (rc == SQLITE_ROW)
		return SQLITE_OK;
	if (rc == SQLITE_DONE && any_registry)
		return not_deployed_error(db, only, model, model_len, err, errlen);
	if (rc == SQLITE_DONE)
		return error_message(err, errlen, SQLITE_ERROR,
		                     "tg: no model registry (table tg_models) in this database; train one with tg-train, "
		                     "or ATTACH a model database such as tg's genre.db");
	return rc;
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
	char *sql = sqlite3_mprintf("SELECT model FROM \"%w\".tg_models WHERE id = ?1 AND deployed = 1", row->schema);
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

/* Reads and loads the model of the row that find_deployed found for the key. */
static int load_row(sqlite3 *db, const tg_row *row, const char *key, int key_len, int model_at, tg_loaded **out,
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
		return error_message(err, errlen, SQLITE_ERROR, "tg: model %lld ('%.*q')%s is damaged: %s", row->id, name_len,
		                     name, where_clause(row->schema, where, sizeof where), why);
	if (rc == SQLITE_DONE)
		return error_message(err, errlen, SQLITE_ERROR, "tg: model %lld ('%.*q') vanished while it was read", row->id,
		                     name_len, name);
	if (rc != SQLITE_OK)
		return rc == SQLITE_NOMEM ? rc : error_message(err, errlen, rc, "tg: cannot read model %lld: %s", row->id,
		                                               sqlite3_errmsg(db));
	rc = make_loaded(row, model, key, key_len, model_at, out);
	if (rc != SQLITE_OK)
		tg_model_free(model);
	return rc;
}

static tg_cache_entry **find_entry(tg_context *ctx, const char *key, int key_len)
{
	tg_cache_entry **pp = &ctx->entries;
	while (*pp && !tg_loaded_is((*pp)->loaded, key, key_len))
		pp = &(*pp)->next;
	return pp;
}

static int same_row(const tg_loaded *m, const tg_row *row)
{
	return m->id == row->id && m->bytes == row->bytes && m->checksum == row->checksum &&
	       sqlite3_stricmp(m->schema, row->schema) == 0;
}

/*
** The shortcut that skips the registry queries.  It holds for a model found in
** main while the statement holds main's read transaction and neither main nor
** temp (searched before main) changed: attached schemas come after main in the
** search order, so an ATTACH or DETACH cannot change which model main's wins.
** A model found elsewhere is looked up again at every statement.
*/
static int unchanged(sqlite3 *db, const tg_cache_entry *e)
{
	unsigned v_main, v_temp;
	return e->fast && sqlite3_txn_state(db, "main") == SQLITE_TXN_READ &&
	       sqlite3_txn_state(db, "temp") != SQLITE_TXN_WRITE && data_version(db, "main", &v_main) &&
	       v_main == e->main_version && (data_version(db, "temp", &v_temp), v_temp == e->temp_version);
}

static void remember_versions(sqlite3 *db, tg_cache_entry *e)
{
	unsigned v_temp;
	data_version(db, "temp", &v_temp);
	e->temp_version = v_temp;
	/* Our queries began a read transaction if none was open, which refreshed the
	** counter; a write transaction's own changes do not move it, so no shortcut then. */
	e->fast = sqlite3_stricmp(e->loaded->schema, "main") == 0 && sqlite3_txn_state(db, "main") != SQLITE_TXN_WRITE &&
	          sqlite3_txn_state(db, "temp") != SQLITE_TXN_WRITE && data_version(db, "main", &e->main_version);
}

static void drop_entry(tg_cache_entry **pp)
{
	tg_cache_entry *e = *pp;
	*pp = e->next;
	tg_loaded_release(e->loaded);
	sqlite3_free(e);
}

int tg_cache_acquire(tg_context *ctx, const char *name, int name_len, tg_loaded **out, char *err, size_t errlen)
{
	sqlite3 *db = ctx->db;
	*out = NULL;
	tg_cache_entry **pp = find_entry(ctx, name, name_len);
	tg_cache_entry *e = *pp;
	if (e && unchanged(db, e)) {
		tg_loaded_ref(e->loaded);
		*out = e->loaded;
		return SQLITE_OK;
	}
	tg_row row;
	int model_at;
	int rc = find_deployed(db, name, name_len, &row, &model_at, err, errlen);
	if (rc == SQLITE_OK && !(e && same_row(e->loaded, &row))) {
		/* Not cached, or another row (or another blob in the same row) is deployed now. */
		tg_loaded *fresh;
		rc = load_row(db, &row, name, name_len, model_at, &fresh, err, errlen);
		if (rc == SQLITE_OK && !e) {
			e = sqlite3_malloc64(sizeof *e);
			if (e) {
				e->loaded = NULL;
				e->next = ctx->entries;
				ctx->entries = e;
				pp = &ctx->entries;
			} else {
				tg_loaded_release(fresh);
				rc = SQLITE_NOMEM;
			}
		}
		if (rc == SQLITE_OK) {
			tg_loaded_release(e->loaded);
			e->loaded = fresh;
		}
	}
	sqlite3_free(row.schema);
	if (rc != SQLITE_OK) {
		if (e)
			drop_entry(pp);   /* gone or broken: the next call looks again and says why */
		return rc;
	}
	remember_versions(db, e);
	tg_loaded_ref(e->loaded);
	*out = e->loaded;
	return SQLITE_OK;
}
