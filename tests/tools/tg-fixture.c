/*
** tg-fixture DB: writes the hand-designed test models of fixture_model.h into the
** registry table tg_models of DB (created if needed), for the SQL tests.
*/
#include <stdio.h>
#include <sqlite3.h>

#include "fixture_model.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DB\n", argv[0]);
		return 2;
	}
	sqlite3 *db;
	int rc = sqlite3_open(argv[1], &db);
	if (rc == SQLITE_OK)
		rc = fixture_populate(db);
	if (rc != SQLITE_OK)
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : 1;
}
