/*
** bench/speed's breakdown of tg_predict's work, outside SQLite: the deployed model
** and every text of a table are read into memory, then the prediction path is run
** in growing prefixes, each timed (CPU time) over all the texts, round robin, best of
** REPS.  The prefixes are the stages of tg_model_accumulate's batched path (model.h):
** the very code tg_predict runs, stopped after each stage (tg_model_accumulate_stage,
** bench/score_stages.c).
**
**   tokenize   tg_hash_scan_next: finding words, case folding, FNV-1a hashing, a
**              window of text at a time
**   keys       + feature keys (unigram and bigram mixing), each key's slot prefetched
**   lookup     + probing the table for each key, each row found prefetched
**   accumulate + adding the weights of the rows found: tg_model_accumulate
**   predict    + tg_model_logits and tg_model_top: what tg_predict computes
**
** The difference between two lines is the cost of the step it adds, so the steps up
** to accumulate add up to tg_model_accumulate.  It also counts tokens, feature keys
** and keys found with the one-at-a-time API (tg_features_next, tg_model_lookup), and
** checks that every stage gives what that API gives, so that none skipped work.  Usage:
**   speed_parts DB REPS TEXT_SQL [MODEL_NAME]
** bench/speed builds it with bench/score_stages.c (the kernel with its stages' entry
** point) and the other ext/core/ sources, with its own flags (-O3, as the Makefile builds
** tg.so).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include "model.h"
#include "score_stages_bench.h"

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

/* Each part but the last runs tg_model_accumulate to the stage of its number. */
enum { P_TOKENIZE = TG_STAGE_SCAN, P_KEYS = TG_STAGE_KEYS, P_LOOKUP = TG_STAGE_LOOKUP,
       P_ACCUMULATE = TG_STAGE_ADD, P_PREDICT, P_COUNT };
static const char *const part_name[P_COUNT] = { "tokenize", "keys", "lookup", "accumulate", "predict" };

static uint64_t run_part(int part, const tg_model *m, const text *t, size_t n)
{
	uint64_t sink = 0;
	for (size_t i = 0; i < n; i++) {
		tg_sums sums;
		if (part < P_ACCUMULATE) {
			tg_model_accumulate_stage(m, t[i].p, t[i].n, &sums, part);
			sink += sums.n_known;
			continue;
		}
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

	/* Counts, untimed: tokens, feature keys, keys found in the model.  Each stage must
	** leave the tokens and its fold (model.h) that these give. */
	uint64_t n_tok = 0, n_keys = 0, n_hit = 0;
	for (size_t i = 0; i < n; i++) {
		tg_feature_iter it;
		tg_token tok;
		uint64_t keys[2], want[P_ACCUMULATE + 1] = { 0 }, tokens = 0;
		const unsigned char *prev;
		int k;
		tg_features_init(&it, t[i].p, t[i].n, m->features);
		while ((k = tg_features_next(&it, &tok, keys, &prev)) >= 0) {
			tokens++;
			want[P_TOKENIZE] ^= tok.hash;
			for (int j = 0; j < k; j++) {
				const tg_model_row *row = tg_model_lookup(m, keys[j]);
				n_keys++;
				want[P_KEYS] ^= keys[j];
				want[P_LOOKUP] ^= (uintptr_t)row;
				want[P_ACCUMULATE] += row != NULL;
			}
		}
		n_tok += tokens;
		n_hit += want[P_ACCUMULATE];
		for (int part = 0; part <= P_ACCUMULATE; part++) {
			tg_sums sums;
			tg_model_accumulate_stage(m, t[i].p, t[i].n, &sums, part);
			if (sums.n_tokens != tokens || sums.n_known != want[part]) {
				fprintf(stderr, "speed_parts: stage %s of text %zu does not give what tg_features_next "
				        "and tg_model_lookup give\n", part_name[part], i);
				return 1;
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
