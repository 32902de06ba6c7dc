/* Opening a registry and giving it its schema; see registry.h and registry/registry.sql. */
#include "registry.h"

#include <string.h>
#include <sys/stat.h>

#include "schema_upgrade.h"
#include "schema_sql.h" /* generated from registry/registry.sql by registry/embed.sh (build/gen/) */

const char *tg_reg_schema_sql(void)
{
	return tg_registry_schema_sql;
}

/*
** 1 when db already has every table and index registry/registry.sql creates (their names, as
** the schema creates them in an empty in-memory database), 0 when not, -1 on an error.
** Only reads: a registry with its schema needs no write lock to be opened, so that a verb
** that writes nothing (deploying the deployed model) is not stopped by a reader.
*/
static int has_schema(sqlite3 *db)
{
	sqlite3 *mem = NULL;
	sqlite3_stmt *names = NULL, *have = NULL;
	int rc = sqlite3_open(":memory:", &mem);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(mem, tg_registry_schema_sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(mem, "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite%'", -1, &names, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE name = ?1", -1, &have, NULL);
	int all = 1;
	while (rc == SQLITE_OK && all && (rc = sqlite3_step(names)) == SQLITE_ROW) {
		rc = sqlite3_bind_text(have, 1, (const char *)sqlite3_column_text(names, 0), -1, SQLITE_TRANSIENT);
		int step = rc == SQLITE_OK ? sqlite3_step(have) : rc;
		all = step == SQLITE_ROW;
		rc = step == SQLITE_ROW || step == SQLITE_DONE ? sqlite3_reset(have) : step;
	}
	sqlite3_finalize(names);
	sqlite3_finalize(have);
	sqlite3_close(mem);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? all : -1;
}

static int create_schema(sqlite3 *db, void *unused, char *err, size_t errlen)
{
	(void)unused;
	int rc = sqlite3_exec(db, tg_registry_schema_sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? TG_REG_OK : tg_reg_sqlerr(db, rc, err, errlen, "creating the registry schema");
}

int tg_reg_create_schema(sqlite3 *db, char *err, size_t errlen)
{
	if (has_schema(db) == 1)
		return TG_REG_OK;
	return tg_reg_in_txn(db, "creating the registry schema", create_schema, NULL, err, errlen);
}

int tg_reg_ensure_schema(sqlite3 *db, char *err, size_t errlen)
{
	int code = tg_schema_upgrade(db, err, errlen);
	return code ? code : tg_reg_create_schema(db, err, errlen);
}

static int open_rw(const char *path, int busy_ms, int schema, sqlite3 **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!path)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "no database path given: opening the registry");
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		int code = tg_reg_errf(err, errlen, TG_REG_ERROR, "%s: opening registry database '%s'",
		                       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), path);
		sqlite3_close(db);
		return code;
	}
	sqlite3_busy_timeout(db, busy_ms < 0 ? TG_REG_BUSY_MS_DEFAULT : busy_ms);
	rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int code = tg_reg_sqlerr(db, rc, err, errlen, "enabling foreign keys in '%s'", path);
		sqlite3_close(db);
		return code;
	}
	int code = schema ? tg_reg_ensure_schema(db, err, errlen) : tg_schema_upgrade(db, err, errlen);
	if (code) {
		sqlite3_close(db);
		return code;
	}
	*out = db;
	return TG_REG_OK;
}

/* open_rw, a failure's message ending with what the registry is opened for. */
static int open_for(const char *path, int busy_ms, int schema, const char *what, sqlite3 **out, char *err,
                    size_t errlen)
{
	int code = open_rw(path, busy_ms, schema, out, err, errlen);
	/* The verb's operation after the step that failed: "...: deploying model 3". */
	size_t n = err && errlen ? strlen(err) : 0;
	if (code && what && n + 1 < errlen)
		tg_errf(err + n, errlen - n, ": %s", what);
	return code;
}

int tg_reg_open(const char *path, int busy_ms, const char *what, sqlite3 **out, char *err, size_t errlen)
{
	return open_for(path, busy_ms, 1, what, out, err, errlen);
}

int tg_reg_open_for_store(const char *path, int busy_ms, const char *what, sqlite3 **out, char *err, size_t errlen)
{
	return open_for(path, busy_ms, 0, what, out, err, errlen);
}

int tg_reg_open_readonly(const char *path, int busy_ms, sqlite3 **out, char *err, size_t errlen)
{
	*out = NULL;
	struct stat st;
	if (!path)
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "no database path given: opening the registry");
	if (stat(path, &st) != 0)
		return tg_reg_errf(err, errlen, TG_REG_NOTFOUND, "no such database: %s", path);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, busy_ms < 0 ? TG_REG_BUSY_MS_DEFAULT : busy_ms);
		sqlite3_stmt *q = NULL;
		rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'tg_models'",
		                        -1, &q, NULL);
		int step = rc == SQLITE_OK ? sqlite3_step(q) : rc;
		sqlite3_finalize(q);
		if (step == SQLITE_DONE) {
			sqlite3_close(db);
			return tg_reg_errf(err, errlen, TG_REG_NOTFOUND, "no registry (table tg_models) in %s", path);
		}
		rc = step == SQLITE_ROW ? SQLITE_OK : step;
	}
	if (rc != SQLITE_OK) {
		int code = tg_reg_sqlerr(db, rc, err, errlen, "opening registry database '%s' read-only", path);
		sqlite3_close(db);
		return code;
	}
	*out = db;
	return TG_REG_OK;
}
