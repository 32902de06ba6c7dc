/* Messages, transactions and statement helpers of the registry; see registry_txn.h. */
#include "registry_txn.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

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

int tg_reg_in_txn(sqlite3 *db, const char *what, tg_txn_body body, void *arg, char *err, size_t errlen)
{
	tg_txn t;
	int code = tg_txn_begin(db, &t, what, err, errlen);
	if (code)
		return code;
	code = body(db, arg, err, errlen);
	if (code) {
		tg_txn_rollback(db, &t);
		return code;
	}
	return tg_txn_commit(db, &t, what, err, errlen);
}

/* ---- statements ---------------------------------------------------------------- */

int tg_q_prepare(sqlite3 *db, sqlite3_stmt **st, char *err, size_t errlen, const char *what, const char *sql,
                 const char *types, ...)
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

int tg_q_finish(sqlite3 *db, sqlite3_stmt *st, char *err, size_t errlen, const char *what)
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

int tg_q_row(sqlite3 *db, sqlite3_stmt *st, int *found, char *err, size_t errlen, const char *what)
{
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return TG_REG_OK;
	return tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
}
