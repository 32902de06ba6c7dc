/*
** tg-run: the smallest program that loads tg into SQLite and runs SQL, for the
** platforms whose Node.js or Python cannot run here: Linux arm64 under qemu-user
** (linked with arm64's libsqlite3) and Windows x64 under Wine (SQLite compiled in, from
** Debian's source).  It prints rows as the sqlite3 shell's list mode does (columns
** joined by '|', NULL as nothing, "\n" after each row), so that its output can be
** compared byte for byte with the shell's on the native build.
**   tg-run DATABASE LIBRARY MODEL SQL
** loads LIBRARY, ATTACHes MODEL as tgm, runs SQL (one statement or more).
*/
#include <stdio.h>

#include "sqlite3.h"

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

static int print_row(void *unused, int n, char **values, char **names)
{
	(void)unused;
	(void)names;
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? "|" : "", values[i] ? values[i] : "");
	putchar('\n');
	return 0;
}

/* SQL on db, its rows printed; on failure a "tg-run: WHAT: ERROR" line. */
static int run(sqlite3 *db, const char *sql, const char *what)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, print_row, NULL, &err) == SQLITE_OK)
		return 0;
	fprintf(stderr, "tg-run: %s: %s\n", what, err ? err : sqlite3_errmsg(db));
	sqlite3_free(err);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: tg-run DATABASE LIBRARY MODEL SQL\n");
		return 2;
	}
#ifdef _WIN32
	/* "\n", not "\r\n": the output is compared with the Linux shell's. */
	_setmode(_fileno(stdout), _O_BINARY);
#endif
	sqlite3 *db = NULL;
	char *err = NULL;
	int rc = 1;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "tg-run: %s: %s\n", argv[1], db ? sqlite3_errmsg(db) : "out of memory");
		goto done;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, NULL);
	if (sqlite3_load_extension(db, argv[2], NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "tg-run: loading %s: %s\n", argv[2], err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		goto done;
	}
	char *attach = sqlite3_mprintf("ATTACH %Q AS tgm", argv[3]);
	if (!attach) {
		fprintf(stderr, "tg-run: out of memory\n");
		goto done;
	}
	rc = run(db, attach, argv[3]) || run(db, argv[4], "the SQL");
	sqlite3_free(attach);
done:
	sqlite3_close(db);
	return rc;
}
