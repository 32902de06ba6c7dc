/* tg_model([name]) describes the model a statement would use; tg_version() and
** tg_debug() the build. */
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "sql_functions.h"
#include "sql_call.h"
#include "json.h"
#include "version.h"
#include "lookups.h" /* registry/: the registry's SQL */

/* The labels as a JSON array and the thresholds as an object, from the labels' JSON
** text that the cache keeps; the thresholds with 6 significant digits. */
static void append_labels(sqlite3_str *labels, sqlite3_str *thresholds, const tg_loaded *m)
{
	sqlite3_str_appendchar(labels, 1, '[');
	sqlite3_str_appendchar(thresholds, 1, '{');
	for (uint32_t k = 0; k < m->model->n_labels; k++) {
		if (k) {
			sqlite3_str_appendchar(labels, 1, ',');
			sqlite3_str_appendchar(thresholds, 1, ',');
		}
		sqlite3_str_append(labels, m->label_json[k], (int)m->label_json_len[k]);
		sqlite3_str_append(thresholds, m->label_json[k], (int)m->label_json_len[k]);
		sqlite3_str_appendchar(thresholds, 1, ':');
		tg_json_number(thresholds, m->model->params[k].threshold, 6);
	}
	sqlite3_str_appendchar(labels, 1, ']');
	sqlite3_str_appendchar(thresholds, 1, '}');
}

/* Binds the parameters of TG_SQL_MODEL_METADATA (registry/lookups.h); SQLITE_OK or the error. */
static int bind_model(sqlite3_stmt *st, const tg_loaded *m, sqlite3_str *labels, sqlite3_str *thresholds)
{
	int rc = sqlite3_str_errcode(labels) ? sqlite3_str_errcode(labels) : sqlite3_str_errcode(thresholds);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, m->id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, m->name, m->name_len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 3, m->schema, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 4, sqlite3_str_value(labels), sqlite3_str_length(labels), SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 5, sqlite3_str_value(thresholds), sqlite3_str_length(thresholds),
		                       SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 6, m->model->n_rows);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 7, (sqlite3_int64)m->model->mem_bytes);
	return rc;
}

void tg_model_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	int name_len;
	const char *name = tg_call_name(c, argc, argv, 0, "tg_model", &name_len);
	if (!name)
		return;
	tg_call call;
	tg_loaded *m = tg_call_model(c, name, name_len, &call);
	if (!m)
		return;
	sqlite3 *db = sqlite3_context_db_handle(c);
	sqlite3_str *labels = sqlite3_str_new(db), *thresholds = sqlite3_str_new(db);
	append_labels(labels, thresholds, m);
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf(TG_SQL_MODEL_METADATA, m->schema);
	int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc == SQLITE_OK)
		rc = bind_model(st, m, labels, thresholds);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	const char *json = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (json) {
		/* Copied: the row's text lives only until the statement is finalized. */
		sqlite3_result_text(c, json, sqlite3_column_bytes(st, 0), SQLITE_TRANSIENT);
		sqlite3_result_subtype(c, TG_JSON_SUBTYPE);
	} else if (rc == SQLITE_NOMEM || rc == SQLITE_ROW) {   /* json_object() is never NULL */
		sqlite3_result_error_nomem(c);
	} else {
		/* A row that vanished since the model was loaded reads as DONE: say so too. */
		char *msg = sqlite3_mprintf("tg: cannot read the registry row of model %lld: %s", m->id,
		                            rc == SQLITE_DONE ? "it was deleted" : sqlite3_errmsg(db));
		tg_result_error_free(c, rc == SQLITE_DONE ? SQLITE_ERROR : rc, msg);
	}
	sqlite3_finalize(st);
	sqlite3_free(sqlite3_str_finish(labels));
	sqlite3_free(sqlite3_str_finish(thresholds));
	tg_call_end(&call);
}

void tg_version_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_text(c, TG_VERSION, -1, SQLITE_STATIC);
}

/* The platform tg.so was built for, as os/arch: which package a user installed. */
#if defined(_WIN32)
#define TG_OS "windows"
#elif defined(__APPLE__)
#define TG_OS "macos"
#elif defined(__linux__)
#define TG_OS "linux"
#elif defined(__EMSCRIPTEN__)
#define TG_OS "emscripten"
#else
#define TG_OS "unknown"
#endif
#if defined(__x86_64__)
#define TG_ARCH "x86_64"
#elif defined(__aarch64__)
#define TG_ARCH "aarch64"
#elif defined(__wasm32__)
#define TG_ARCH "wasm32"
#else
#define TG_ARCH "unknown"
#endif

/* What a bug report needs, one "key: value" per line, as sqlite-vec's vec_debug(). */
void tg_debug_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	char *text = sqlite3_mprintf("tg %s\nbuilt: %s %s\nplatform: " TG_OS "/" TG_ARCH "\ncompiler: %s\nsimd: %s\n"
	                             "sqlite built against: %s\nsqlite running: %s",
	                             TG_VERSION, __DATE__, __TIME__,
#if defined(__clang__)
	                             "clang " __clang_version__,
#elif defined(__GNUC__)
	                             "gcc " __VERSION__,
#else
	                             "unknown",
#endif
	                             tg_simd_path(), SQLITE_VERSION, sqlite3_libversion());
	if (text)
		sqlite3_result_text(c, text, -1, sqlite3_free);
	else
		sqlite3_result_error_nomem(c);
}
