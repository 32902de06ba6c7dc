/*
** Model registry (schema: sql/registry.sql) over an open sqlite3 connection.
**
** Conventions, the same for every function here and in movies_table.h:
**   - return TG_REG_OK (0) or one of the TG_REG_* codes below;
**   - errors as error.h says: err/errlen last, a caller's buffer (TG_ERR_MAX bytes
**     hold any message), on failure a message that starts with the cause ("database is
**     locked: ...", "no model with id 7", "CHECK constraint failed: ..."); on success
**     err is not touched;
**   - names and ids are always bound parameters, never spliced into SQL;
**   - every verb that writes is atomic.  If the connection is in autocommit mode it runs
**     in its own BEGIN IMMEDIATE ... COMMIT; if the caller already has a transaction open
**     it runs inside a SAVEPOINT of it, so it composes with other writes (e.g. the movies
**     table) into one commit.  On any error the verb's changes are rolled back and the
**     registry is as it was (the caller's transaction, if any, stays open).  Callers that
**     open their own transaction should use BEGIN IMMEDIATE: a deferred transaction that
**     has already read cannot wait for the write lock and fails with TG_REG_BUSY at once;
**   - a database still locked after the busy timeout gives TG_REG_BUSY.
*/
#ifndef TG_REGISTRY_H
#define TG_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "deploy_policy.h"
#include "error.h"
#include "model.h"

#define TG_REG_BUSY_MS_DEFAULT 10000

enum {
	TG_REG_OK = 0,
	TG_REG_ERROR = 1,    /* SQLite or I/O error, constraint violation, out of memory */
	TG_REG_BUSY = 2,     /* database locked by another connection past the timeout */
	TG_REG_NOTFOUND = 3, /* no such model / nothing to roll back to */
	TG_REG_MISUSE = 4    /* bad argument */
};

/* ---- connection ---------------------------------------------------------------- */

/*
** Opens (creating if needed) a database for reading and writing, sets the busy timeout
** (busy_ms < 0: TG_REG_BUSY_MS_DEFAULT; 0: fail at once when locked), turns on foreign
** keys and ensures the registry schema.  *db is NULL on failure.  what (or NULL) names
** the operation it is opened for, which a failure's message ends with ("database is
** locked (another process holds it): creating the registry schema: deploying model 3").
*/
int tg_reg_open(const char *path, int busy_ms, const char *what, sqlite3 **db, char *err, size_t errlen);

/*
** Opens an existing registry read-only (the verbs that only read): never creates,
** upgrades or writes anything.  TG_REG_NOTFOUND ("no such database: PATH", or no table
** tg_models in it) when there is nothing to read.
*/
int tg_reg_open_readonly(const char *path, int busy_ms, sqlite3 **db, char *err, size_t errlen);

/* Runs sql/registry.sql (idempotent) in one transaction on an already open connection. */
int tg_reg_ensure_schema(sqlite3 *db, char *err, size_t errlen);

/* The embedded text of sql/registry.sql. */
const char *tg_reg_schema_sql(void);

/* ---- storing ------------------------------------------------------------------- */

typedef struct tg_model_record {
	const char *name;        /* NULL: TG_DEFAULT_MODEL */
	int format;              /* blob format version */
	const char *params;      /* JSON text, stored verbatim */
	const char *metrics;     /* JSON text with $.validation.micro_f1, $.test.{micro_f1,macro_f1,p_at_1} */
	const char *data_sha256; /* hex digest of the input file */
	const void *blob;        /* the serialized model, blob_len > 0 bytes */
	size_t blob_len;
	const char *created_at;  /* NULL: now; else kept (tg-train import copies it) */
} tg_model_record;

typedef struct tg_store_result {
	int64_t id;              /* the new model's id */
	int deployed;            /* 1 if the new model is now the deployed one */
	int64_t prev_id;         /* model deployed for the name before the store, 0 if none */
	int has_new_score;       /* new model's metrics have a numeric $.validation.micro_f1 */
	double new_score;
	int has_prev_score;      /* previous deployed model exists and has that score */
	double prev_score;
	char reason[160];        /* human-readable decision, e.g. "0.610000 > 0.580000 of deployed model 3" */
} tg_store_result;

/*
** Inserts the model and applies the policy (tg_deploy_decide, deploy_policy.h) to it and
** the deployed model of its name, in one transaction; "other data" is another data_sha256.
** A deployment is logged in tg_deployments (action 'deploy').  res may be NULL; on
** failure it is zeroed and nothing was stored.
*/
int tg_reg_store(sqlite3 *db, const tg_model_record *m, tg_deploy_policy policy,
                 tg_store_result *res, char *err, size_t errlen);

/* TG_REG_OK when m's params and metrics are valid JSON, which tg_reg_store requires;
** db is any connection (the check runs json()). */
int tg_reg_check_json(sqlite3 *db, const tg_model_record *m, char *err, size_t errlen);

/*
** The newest model with exactly this name, data_sha256 and params text: *id = its id, or
** 0 when there is none (still TG_REG_OK).  name NULL: TG_DEFAULT_MODEL.
*/
int tg_reg_find(sqlite3 *db, const char *name, const char *data_sha256, const char *params,
                int64_t *id, char *err, size_t errlen);

/*
** A model identical to m (same name, data_sha256, params text and blob): *id = the
** newest such id, or 0 when there is none (still TG_REG_OK).
*/
int tg_reg_find_identical(sqlite3 *db, const tg_model_record *m, int64_t *id, char *err, size_t errlen);

/* The id of the deployed model of name (NULL: default), 0 if none. */
int tg_reg_deployed(sqlite3 *db, const char *name, int64_t *id, char *err, size_t errlen);

/* ---- lifecycle verbs ----------------------------------------------------------- */

/*
** Prints models (all names if name is NULL) as an aligned table: id, name, created_at,
** deployed, test micro_f1 / macro_f1 / p@1 ("-" when absent) and blob size in bytes,
** ordered by name then id.  Reads one consistent snapshot.
*/
int tg_reg_list(sqlite3 *db, const char *name, FILE *out, char *err, size_t errlen);

/*
** Deploys model id for its name (undeploying the previous one) and logs it.  Deploying
** the model that is already deployed changes and logs nothing.  TG_REG_NOTFOUND if no
** model has that id.
*/
int tg_reg_deploy(sqlite3 *db, int64_t id, char *err, size_t errlen);

/*
** Redeploys the model that was deployed before the current one for name (NULL: default),
** following the deployment log as a stack (see sql/registry.sql), skipping models that
** were deleted since; logs it as 'rollback'.  *id (may be NULL) gets the redeployed id.
** TG_REG_NOTFOUND when there is no earlier deployment to return to; nothing changes then.
*/
int tg_reg_rollback(sqlite3 *db, const char *name, int64_t *id, char *err, size_t errlen);

/*
** Deletes the undeployed models of name (NULL: default) except the newest `keep` of
** them (by id); the deployed model is never deleted and not counted in `keep`.  Their
** deployment-log rows go too.  *n_deleted (may be NULL) gets the number of models deleted.
*/
int tg_reg_prune(sqlite3 *db, const char *name, int keep, int *n_deleted, char *err, size_t errlen);

/* ---- shared helpers (also used by movies_table.c) ------------------------------ */

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
** Write transaction scope, see the conventions above: BEGIN IMMEDIATE when the
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

#endif
