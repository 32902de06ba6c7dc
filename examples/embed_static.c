/*
** tg linked into a program: no tg.so and no .load.  The extension's objects are built
** with -DSQLITE_CORE (they then call SQLite directly instead of through the loadable
** extension's routine table) and linked with libsqlite3; sqlite3_auto_extension() then
** registers tg's functions on every connection the program opens.
**
**   make build/examples/embed_static
**   build/examples/embed_static movies.db                 tag the first films of the test split
**   build/examples/embed_static movies.db 'some text'...  tag these texts
**
** DB is a database with a model trained by tg-train.  Exit status 0, or 1 on an error.
*/
#include <stdio.h>

#include <sqlite3.h>

#include "tg.h" /* sqlite3_tg_init(); compile with -DSQLITE_CORE, as tg's objects are */

/* Reports db's error (stmt's, if it failed) and closes everything: main's exit status 1. */
static int fail(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	fprintf(stderr, "embed_static: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 1;
}

static const char *text_or(sqlite3_stmt *st, int col, const char *dflt)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? (const char *)s : dflt;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: embed_static DB [TEXT...]\n");
		return 2;
	}
	/* Before any sqlite3_open: every connection opened afterwards gets tg's functions. */
	if (sqlite3_auto_extension((void (*)(void))sqlite3_tg_init) != SQLITE_OK) {
		fprintf(stderr, "embed_static: sqlite3_auto_extension failed\n");
		return 1;
	}
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return fail(db, NULL, argv[1]);

	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT tg_version(), sqlite_version()", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		return fail(db, st, "tg_version()");
	printf("tg %s in SQLite %s, linked in\n", text_or(st, 0, "?"), text_or(st, 1, "?"));
	sqlite3_finalize(st);

	/* The texts to tag: the command line's, in a temporary table, else DB's test films. */
	const char *sql =
		"SELECT title, tg_predict(overview), tg_tags(overview) FROM movies"
		" WHERE split = 'test' AND trim(overview) <> '' ORDER BY id LIMIT 5";
	if (argc > 2) {
		if (sqlite3_exec(db, "CREATE TEMP TABLE texts (overview TEXT)", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, "INSERT INTO texts VALUES (?1)", -1, &st, NULL) != SQLITE_OK)
			return fail(db, st, "temporary table");
		for (int i = 2; i < argc; i++) {
			sqlite3_bind_text(st, 1, argv[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				return fail(db, st, "insert");
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
		sql = "SELECT overview, tg_predict(overview), tg_tags(overview) FROM texts ORDER BY rowid";
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, st, "query");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) /* title, genre ("-": no words), tags */
		printf("%s\t%s\t%s\n", text_or(st, 0, ""), text_or(st, 1, "-"), text_or(st, 2, "[]"));
	if (rc != SQLITE_DONE) /* e.g. "tg: no model registry (table tg_models) in this database; ..." */
		return fail(db, st, "tagging");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
