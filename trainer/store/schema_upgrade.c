/* See schema_upgrade.h. */
#include "schema_upgrade.h"

#include <stdlib.h>
#include <string.h>

#include "registry_txn.h"

/* What older versions wrote; an upgraded table has none of it. */
static const char old_check[] = "CHECK (json_valid(";
static const char *const tables[] = { "tg_models", "movies" };

/* sql without its " CHECK (json_valid(x))" clauses (sqlite3_malloc'd), or NULL. */
static char *strip_checks(const char *sql)
{
	char *s = sqlite3_mprintf("%s", sql);
	char *at;
	while (s && (at = strstr(s, old_check)) != NULL) {
		char *end = strstr(at, "))");
		if (!end) {
			sqlite3_free(s);
			return NULL;
		}
		while (at > s && at[-1] == ' ')
			at--;
		memmove(at, end + 2, strlen(end + 2) + 1);
	}
	if (s && strstr(s, "json_valid(")) {
		sqlite3_free(s);
		return NULL;
	}
	return s;
}

/* The first column of a one-row query with one text parameter, sqlite3_malloc'd; NULL if
** none.  what names the step in a failure's message. */
static int text_query(sqlite3 *db, const char *sql, const char *arg, const char *what, char **out, char *err,
                      size_t errlen)
{
	sqlite3_stmt *st = NULL;
	*out = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && sqlite3_column_text(st, 0)) {
			*out = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
			if (!*out)
				rc = SQLITE_NOMEM;
		}
		if (rc == SQLITE_ROW || rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	int code = rc == SQLITE_OK ? TG_REG_OK : tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
	sqlite3_finalize(st);
	return code;
}

/*
** Inside the transaction: renames the table aside, creates it anew from its stripped
** definition, copies the rows, hands the old AUTOINCREMENT sequence over, drops the old
** one and recreates its indexes and triggers.
*/
static int rebuild(sqlite3 *db, const char *table, const char *old_sql, char *err, size_t errlen)
{
	char *new_sql = strip_checks(old_sql), *extra = NULL, *steps = NULL;
	if (!new_sql)
		return tg_reg_errf(err, errlen, TG_REG_ERROR, "unexpected definition of table %s, not upgraded:"
		                   " upgrading the schema of an older tg-train", table);
	int code = text_query(db,
	                      "SELECT group_concat(sql, ';') FROM sqlite_schema"
	                      " WHERE type IN ('index', 'trigger') AND tbl_name = ?1 AND sql IS NOT NULL",
	                      table, "reading the registry's schema", &extra, err, errlen);
	/* An AUTOINCREMENT table's sequence moved with the rename; it goes back to the new one. */
	char *seq = strstr(new_sql, "AUTOINCREMENT")
	            ? sqlite3_mprintf("DELETE FROM sqlite_sequence WHERE name = %Q;"
	                              "UPDATE sqlite_sequence SET name = %Q WHERE name = '%q_tg_old';",
	                              table, table, table)
	            : sqlite3_mprintf("%s", "");
	if (!code) {
		steps = sqlite3_mprintf("ALTER TABLE \"%w\" RENAME TO \"%w_tg_old\";"
		                        "%s;"
		                        "INSERT INTO \"%w\" SELECT * FROM \"%w_tg_old\";"
		                        "%s"
		                        "DROP TABLE \"%w_tg_old\";"
		                        "%s;",
		                        table, table, new_sql, table, table, seq ? seq : "", table,
		                        extra ? extra : "");
		if (!steps || !seq)
			code = tg_reg_errf(err, errlen, TG_REG_ERROR, "out of memory: upgrading table %s", table);
	}
	if (!code) {
		int rc = sqlite3_exec(db, steps, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			code = tg_reg_sqlerr(db, rc, err, errlen, "upgrading table %s of an older tg-train", table);
	}
	sqlite3_free(steps);
	sqlite3_free(seq);
	sqlite3_free(extra);
	sqlite3_free(new_sql);
	return code;
}

/* Whether any table still has an old CHECK; *needed = 1 if so. */
static int upgrade_needed(sqlite3 *db, int *needed, char *err, size_t errlen)
{
	char *n = NULL;
	int code = text_query(db,
	                      "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
	                      " AND name IN ('tg_models', 'movies') AND instr(sql, ?1) > 0",
	                      old_check, "reading the registry's schema", &n, err, errlen);
	*needed = n && strcmp(n, "0") != 0;
	sqlite3_free(n);
	return code;
}

int tg_schema_upgrade(sqlite3 *db, char *err, size_t errlen)
{
	static const char what[] = "upgrading the schema of an older tg-train";
	int needed = 0;
	int code = upgrade_needed(db, &needed, err, errlen);
	if (code || !needed)
		return code;
	if (!sqlite3_get_autocommit(db))
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "a transaction is open: %s", what);
	/* Foreign keys off, or dropping the old tg_models would cascade to tg_deployments;
	** legacy renames, or tg_deployments' REFERENCES would follow tg_models to its old name. */
	int code2 = TG_REG_OK, fk = 0;
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &fk);
	int rc = sqlite3_exec(db, "PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
	tg_txn t;
	if (!code)
		code = tg_txn_begin(db, &t, what, err, errlen);
	if (!code) {
		for (size_t i = 0; !code && i < sizeof tables / sizeof tables[0]; i++) {
			char *sql = NULL;
			code = text_query(db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
			                  tables[i], "reading the registry's schema", &sql, err, errlen);
			if (!code && sql && strstr(sql, old_check))
				code = rebuild(db, tables[i], sql, err, errlen);
			sqlite3_free(sql);
		}
		if (code)
			tg_txn_rollback(db, &t);
		else
			code = tg_txn_commit(db, &t, what, err, errlen);
	}
	rc = sqlite3_exec(db, fk ? "PRAGMA legacy_alter_table = OFF; PRAGMA foreign_keys = ON"
	                         : "PRAGMA legacy_alter_table = OFF", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		code2 = tg_reg_sqlerr(db, rc, code ? NULL : err, errlen, "%s", what);
	return code ? code : code2;
}
