/*
** Model registry (schema: registry/registry.sql) over an open sqlite3 connection.
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

#include <sqlite3.h>

#include "deploy_policy.h"
#include "error.h"
#include "model.h"
#include "registry_txn.h"

#define TG_REG_BUSY_MS_DEFAULT 10000


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
** tg_reg_open for a run that stores a model: a database without the registry schema is
** left without it, and tg_reg_store creates it in the store's own transaction, so that
** a store that fails (a full disk, a lock) leaves no empty registry behind either.
** Until then tg_reg_find finds nothing in it.
*/
int tg_reg_open_for_store(const char *path, int busy_ms, const char *what, sqlite3 **db, char *err,
                          size_t errlen);

/*
** Opens an existing registry read-only (the verbs that only read): never creates,
** upgrades or writes anything.  TG_REG_NOTFOUND ("no such database: PATH", or no table
** tg_models in it) when there is nothing to read.
*/
int tg_reg_open_readonly(const char *path, int busy_ms, sqlite3 **db, char *err, size_t errlen);

/* Upgrades an older tg-train's tables (schema_upgrade.h), then tg_reg_create_schema. */
int tg_reg_ensure_schema(sqlite3 *db, char *err, size_t errlen);

/* Runs registry/registry.sql (idempotent) in one transaction (a SAVEPOINT inside the
** caller's) when db lacks any of what it creates; else writes nothing. */
int tg_reg_create_schema(sqlite3 *db, char *err, size_t errlen);

/* The embedded text of registry/registry.sql. */
const char *tg_reg_schema_sql(void);

/* A metric from a metrics JSON column, as SQL: the number, or NULL when absent or not a number. */
#define TG_METRIC(path)                                                      \
	"CASE WHEN json_type(metrics, '" path "') IN ('integer', 'real') "   \
	"THEN json_extract(metrics, '" path "') END"

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
** the deployed model of its name, in one transaction, which creates the registry schema
** first if the database lacks it (tg_reg_open_for_store); "other data" is another data_sha256.
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
** Deploys model id for its name (undeploying the previous one) and logs it.  Deploying
** the model that is already deployed changes and logs nothing.  TG_REG_NOTFOUND if no
** model has that id.
*/
int tg_reg_deploy(sqlite3 *db, int64_t id, char *err, size_t errlen);

/*
** Redeploys the model that was deployed before the current one for name (NULL: default),
** following the deployment log as a stack (see registry/verbs.h), skipping models that
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

#endif
