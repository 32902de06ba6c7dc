/*
** tg in the browser: the few entry points the page's JavaScript (web/page/app.js)
** calls, instead of a general SQL API.  SQLite and tg are compiled together to
** WebAssembly; tg registers itself on every connection at SQLite's startup
** (SQLITE_EXTRA_INIT=tg_wasm_extra_init, which hands sqlite3_tg_init to
** sqlite3_auto_extension), just as a program linking tg natively would.
**
** One in-memory connection holds the shipped model database, deserialized from
** the bytes the page fetched.  Each film is answered by one prepared statement
** calling tg_predict, tg_tags, tg_scores and tg_explain on tg_text(title, overview),
** so the page shows exactly what those SQL functions return natively.  Strings handed back stay valid until
** the next call.
*/
#include <stddef.h>

#include "sqlite3.h"
#include "tg.h"
#include "tg_wasm.h"

#define TGW_EXPORT __attribute__((used, visibility("default")))

/* Named by -DSQLITE_EXTRA_INIT; sqlite3_initialize calls it once, at its end. */
int tg_wasm_extra_init(const char *unused);

static sqlite3 *db;
static sqlite3_stmt *answer;
static char *message;   /* the last error, from sqlite3_mprintf */
static char *info;      /* tgw_info()'s JSON, from sqlite3_mprintf */

/* The columns of one answer, in the order tgw_column takes them. */
static const char answer_sql[] =
	"SELECT p, tg_tags(t), tg_scores(t), CASE WHEN p IS NOT NULL THEN tg_explain(t, p) END"
	" FROM (SELECT t, tg_predict(t) AS p FROM (SELECT tg_text(?2, ?1) AS t))";

static const char info_sql[] =
	"SELECT json_object('version', tg_version(), 'sqlite', sqlite_version(), 'model', tg_model())";

int tg_wasm_extra_init(const char *unused)
{
	(void)unused;
	return sqlite3_auto_extension((void (*)(void))sqlite3_tg_init);
}

static int fail(const char *what)
{
	sqlite3_free(message);
	message = sqlite3_mprintf("%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
	return 1;
}

TGW_EXPORT const char *tgw_error(void)
{
	return message ? message : "";
}

TGW_EXPORT void *tgw_alloc(int n)
{
	return sqlite3_malloc(n > 0 ? n : 1);
}

/* The bytes are SQLite's from here on, freed when the connection closes or on failure. */
TGW_EXPORT int tgw_open(unsigned char *bytes, int n)
{
	if (db) {
		sqlite3_free(bytes);
		sqlite3_free(message);
		message = sqlite3_mprintf("tg: the model database is already open");
		return 1;
	}
	if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
		sqlite3_free(bytes);
		return fail("tg: cannot open an in-memory database");
	}
	if (sqlite3_deserialize(db, "main", bytes, n, n,
	                        SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK)
		return fail("tg: cannot read the model database");
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, info_sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		info = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fail("tg: the model database has no usable model");
	if (!info)
		return fail("tg: out of memory");
	if (sqlite3_prepare_v3(db, answer_sql, -1, SQLITE_PREPARE_PERSISTENT, &answer, NULL) != SQLITE_OK)
		return fail("tg: cannot prepare the tagging query");
	return 0;
}

TGW_EXPORT const char *tgw_info(void)
{
	return info ? info : "";
}

/* The texts stay bound, and are freed by SQLite at the next call. */
TGW_EXPORT int tgw_run(char *text, int n, char *title, int title_n)
{
	if (!answer) {
		sqlite3_free(text);
		sqlite3_free(title);
		sqlite3_free(message);
		message = sqlite3_mprintf("tg: no model database is open");
		return 1;
	}
	sqlite3_reset(answer);
	/* SQLite frees each text, even when binding it fails. */
	int rc = sqlite3_bind_text(answer, 1, text, n, sqlite3_free);
	int rc_title = sqlite3_bind_text(answer, 2, title, title_n, sqlite3_free);
	if (rc != SQLITE_OK || rc_title != SQLITE_OK)
		return fail("tg: cannot pass the text to SQLite");
	if (sqlite3_step(answer) != SQLITE_ROW)
		return fail("tg: tagging failed");
	return 0;
}

TGW_EXPORT const char *tgw_column(int i)
{
	if (!answer || i < 0 || i >= sqlite3_column_count(answer))
		return NULL;
	return (const char *)sqlite3_column_text(answer, i);
}
