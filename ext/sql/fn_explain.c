/*
** tg_explain(text, genre [, name]): the features of the text that moved one genre's
** calibrated logit most.  A feature's contribution is the sum over its occurrences
** of tg_model_contribution, so the contributions of all the text's features plus
** platt_a * bias + platt_b add up to the genre's calibrated logit.
**
** Features are merged by key in a small open-addressing table that only ever holds
** features the model knows: memory grows with those, not with the length of the text.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "sql_functions.h"
#include "sql_call.h"
#include "json.h"

#define TG_EXPLAIN_MAX 10

typedef struct found_feature {
	uint64_t key;
	const tg_model_row *row;
	const unsigned char *text;   /* its first occurrence, in the caller's text */
	size_t text_len;
	uint32_t count;
	uint32_t first;              /* rank of the first occurrence, to break ties */
	double contribution;
} found_feature;

typedef struct found_set {
	found_feature *v;
	uint32_t n, cap;
	uint32_t *slots;             /* index + 1 into v; 0 when empty */
	uint32_t mask;
} found_set;

static int found_grow(found_set *s)
{
	uint32_t cap = s->cap ? 2 * s->cap : 16;
	found_feature *v = sqlite3_realloc64(s->v, (sqlite3_uint64)cap * sizeof *v);
	if (!v)
		return SQLITE_NOMEM;
	s->v = v;
	s->cap = cap;
	/* The table stays at most half full. */
	uint32_t n_slots = 2 * cap;
	uint32_t *slots = sqlite3_malloc64((sqlite3_uint64)n_slots * sizeof *slots);
	if (!slots)
		return SQLITE_NOMEM;
	memset(slots, 0, (size_t)n_slots * sizeof *slots);
	sqlite3_free(s->slots);
	s->slots = slots;
	s->mask = n_slots - 1;
	for (uint32_t i = 0; i < s->n; i++) {
		uint32_t h = (uint32_t)s->v[i].key & s->mask;
		while (s->slots[h])
			h = (h + 1) & s->mask;
		s->slots[h] = i + 1;
	}
	return SQLITE_OK;
}

static int found_add(found_set *s, uint64_t key, const tg_model_row *row, const unsigned char *text, size_t len)
{
	if (s->n) {
		uint32_t h = (uint32_t)key & s->mask;
		for (; s->slots[h]; h = (h + 1) & s->mask) {
			found_feature *f = &s->v[s->slots[h] - 1];
			if (f->key == key) {
				f->count++;
				return SQLITE_OK;
			}
		}
	}
	if (s->n == s->cap && found_grow(s) != SQLITE_OK)
		return SQLITE_NOMEM;
	uint32_t h = (uint32_t)key & s->mask;
	while (s->slots[h])
		h = (h + 1) & s->mask;
	s->slots[h] = s->n + 1;
	s->v[s->n] = (found_feature){ key, row, text, len, 1, s->n, 0 };
	s->n++;
	return SQLITE_OK;
}

static int by_weight(const void *pa, const void *pb)
{
	const found_feature *a = pa, *b = pb;
	double wa = fabs(a->contribution), wb = fabs(b->contribution);
	if (wa != wb)
		return wa > wb ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

/* Finds the model's features in the text, merged by key, with their contributions to label k. */
static int collect(const tg_model *m, const void *text, size_t len, uint32_t k, double norm2, found_set *s)
{
	tg_feature_iter it;
	tg_token tok;
	uint64_t keys[2];
	const unsigned char *prev_start;
	int n;
	tg_features_init(&it, text, len, m->features);
	while ((n = tg_features_next(&it, &tok, keys, &prev_start)) >= 0) {
		const unsigned char *end = tok.start + tok.len;
		for (int i = 0; i < n; i++) {
			const tg_model_row *row = tg_model_lookup(m, keys[i]);
			if (!row)
				continue;
			/* Keys come unigram first, then the bigram ending at this token. */
			int bigram = (m->features & TG_FEAT_UNIGRAM) ? i == 1 : 1;
			const unsigned char *start = bigram ? prev_start : tok.start;
			if (found_add(s, keys[i], row, start, (size_t)(end - start)) != SQLITE_OK)
				return SQLITE_NOMEM;
		}
	}
	for (uint32_t i = 0; i < s->n; i++)
		s->v[i].contribution = s->v[i].count * (double)tg_model_contribution(m, s->v[i].row, k, norm2);
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, by_weight);
	return SQLITE_OK;
}

static void append_contribution(sqlite3_str *out, double x)
{
	if (!isfinite(x)) {
		sqlite3_str_appendall(out, "null");
		return;
	}
	if (fabs(x) < 0.00005)
		x = 0; /* no "-0.0000" */
	sqlite3_str_appendf(out, "%.4f", x);
}

static int genre_index(const tg_model *m, const char *genre)
{
	for (uint32_t k = 0; k < m->n_labels; k++)
		if (strcmp(m->labels[k], genre) == 0)
			return (int)k;
	return -1;
}

void tg_explain_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	int name_len;
	const char *name = tg_call_name(c, argc, argv, 2, "tg_explain", &name_len);
	if (!name)
		return;
	char *err;
	int genre_len;
	const char *genre = tg_name_value(argv[1], "tg_explain", "the genre", &genre_len, &err);
	if (!genre) {
		tg_result_error_free(c, SQLITE_ERROR, err);
		return;
	}
	const void *text;
	size_t len;
	int rc = tg_arg_text(argv[0], &text, &len);
	if (rc <= 0) {
		if (rc < 0)
			sqlite3_result_error_nomem(c);
		return;
	}
	tg_call call;
	tg_loaded *m = tg_call_model(c, name, name_len, &call);
	if (!m)
		return;
	int k = genre_index(m->model, genre);
	if (k < 0) {
		char *msg = sqlite3_mprintf("tg: model '%q' has no genre '%q'", m->name, genre);
		tg_result_error_free(c, SQLITE_ERROR, msg);
		tg_call_end(&call);
		return;
	}
	tg_sums sums;
	tg_model_accumulate(m->model, text, len, &sums);
	if (sums.n_tokens == 0) {
		tg_call_end(&call);
		return;
	}
	found_set found = { 0 };
	sqlite3_str *out = NULL;
	if (collect(m->model, text, len, (uint32_t)k, sums.norm2, &found) == SQLITE_OK) {
		out = sqlite3_str_new(sqlite3_context_db_handle(c));
		sqlite3_str_appendchar(out, 1, '[');
		for (uint32_t i = 0, shown = 0; i < found.n && shown < TG_EXPLAIN_MAX; i++) {
			const found_feature *f = &found.v[i];
			if (f->contribution == 0)
				break; /* sorted by magnitude: the rest are zero too */
			sqlite3_str_appendall(out, shown++ ? ",{\"feature\":" : "{\"feature\":");
			tg_json_string(out, (const char *)f->text, f->text_len);
			sqlite3_str_appendall(out, ",\"contribution\":");
			append_contribution(out, f->contribution);
			sqlite3_str_appendchar(out, 1, '}');
		}
		sqlite3_str_appendchar(out, 1, ']');
	}
	sqlite3_free(found.v);
	sqlite3_free(found.slots);
	if (!out || sqlite3_str_errcode(out) != SQLITE_OK) {
		sqlite3_free(out ? sqlite3_str_finish(out) : NULL);
		sqlite3_result_error_nomem(c);
	} else {
		int n = sqlite3_str_length(out);
		tg_result_json(c, sqlite3_str_finish(out), (size_t)n);
	}
	tg_call_end(&call);
}
