/* The extension's entry point, for programs that link tg statically:
**   sqlite3_auto_extension((void (*)(void))sqlite3_tg_init);  */
#ifndef TG_H
#define TG_H

#include "sqlite3ext.h"

int sqlite3_tg_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

#endif
