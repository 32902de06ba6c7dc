/*
** Writes the model seeds of fuzz/corpus/model_load: the test models of
** tests/tools/fixture_model.h (fixture_variant) as written by tg_model_write, each with the mode
** byte fuzz_model_load.c reads first (0: as is, 1: checksum fixed, 3: header fixed).
** Usage: gen_corpus DIR
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "model.h"
#include "fixture_model.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	static const unsigned char modes[] = { 0, 1, 3 };
	for (unsigned v = 0; v < FIXTURE_VARIANTS; v++) {
		unsigned char *blob;
		size_t len;
		if (fixture_blob(fixture_variant(v), &blob, &len) != 0)
			return 1;
		tg_model *m;
		char err[256];
		if (tg_model_load(blob, len, &m, err, sizeof err) != 0) {
			fprintf(stderr, "gen_corpus: model %u does not load: %s\n", v, err);
			return 1;
		}
		tg_model_free(m);
		for (size_t i = 0; i < sizeof modes; i++) {
			char path[4096];
			snprintf(path, sizeof path, "%s/model%u_mode%u.bin", argv[1], v, modes[i]);
			FILE *f = fopen(path, "wb");
			if (!f || fwrite(&modes[i], 1, 1, f) != 1 || fwrite(blob, 1, len, f) != len || fclose(f) != 0) {
				perror(path);
				return 1;
			}
		}
		sqlite3_free(blob);
	}
	return 0;
}
