/* tg_model([name]) describes the model a statement would use; tg_version() and
** tg_debug() the build. */
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "sql_functions.h"
#include "sql_call.h"
#include "json.h"
#include "version.h"

/* A registry column as JSON: numbers as numbers, text as a string, NULL as null. */
static void append_column(sqlite3_str *out, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		sqlite3_str_appendf(out, "%lld", sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		tg_json_number(out, sqlite3_column_double(st, i), 17);
		break;
	case SQLITE_NULL:
		sqlite3_str_appendall(out, "null");
		break;
	default: {
		const char *s = (const char *)sqlite3_column_text(st, i);
		tg_json_string(out, s ? s : "", (size_t)sqlite3_column_bytes(st, i));
	}
	}
}

/* A JSON column embedded as JSON (minified by SQLite's json(); NULL as null). */
static void append_json_column(sqlite3_str *out, sqlite3_stmt *st, int i)
{
	const char *json = (const char *)sqlite3_column_text(st, i);
	sqlite3_str_appendall(out, json ? json : "null");
}

#define TG_MODEL_METADATA_SQL                                                      \
	"SELECT created_at, format,"                                               \
	" json(metrics), json(params), data_sha256 FROM \"%w\".tg_models WHERE id = ?1"

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
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf(TG_MODEL_METADATA_SQL, m->schema);
	int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, m->id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		/* A row that vanished since the model was loaded reads as DONE: say so too. */
		char *msg = rc == SQLITE_NOMEM ? NULL
		          : sqlite3_mprintf("tg: cannot read the registry row of model %lld: %s", m->id,
		                            rc == SQLITE_DONE ? "it was deleted" : sqlite3_errmsg(db));
		sqlite3_finalize(st);
		tg_result_cache_error(c, rc == SQLITE_DONE ? SQLITE_ERROR : rc, msg);
		tg_call_end(&call);
		return;
	}
	const tg_model *model = m->model;
	sqlite3_str *out = sqlite3_str_new(db);
	sqlite3_str_appendf(out, "{\"id\":%lld,\"name\":", m->id);
	tg_json_string(out, m->name, (size_t)m->name_len);
	sqlite3_str_appendall(out, ",\"schema\":");
	tg_json_string(out, m->schema, strlen(m->schema));
	sqlite3_str_appendall(out, ",\"created_at\":");
	append_column(out, st, 0);
	sqlite3_str_appendall(out, ",\"format\":");
	append_column(out, st, 1);
	sqlite3_str_appendall(out, ",\"labels\":[");
	for (uint32_t k = 0; k < model->n_labels; k++) {
		if (k)
			sqlite3_str_appendchar(out, 1, ',');
		sqlite3_str_append(out, m->label_json[k], (int)m->label_json_len[k]);
	}
	sqlite3_str_appendall(out, "],\"thresholds\":{");
	for (uint32_t k = 0; k < model->n_labels; k++) {
		if (k)
			sqlite3_str_appendchar(out, 1, ',');
		sqlite3_str_append(out, m->label_json[k], (int)m->label_json_len[k]);
		sqlite3_str_appendchar(out, 1, ':');
		tg_json_number(out, model->params[k].threshold, 6);
	}
	sqlite3_str_appendall(out, "},\"metrics\":");
	append_json_column(out, st, 2);
	sqlite3_str_appendall(out, ",\"params\":");
	append_json_column(out, st, 3);
	sqlite3_str_appendf(out, ",\"n_features\":%u,\"blob_bytes\":%llu,\"data_sha256\":", model->n_rows,
	                    (unsigned long long)model->mem_bytes);
	append_column(out, st, 4);
	sqlite3_str_appendchar(out, 1, '}');
	sqlite3_finalize(st);
	if (sqlite3_str_errcode(out) != SQLITE_OK) {
		sqlite3_free(sqlite3_str_finish(out));
		sqlite3_result_error_nomem(c);
	} else {
		int n = sqlite3_str_length(out);
		tg_result_json(c, sqlite3_str_finish(out), (size_t)n);
	}
	tg_call_end(&call);
}

void tg_version_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_text(c, TG_VERSION, -1, SQLITE_STATIC);
}

/* What a bug report needs, one "key: value" per line, as sqlite-vec's vec_debug(). */
void tg_debug_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	char *text = sqlite3_mprintf("tg %s\nbuilt: %s %s\ncompiler: %s\nsimd: %s\n"
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
