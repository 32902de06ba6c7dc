/* See new_db.h. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "new_db.h"

void tg_new_db_note(tg_new_db *n, const char *path)
{
	struct stat st;
	n->path = path;
	n->existed = stat(path, &st) == 0;
}

void tg_new_db_close(const tg_new_db *n, sqlite3 *db, int status, int quiet)
{
	/* Only a database this process had open and closed cleanly: its journal is gone then,
	** and a file someone else created meanwhile is never ours to remove. */
	if (sqlite3_close(db) == SQLITE_OK && db && status != 0 && !n->existed && unlink(n->path) == 0 && !quiet)
		fprintf(stderr, "tg-train: removed %s, which this run had created\n", n->path);
}
