/*
** bench/speed's breakdown of tg_predict's work, outside SQLite: the deployed model
** and every text of a table are read into memory, then the prediction path is run
** in growing prefixes, each timed (CPU time) over all the texts, round robin, best of REPS:
**
**   tokenize   tg_next_token only: finding words, case folding, FNV-1a hashing
**   keys       + feature keys (tg_features_next: unigram and bigram mixing)
**   lookup     + tg_model_lookup of every key (hash-table probes, no weights read)
**   accumulate tg_model_accumulate: + reading each found row and adding its weights
**   predict    + tg_model_logits and tg_model_top: what tg_predict computes
**
** The difference between two lines is the cost of the step it adds.  It also counts
** tokens, feature keys and keys found.  It uses only model.h's API, so it follows
** format changes.  Usage:
**   speed_parts DB REPS TEXT_SQL [MODEL_NAME]
** bench/speed builds it from ext/model.c and ext/checksum.c with the Makefile's flags.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include "model.h"

typedef struct text { const unsigned char *p; size_t n; } text;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);  /* CPU time: robust to a busy machine */
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "speed_parts: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
	exit(1);
}

static volatile uint64_t g_sink;

enum { P_TOKENIZE, P_KEYS, P_LOOKUP, P_ACCUMULATE, P_PREDICT, P_COUNT };
static const char *const part_name[P_COUNT] = { "tokenize", "keys", "lookup", "accumulate", "predict" };

static uint64_t run_part(int part, const tg_model *m, const text *t, size_t n)
{
	uint64_t sink = 0;
	for (size_t i = 0; i < n; i++) {
		if (part == P_TOKENIZE) {
			tg_tokenizer tz;
			tg_token tok;
			tg_tokenizer_init(&tz, t[i].p, t[i].n);
			while (tg_next_token(&tz, &tok))
				sink ^= tok.hash;
		} else if (part == P_KEYS || part == P_LOOKUP) {
			tg_feature_iter it;
			tg_token tok;
			uint64_t keys[2];
			const unsigned char *prev;
			int k;
			tg_features_init(&it, t[i].p, t[i].n, m->features);
			while ((k = tg_features_next(&it, &tok, keys, &prev)) >= 0)
				for (int j = 0; j < k; j++) {
					if (part == P_KEYS)
						sink ^= keys[j];
					else
						sink += (uintptr_t)tg_model_lookup(m, keys[j]);
				}
		} else {
			tg_sums sums;
			tg_model_accumulate(m, t[i].p, t[i].n, &sums);
			if (part == P_ACCUMULATE) {
				uint32_t bits;
				memcpy(&bits, &sums.acc[0], 4);
				sink += bits + sums.n_known;
			} else {
				float z[TG_MODEL_MAX_LABELS];
				tg_model_logits(m, &sums, z);
				sink += tg_model_top(m, z);
			}
		}
	}
	return sink;
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: speed_parts DB REPS TEXT_SQL [MODEL_NAME]\n");
		return 2;
	}
	int reps = atoi(argv[2]);
	const char *name = argc == 5 ? argv[4] : "genre";
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open", db);

	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT model FROM tg_models WHERE name = ?1 AND deployed = 1 ORDER BY id DESC LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK)
		die("prepare", db);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		die("no deployed model", db);
	tg_model *m = NULL;
	char err[256];
	if (tg_model_load(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), &m, err, sizeof err) != 0) {
		fprintf(stderr, "speed_parts: model: %s\n", err);
		return 1;
	}
	sqlite3_finalize(st);

	size_t n = 0, cap = 1 << 16, bytes = 0;
	text *t = malloc(cap * sizeof *t);
	if (!t || sqlite3_prepare_v2(db, argv[3], -1, &st, NULL) != SQLITE_OK)
		die("texts", db);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_text(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		if (!p)
			continue;
		if (n == cap && !(t = realloc(t, (cap *= 2) * sizeof *t)))
			die("realloc", NULL);
		unsigned char *copy = malloc(len + 1);
		if (!copy)
			die("malloc", NULL);
		memcpy(copy, p, len + 1);
		t[n++] = (text){ copy, len };
		bytes += len;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* Counts, untimed: tokens, feature keys, keys found in the model. */
	uint64_t n_tok = 0, n_keys = 0, n_hit = 0;
	for (size_t i = 0; i < n; i++) {
		tg_feature_iter it;
		tg_token tok;
		uint64_t keys[2];
		const unsigned char *prev;
		int k;
		tg_features_init(&it, t[i].p, t[i].n, m->features);
		while ((k = tg_features_next(&it, &tok, keys, &prev)) >= 0) {
			n_tok++;
			for (int j = 0; j < k; j++) {
				n_keys++;
				n_hit += tg_model_lookup(m, keys[j]) != NULL;
			}
		}
	}
	printf("texts\t%zu\nbytes\t%zu\ntokens\t%llu\nkeys\t%llu\nhits\t%llu\n"
	       "slot_bytes\t%llu\nrow_bytes\t%llu\nrows\t%u\nlabels\t%u\nmodel_bytes\t%zu\n",
	       n, bytes, (unsigned long long)n_tok, (unsigned long long)n_keys, (unsigned long long)n_hit,
	       (unsigned long long)(m->slot_mask + 1ull) * sizeof *m->slots,
	       (unsigned long long)m->n_rows * m->row_stride, m->n_rows, m->n_labels, m->mem_bytes);

	/* Round robin, so every step sees the same conditions; best of REPS each. */
	double best[P_COUNT];
	for (int part = 0; part < P_COUNT; part++)
		best[part] = INFINITY;
	for (int r = 0; r < reps; r++)
		for (int part = 0; part < P_COUNT; part++) {
			double t0 = now();
			g_sink += run_part(part, m, t, n);
			double dt = now() - t0;
			if (dt < best[part])
				best[part] = dt;
		}
	for (int part = 0; part < P_COUNT; part++)
		printf("part\t%s\t%.9f\n", part_name[part], best[part]);
	tg_model_free(m);
	return 0;
}
