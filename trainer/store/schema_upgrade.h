/*
** Upgrades tables written by older tg-train versions so the database stays readable with
** PRAGMA trusted_schema=OFF (SQLite's recommended hardening): their CHECK (json_valid(...))
** clauses made every read fail with "unsafe use of json_valid()", since SQLite does not
** allow JSON functions in an untrusted schema.
*/
#ifndef TG_SCHEMA_UPGRADE_H
#define TG_SCHEMA_UPGRADE_H

#include <stddef.h>

#include <sqlite3.h>

/*
** Rebuilds tg_models and movies without their json_valid CHECKs if they have them, in one
** transaction (SQLite's create-copy-drop-rename procedure), keeping every row and rowid,
** the AUTOINCREMENT sequence, indexes and triggers.  Does nothing (and writes nothing)
** when there is nothing to upgrade.  Needs autocommit mode (it turns foreign keys off
** around the rebuild, so that dropping the old table cascades nowhere).  Returns
** TG_REG_OK or a TG_REG_* code with err set (registry.h conventions).
*/
int tg_schema_upgrade(sqlite3 *db, char *err, size_t errlen);

#endif
