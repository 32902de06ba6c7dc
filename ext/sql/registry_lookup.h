/*
** The registry lookup of the model cache (model_cache.h): where the deployed row of a
** name is, in the search order that model_cache.h describes, and the messages that say
** why there is none.  Its SQL is registry/lookups.h.
*/
#ifndef TG_REGISTRY_LOOKUP_H
#define TG_REGISTRY_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "sqlite3ext.h"

/* Where the deployed row of a name is, and what identifies its content: a row
** replaced under the same id (a restored backup, a rebuilt table) has another
** length or another checksum in its header, so it is never mistaken for the row
** the cached model came from. */
typedef struct tg_row {
	char *schema;               /* sqlite3_malloc'd */
	sqlite3_int64 id;
	sqlite3_int64 rowid;        /* where the blob is stored; id only in tables tg-train made */
	int has_rowid;              /* 0 for a view or a WITHOUT ROWID table */
	int readable;               /* the model column is a blob or text */
	sqlite3_int64 bytes;
	uint64_t checksum;          /* the header's checksum field; 0 when not read */
} tg_row;

/*
** Finds the row deployed under the name (name_len bytes): the first schema in
** SQLite's search order whose registry deploys it wins.  A name "schema.model" whose
** prefix is a schema of the connection looks in that schema alone, for the model
** named by the rest.  Returns SQLITE_OK with *row filled (the caller frees
** row->schema) and *model_at, where the model's own name starts in name; or an error
** with err set.
*/
int tg_registry_find(sqlite3 *db, const char *name, int name_len, tg_row *row, int *model_at, char *err,
                     size_t errlen);

/* " in schema 'x'" (in buf) for every schema but main, whose messages stay as they
** always were: "". */
const char *tg_registry_where(const char *schema, char *buf, size_t len);

/* SQLITE_FCNTL_DATA_VERSION of a schema in *v, returning 1; 0 (and *v 0) when it has
** no file yet (temp, unused). */
int tg_data_version(sqlite3 *db, const char *schema, unsigned *v);

/* tg_errf (error.h) through SQLite's printf, for its %q and %w; returns rc. */
int tg_sql_errf(char *err, size_t errlen, int rc, const char *fmt, ...);

#endif
