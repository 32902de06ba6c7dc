/*
** Reading the model of the deployed row that registry_lookup found, as the cache's
** tg_loaded (model_cache.h).
*/
#ifndef TG_MODEL_READ_H
#define TG_MODEL_READ_H

#include <stddef.h>

#include "model_cache.h"
#include "registry_lookup.h"

/*
** Reads and loads the model of row, the deployed row of key (key_len bytes, the
** model's own name from model_at).  Returns SQLITE_OK with *out a new tg_loaded
** holding one reference; SQLITE_NOMEM; or another error with err set ("tg: model 3
** ('genre') is damaged: ...").
*/
int tg_row_load(sqlite3 *db, const tg_row *row, const char *key, int key_len, int model_at, tg_loaded **out,
                char *err, size_t errlen);

#endif
