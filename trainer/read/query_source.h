/* Training films from a SQL query over the user's own tables (tg-train --query). */
#ifndef TG_QUERY_SOURCE_H
#define TG_QUERY_SOURCE_H

#include <sqlite3.h>
#include "dataset.h"
#include "sha256.h"

/* Runs sql, one read-only statement (anything else is refused before it runs), on db
** and adds its rows to d.  Columns are found by name: overview and
** genres are required, id optional (without id, the row's 1-based number stands in
** for it, which decides its split), title required when need_title, else optional.  A row whose genres cannot be parsed is
** listed as malformed, by row number.  The rows are hashed into fp (for the registry's
** "nothing changed" test).  Returns 0, or -1 with a message. */
int tg_dataset_read_query(tg_dataset *d, sqlite3 *db, const char *sql, int need_title, tg_sha256 *fp,
                          char *err, size_t errlen);

#endif
