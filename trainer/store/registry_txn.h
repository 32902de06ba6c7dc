/*
** What every write to a tg database shares (registry.c, registry_open.c,
** schema_upgrade.c, movies_table.c): the TG_REG_* codes and messages of registry.h's
** conventions, write transactions that compose with the caller's, and statements with
** bound parameters.
*/
#ifndef TG_REGISTRY_TXN_H
#define TG_REGISTRY_TXN_H

#include <stddef.h>

#include <sqlite3.h>

#include "error.h"

enum {
	TG_REG_OK = 0,
	TG_REG_ERROR = 1,    /* SQLite or I/O error, constraint violation, out of memory */
	TG_REG_BUSY = 2,     /* database locked by another connection past the timeout */
	TG_REG_NOTFOUND = 3, /* no such model / nothing to roll back to */
	TG_REG_MISUSE = 4    /* bad argument */
};

/* tg_errf, returning code. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
int tg_reg_errf(char *err, size_t errlen, int code, const char *fmt, ...);

/*
** Writes "<sqlite3_errmsg(db)>: <context>" into err and returns TG_REG_BUSY for
** SQLITE_BUSY/SQLITE_LOCKED rc, else TG_REG_ERROR.  Call before any rollback, which
** would overwrite the connection's error message.
*/
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
int tg_reg_sqlerr(sqlite3 *db, int rc, char *err, size_t errlen, const char *fmt, ...);

/*
** Write transaction scope, see registry.h's conventions: BEGIN IMMEDIATE when the
** connection is in autocommit mode, else SAVEPOINT.  `what` names the operation in
** error messages.  After a successful tg_txn_begin call exactly one of commit/rollback.
** tg_txn_commit rolls back by itself when the commit fails.  Rolling back an own
** transaction also finishes a rollback SQLite deferred after an I/O error, so the file
** is left without a hot journal (see tg_reg_journal_left).
*/
typedef struct tg_txn {
	int own;                 /* 1: BEGIN IMMEDIATE, 0: SAVEPOINT in the caller's transaction */
} tg_txn;
int tg_txn_begin(sqlite3 *db, tg_txn *t, const char *what, char *err, size_t errlen);
int tg_txn_commit(sqlite3 *db, tg_txn *t, const char *what, char *err, size_t errlen);
void tg_txn_rollback(sqlite3 *db, tg_txn *t);

/*
** After a failed write: TG_REG_ERROR with a message when a hot rollback journal is still
** next to the database (its rollback could not be written), else TG_REG_OK.
*/
int tg_reg_journal_left(sqlite3 *db, char *err, size_t errlen);

/*
** Runs body(db, arg, err, errlen) in one tg_txn: commits when it returns TG_REG_OK, else
** rolls back and returns its code.  what names the operation in the messages of BEGIN
** and COMMIT.
*/
typedef int (*tg_txn_body)(sqlite3 *db, void *arg, char *err, size_t errlen);
int tg_reg_in_txn(sqlite3 *db, const char *what, tg_txn_body body, void *arg, char *err, size_t errlen);

/*
** Prepares sql and binds arguments given by types: 't' const char * (NULL binds NULL),
** 'i' int64_t.  On failure *st is NULL and err names what with the cause.
*/
int tg_q_prepare(sqlite3 *db, sqlite3_stmt **st, char *err, size_t errlen, const char *what, const char *sql,
                 const char *types, ...);

/* Steps a prepared statement to completion and finalizes it. */
int tg_q_finish(sqlite3 *db, sqlite3_stmt *st, char *err, size_t errlen, const char *what);

/* Steps a statement that returns at most one row; *found says whether it did.  The
** caller finalizes it (reading the row first). */
int tg_q_row(sqlite3 *db, sqlite3_stmt *st, int *found, char *err, size_t errlen, const char *what);

#endif
