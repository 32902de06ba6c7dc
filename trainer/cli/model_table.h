/* tg-train list: the registry's models as a table. */
#ifndef TG_MODEL_TABLE_H
#define TG_MODEL_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "registry.h"

/*
** Prints models (all names if name is NULL) as an aligned table: id, name, created_at,
** deployed, test micro_f1 / macro_f1 / p@1 ("-" when absent) and blob size in bytes,
** ordered by name then id.  Reads one consistent snapshot.  Returns as registry.h's
** functions do.
*/
int tg_reg_list(sqlite3 *db, const char *name, FILE *out, char *err, size_t errlen);

#endif
