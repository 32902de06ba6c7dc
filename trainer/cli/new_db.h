/* A database a verb may create (train's DB, import's DST): a failed verb removes the file
** it created, so that a failure leaves the disk as it was. */
#ifndef TG_NEW_DB_H
#define TG_NEW_DB_H

#include <sqlite3.h>

typedef struct tg_new_db {
	const char *path;
	int existed;   /* the file was there before the verb */
} tg_new_db;

/* Notes whether path exists; call before the verb opens it. */
void tg_new_db_note(tg_new_db *n, const char *path);

/* Closes db (NULL: the verb never opened it, and nothing is removed); when status is not
** 0 and the file was not there before, removes it, saying so unless quiet. */
void tg_new_db_close(const tg_new_db *n, sqlite3 *db, int status, int quiet);

#endif
