/*
** Loads every model blob in a registry with the extension's own loader (magic,
** sizes, checksum, every section): a row written halfway cannot pass.
** Usage: blobcheck DB   prints "<n> models, <d> deployed", exit 1 on a bad blob.
*/
#include <stdio.h>

#include <sqlite3.h>

#include "model.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: blobcheck DB\n");
		return 2;
	}
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, 10000) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id, deployed, model FROM tg_models ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "blobcheck: %s: %s\n", argv[1], sqlite3_errmsg(db));
		sqlite3_close(db);
		return 2;
	}
	int rc, bad = 0, n = 0, deployed = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tg_model *m;
		char err[256];
		const void *blob = sqlite3_column_blob(st, 2);
		size_t len = (size_t)sqlite3_column_bytes(st, 2);
		n++;
		deployed += sqlite3_column_int(st, 1);
		if (tg_model_load(blob, len, &m, err, sizeof err) != 0) {
			fprintf(stderr, "blobcheck: model %lld (%zu bytes): %s\n", (long long)sqlite3_column_int64(st, 0), len, err);
			bad++;
			continue;
		}
		tg_model_free(m);
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "blobcheck: %s\n", sqlite3_errmsg(db));
		bad++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	printf("%d models, %d deployed\n", n, deployed);
	return bad ? 1 : 0;
}
