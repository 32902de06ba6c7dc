/* Finding the deployed row of a name; see registry_lookup.h. */
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "registry_lookup.h"
#include "error.h"
#include "endian_io.h"
#include "model.h"
#include "lookups.h" /* registry/: the registry's SQL */

int tg_sql_errf(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		sqlite3_vsnprintf(errlen > INT_MAX ? INT_MAX : (int)errlen, err, fmt, ap);
		va_end(ap);
	}
	return rc;
}

const char *tg_registry_where(const char *schema, char *buf, size_t len)
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

int tg_data_version(sqlite3 *db, const char *schema, unsigned *v)
{
	*v = 0;
	return sqlite3_file_control(db, schema, SQLITE_FCNTL_DATA_VERSION, v) == SQLITE_OK;
}

/* SQLITE_ROW when the schema has a table or view tg_models, SQLITE_DONE when not. */
static int registry_exists(sqlite3 *db, const char *schema)
{
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf(TG_SQL_HAS_REGISTRY, schema);
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
	return !tg_data_version(db, schema, &v);
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
		char *sql = sqlite3_mprintf(TG_SQL_MODELS_OF_NAME, schema);
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
		return tg_sql_errf(err, errlen, SQLITE_ERROR, "tg: no deployed model named '%.*q'", name_len, name);
	char where[200], table[TG_ERR_MAX];   /* the message holds no more */
	const char *in = tg_registry_where(in_schema, where, sizeof where);
	if (trained == 0)
		return tg_sql_errf(err, errlen, SQLITE_ERROR,
		                     "tg: no deployed model named '%.*q': tg_models%s has no model of that name; "
		                     "train one with tg-train", name_len, name, in);
	return tg_sql_errf(err, errlen, SQLITE_ERROR,
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
		return tg_sql_errf(err, errlen, SQLITE_ERROR,
		                     "tg: several models named '%.*q' are deployed%s, two of them with id %lld; give "
		                     "every row of %s an id of its own, then deploy exactly one", name_len, name,
		                     tg_registry_where(schema, where, sizeof where), lo, registry_name(schema, table, sizeof table));
	return tg_sql_errf(err, errlen, SQLITE_ERROR,
	                     "tg: several models named '%.*q' are deployed%s (ids %lld and %lld); deploy exactly one, "
	                     "e.g. UPDATE %s SET deployed = (id = %lld) WHERE name = '%.*q'",
	                     name_len, name, tg_registry_where(schema, where, sizeof where), lo, hi,
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
	char *sql = sqlite3_mprintf(TG_SQL_BLOB_CHECKSUM, row->schema,
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
		TG_SQL_DEPLOYED_ROW,
		/* views and WITHOUT ROWID tables have no rowid: their blobs are read as values */
		TG_SQL_DEPLOYED_ROW_NO_ROWID,
	};
	char where[200];
	const char *in = tg_registry_where(schema, where, sizeof where);
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
			rc = tg_sql_errf(err, errlen, rc, "tg: cannot read the model registry (table tg_models%s): %s", in,
			                   sqlite3_errmsg(db));
		sqlite3_finalize(st);
	} else if (rc != SQLITE_DONE && rc != SQLITE_NOMEM) {
		rc = tg_sql_errf(err, errlen, rc, "tg: cannot read the model registry (table tg_models%s): %s", in,
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

/* See registry_lookup.h. */
int tg_registry_find(sqlite3 *db, const char *name, int name_len, tg_row *row, int *model_at, char *err, size_t errlen)
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
			rc = tg_sql_errf(err, errlen, SQLITE_ERROR, "tg: no model registry (table tg_models) in schema '%q'; "
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
		return tg_sql_errf(err, errlen, SQLITE_ERROR,
		                     "tg: no model registry (table tg_models) in this database; train one with tg-train, "
		                     "or ATTACH a model database such as tg's genre.db");
	return rc;
}
