#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "half.h"
#include "vocab.h"

/* The feature keys of one text, in order, into a reusable buffer. */
typedef struct key_buf {
	uint64_t *keys;
	size_t n, cap;
} key_buf;

static int text_keys(const char *text, size_t len, unsigned features, key_buf *b)
{
	tg_feature_iter it;
	tg_token tok;
	uint64_t keys[2];
	const unsigned char *prev_start;
	int n;
	b->n = 0;
	tg_features_init(&it, text, len, features);
	while ((n = tg_features_next(&it, &tok, keys, &prev_start)) >= 0) {
		uint64_t *k = tg_grow(b->keys, &b->cap, b->n + 2, sizeof *k, 256);
		if (!k)
			return -1;
		b->keys = k;
		for (int i = 0; i < n; i++)
			b->keys[b->n++] = keys[i];
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

void tg_vocab_free(tg_vocab *v)
{
	free(v->keys);
	free(v->df);
	free(v->idf);
	free(v->norm2);
	tg_keymap_free(&v->index);
	memset(v, 0, sizeof *v);
}

int tg_vocab_build(tg_vocab *v, const tg_example_set *train, unsigned features, uint32_t min_df)
{
	memset(v, 0, sizeof *v);
	v->features = features;
	tg_keymap all;
	/* Every key seen, numbered as the keymap interns them (in order, from 0). */
	struct key_df {
		uint64_t key;
		uint32_t df;
	} *seen = NULL;
	size_t n_seen = 0, seen_cap = 0;
	uint32_t *kept = NULL;
	key_buf b = { 0 };
	int rc = -1;
	if (tg_keymap_init(&all, 1u << 16) != 0)
		return -1;
	/* Pass 1: document frequency of every key. */
	for (size_t d = 0; d < train->n; d++) {
		if (text_keys(train->items[d].text, train->items[d].len, features, &b) != 0)
			goto done;
		qsort(b.keys, b.n, sizeof *b.keys, cmp_u64);
		for (size_t i = 0; i < b.n; i++) {
			if (i > 0 && b.keys[i] == b.keys[i - 1])
				continue;
			int64_t ix = tg_keymap_intern(&all, b.keys[i]);
			if (ix < 0)
				goto done;
			if ((size_t)ix == n_seen) {
				struct key_df *grown = tg_grow(seen, &seen_cap, n_seen + 1, sizeof *seen, 1u << 16);
				if (!grown)
					goto done;
				seen = grown;
				seen[n_seen++] = (struct key_df){ b.keys[i], 0 };
			}
			seen[ix].df++;
		}
	}
	/* Pass 2: keep the frequent ones, in first-seen order (deterministic). */
	uint32_t n = 0;
	kept = malloc((n_seen ? n_seen : 1) * sizeof *kept);
	if (!kept)
		goto done;
	for (uint32_t i = 0; i < n_seen; i++)
		if (seen[i].df >= min_df)
			kept[n++] = i;
	v->n = n;
	v->keys = malloc((n ? n : 1) * sizeof *v->keys);
	v->df = malloc((n ? n : 1) * sizeof *v->df);
	v->idf = malloc((n ? n : 1) * sizeof *v->idf);
	v->norm2 = malloc((n ? n : 1) * sizeof *v->norm2);
	if (!v->keys || !v->df || !v->idf || !v->norm2 || tg_keymap_init(&v->index, n) != 0)
		goto done;
	for (uint32_t j = 0; j < n; j++) {
		v->keys[j] = seen[kept[j]].key;
		v->df[j] = seen[kept[j]].df;
		/* Smoothed idf, as scikit-learn's: rare features weigh more, none weighs 0. */
		v->idf[j] = (float)(log((1.0 + (double)train->n) / (1.0 + v->df[j])) + 1.0);
		v->norm2[j] = tg_half_to_float(tg_float_to_half(v->idf[j] * v->idf[j]));
		if (tg_keymap_intern(&v->index, v->keys[j]) < 0)
			goto done;
	}
	rc = 0;
done:
	if (rc != 0)
		tg_vocab_free(v);
	tg_keymap_free(&all);
	free(seen);
	free(kept);
	free(b.keys);
	return rc;
}

void tg_sparse_free(tg_sparse *s)
{
	free(s->row_start);
	free(s->col);
	free(s->val);
	memset(s, 0, sizeof *s);
}

int tg_vectorize(const tg_vocab *v, const tg_example_set *docs, tg_sparse *out)
{
	memset(out, 0, sizeof *out);
	key_buf b = { 0 };
	uint32_t *cols = NULL;
	size_t cols_cap = 0, nnz = 0, col_cap = 0, val_cap = 0;
	out->n_rows = docs->n;
	out->row_start = malloc((docs->n + 1) * sizeof *out->row_start);
	if (!out->row_start)
		goto fail;
	out->row_start[0] = 0;
	for (size_t d = 0; d < docs->n; d++) {
		if (text_keys(docs->items[d].text, docs->items[d].len, v->features, &b) != 0)
			goto fail;
		uint32_t *grown_cols = tg_grow(cols, &cols_cap, b.n, sizeof *cols, 256);
		if (!grown_cols)
			goto fail;
		cols = grown_cols;
		size_t m = 0;
		for (size_t i = 0; i < b.n; i++) {
			int64_t ix = tg_keymap_find(&v->index, b.keys[i]);
			if (ix >= 0)
				cols[m++] = (uint32_t)ix;
		}
		qsort(cols, m, sizeof *cols, cmp_u32);
		uint32_t *col = tg_grow(out->col, &col_cap, nnz + m, sizeof *out->col, 1u << 16);
		if (col)
			out->col = col;
		float *val = tg_grow(out->val, &val_cap, nnz + m, sizeof *out->val, 1u << 16);
		if (val)
			out->val = val;
		if (!col || !val)
			goto fail;
		size_t row = nnz;
		double norm2 = 0;
		for (size_t i = 0; i < m;) {
			size_t j = i;
			while (j < m && cols[j] == cols[i])
				j++;
			double idf = v->idf[cols[i]], count = (double)(j - i);
			norm2 += count * v->norm2[cols[i]];
			out->col[nnz] = cols[i];
			out->val[nnz] = (float)(count * idf);
			nnz++;
			i = j;
		}
		double inv = norm2 > 0 ? 1.0 / sqrt(norm2) : 0;
		for (size_t i = row; i < nnz; i++)
			out->val[i] = (float)(out->val[i] * inv);
		out->row_start[d + 1] = nnz;
	}
	free(b.keys);
	free(cols);
	return 0;
fail:
	free(b.keys);
	free(cols);
	tg_sparse_free(out);
	return -1;
}
