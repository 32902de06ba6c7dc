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
	free(v->is_subword);
	free(v->sub_start);
	free(v->sub);
	tg_keymap_free(&v->index);
	memset(v, 0, sizeof *v);
}

/* v's arrays for n features and n_sub n-gram references; 0 or -1. */
static int vocab_alloc(tg_vocab *v, uint32_t n, size_t n_sub)
{
	v->n = n;
	v->keys = malloc((n ? n : 1) * sizeof *v->keys);
	v->df = malloc((n ? n : 1) * sizeof *v->df);
	v->idf = malloc((n ? n : 1) * sizeof *v->idf);
	v->norm2 = malloc((n ? n : 1) * sizeof *v->norm2);
	v->is_subword = malloc(n ? n : 1);
	v->sub_start = malloc(((size_t)n + 1) * sizeof *v->sub_start);
	v->sub = malloc((n_sub ? n_sub : 1) * sizeof *v->sub);
	if (!v->keys || !v->df || !v->idf || !v->norm2 || !v->is_subword || !v->sub_start || !v->sub)
		return -1;
	return tg_keymap_init(&v->index, n);
}

/* Feature j of v: its key, counts and whether it is an n-gram; its n-grams start at
** sub[sub_at].  0, or -1 when out of memory. */
static int set_feature(tg_vocab *v, uint32_t j, uint64_t key, uint32_t df, float idf, float norm2, int is_subword,
                       size_t sub_at)
{
	v->keys[j] = key;
	v->df[j] = df;
	v->idf[j] = idf;
	v->norm2[j] = norm2;
	v->is_subword[j] = (uint8_t)is_subword;
	v->sub_start[j] = (uint32_t)sub_at;
	return tg_keymap_intern(&v->index, key) < 0 ? -1 : 0;
}

/* What pass 1 of tg_vocab_build learns of every key it sees. */
enum key_kind { KIND_WORD, KIND_BIGRAM, KIND_SUBWORD };
typedef struct seen_key {
	uint64_t key;
	uint32_t df;
	uint32_t last_doc;     /* the last text that counted it, so that a text counts it once */
	uint32_t doc, at;      /* a word's first occurrence, to find its n-grams from */
	uint8_t len;           /* its length in bytes (0: too long to have n-grams) */
	uint8_t kind;          /* enum key_kind */
} seen_key;

typedef struct seen_keys {
	tg_keymap index;       /* key -> position in items */
	seen_key *items;
	size_t n, cap;
} seen_keys;

/* Counts key in text d (once per text); at and len: where the word occurs. */
static int see(seen_keys *s, uint64_t key, enum key_kind kind, uint32_t d, size_t at, size_t len)
{
	const int64_t ix = tg_keymap_intern(&s->index, key);
	if (ix < 0)
		return -1;
	if ((size_t)ix == s->n) {
		seen_key *grown = tg_grow(s->items, &s->cap, s->n + 1, sizeof *s->items, 1u << 16);
		if (!grown)
			return -1;
		s->items = grown;
		s->items[s->n++] = (seen_key){ key, 0, UINT32_MAX, d, (uint32_t)at,
		                               (uint8_t)(len <= TG_SUBWORD_MAX_WORD ? len : 0), (uint8_t)kind };
	}
	seen_key *k = &s->items[ix];
	if (k->last_doc != d) {
		k->last_doc = d;
		k->df++;
	}
	return 0;
}

/* Pass 1: every key of every text, with its document frequency. */
static int see_all(seen_keys *s, const tg_example_set *train, unsigned features, tg_subword_range subwords)
{
	uint64_t sub[TG_SUBWORD_MAX_KEYS];
	if (train->n > UINT32_MAX)
		return -1;
	for (size_t d = 0; d < train->n; d++) {
		const char *text = train->items[d].text;
		tg_feature_iter it;
		tg_token tok;
		uint64_t keys[2];
		const unsigned char *prev_start;
		int n;
		tg_features_init(&it, text, train->items[d].len, features);
		while ((n = tg_features_next(&it, &tok, keys, &prev_start)) >= 0) {
			const size_t at = (size_t)(tok.start - (const unsigned char *)text);
			/* A unigram comes first, then the bigram (feature_keys.h). */
			for (int i = 0; i < n; i++) {
				const int word = i == 0 && (features & TG_FEAT_UNIGRAM);
				if (see(s, keys[i], word ? KIND_WORD : KIND_BIGRAM, (uint32_t)d, at, tok.len) != 0)
					return -1;
			}
			if (!(features & TG_FEAT_UNIGRAM))
				continue;
			const size_t ns = tg_subword_keys(tok.start, tok.len, subwords, sub);
			for (size_t i = 0; i < ns; i++)
				if (see(s, sub[i], KIND_SUBWORD, (uint32_t)d, at, 0) != 0)
					return -1;
		}
	}
	return 0;
}

int tg_vocab_build(tg_vocab *v, const tg_example_set *train, unsigned features, tg_subword_range subwords,
                   uint32_t min_df)
{
	memset(v, 0, sizeof *v);
	seen_keys s = { 0 };
	uint32_t *final = NULL;   /* seen position -> feature number, or UINT32_MAX */
	size_t n_refs = 0;        /* the kept words' kept n-grams, repeats counted */
	uint64_t sub[TG_SUBWORD_MAX_KEYS];
	int rc = -1;
	if (tg_keymap_init(&s.index, 1u << 16) != 0 || see_all(&s, train, features, subwords) != 0)
		goto done;
	final = malloc((s.n ? s.n : 1) * sizeof *final);
	if (!final)
		goto done;
	/* Pass 2: the frequent words and bigrams, then the frequent n-grams of those words;
	** all in first-seen order (deterministic). */
	for (size_t i = 0; i < s.n; i++)
		final[i] = s.items[i].kind != KIND_SUBWORD && s.items[i].df >= min_df ? 0 : UINT32_MAX;
	for (size_t i = 0; i < s.n; i++) {
		const seen_key *k = &s.items[i];
		if (final[i] == UINT32_MAX || k->kind != KIND_WORD)
			continue;
		const unsigned char *word = (const unsigned char *)train->items[k->doc].text + k->at;
		const size_t ns = k->len ? tg_subword_keys(word, k->len, subwords, sub) : 0;
		for (size_t j = 0; j < ns; j++) {
			const int64_t g = tg_keymap_find(&s.index, sub[j]);
			if (g >= 0 && s.items[g].df >= min_df) {
				final[g] = 0;
				n_refs++;
			}
		}
	}
	uint32_t n = 0;
	for (size_t i = 0; i < s.n; i++)
		if (final[i] != UINT32_MAX)
			final[i] = n++;
	if (vocab_alloc(v, n, n_refs) != 0)
		goto done;
	v->features = features;
	v->subwords = subwords;
	size_t n_sub = 0;
	for (size_t i = 0; i < s.n; i++) {
		const seen_key *k = &s.items[i];
		const uint32_t j = final[i];
		if (j == UINT32_MAX)
			continue;
		/* Smoothed idf, as scikit-learn's: rare features weigh more, none weighs 0. */
		const float idf = (float)(log((1.0 + (double)train->n) / (1.0 + k->df)) + 1.0);
		if (set_feature(v, j, k->key, k->df, idf, tg_half_to_float(tg_float_to_half(idf * idf)),
		                k->kind == KIND_SUBWORD, n_sub) != 0)
			goto done;
		if (k->kind == KIND_WORD && k->len) {
			const unsigned char *word = (const unsigned char *)train->items[k->doc].text + k->at;
			const size_t ns = tg_subword_keys(word, k->len, subwords, sub);
			for (size_t q = 0; q < ns; q++) {
				const int64_t g = tg_keymap_find(&s.index, sub[q]);
				if (g >= 0 && s.items[g].df >= min_df)
					v->sub[n_sub++] = final[g];
			}
		}
	}
	v->sub_start[n] = (uint32_t)n_sub;
	rc = 0;
done:
	if (rc != 0)
		tg_vocab_free(v);
	tg_keymap_free(&s.index);
	free(s.items);
	free(final);
	return rc;
}

uint32_t tg_vocab_rows(const tg_vocab *v)
{
	uint32_t rows = 0;
	for (uint32_t f = 0; f < v->n; f++)
		rows += !v->is_subword[f];
	return rows;
}

int tg_vocab_restrict(tg_vocab *v, const uint32_t *keep, uint32_t n)
{
	tg_vocab cut = { 0 };
	uint32_t *to = malloc(((size_t)v->n ? v->n : 1) * sizeof *to);   /* old number -> new, or UINT32_MAX */
	if (!to)
		return -1;
	for (uint32_t f = 0; f < v->n; f++)
		to[f] = UINT32_MAX;
	size_t n_sub = 0;
	for (uint32_t i = 0; i < n; i++) {
		to[keep[i]] = 0;
		for (uint32_t j = v->sub_start[keep[i]]; j < v->sub_start[keep[i] + 1]; j++)
			to[v->sub[j]] = 0;
		n_sub += v->sub_start[keep[i] + 1] - v->sub_start[keep[i]];
	}
	uint32_t m = 0;
	for (uint32_t f = 0; f < v->n; f++)
		if (to[f] != UINT32_MAX)
			to[f] = m++;
	if (vocab_alloc(&cut, m, n_sub) != 0)
		goto fail;
	cut.features = v->features;
	cut.subwords = v->subwords;
	n_sub = 0;
	for (uint32_t f = 0; f < v->n; f++) {
		const uint32_t j = to[f];
		if (j == UINT32_MAX)
			continue;
		if (set_feature(&cut, j, v->keys[f], v->df[f], v->idf[f], v->norm2[f], v->is_subword[f], n_sub) != 0)
			goto fail;
		for (uint32_t q = v->sub_start[f]; q < v->sub_start[f + 1]; q++)
			cut.sub[n_sub++] = to[v->sub[q]];
	}
	cut.sub_start[m] = (uint32_t)n_sub;
	free(to);
	tg_vocab_free(v);
	*v = cut;
	return 0;
fail:
	free(to);
	tg_vocab_free(&cut);
	return -1;
}

void tg_vocab_fold(const tg_vocab *v, const float *W, uint32_t L, uint64_t *keys, float *rows, float *norm2)
{
	uint32_t r = 0;
	for (uint32_t f = 0; f < v->n; f++) {
		if (v->is_subword[f])
			continue;
		float *row = rows + (size_t)r * L;
		double n2 = v->norm2[f];
		for (uint32_t k = 0; k < L; k++)
			row[k] = W[(size_t)f * L + k];
		for (uint32_t j = v->sub_start[f]; j < v->sub_start[f + 1]; j++) {
			const uint32_t g = v->sub[j];
			n2 += v->norm2[g];
			for (uint32_t k = 0; k < L; k++)
				row[k] += W[(size_t)g * L + k];
		}
		if (keys)
			keys[r] = v->keys[f];
		if (norm2)
			norm2[r] = (float)n2;
		r++;
	}
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
		size_t m = 0;
		for (size_t i = 0; i < b.n; i++) {
			const int64_t ix = tg_keymap_find(&v->index, b.keys[i]);
			if (ix < 0)
				continue;
			/* The feature, and the n-grams it brings (a kept word's). */
			const uint32_t *sub = v->sub + v->sub_start[ix], *sub_end = v->sub + v->sub_start[ix + 1];
			uint32_t *grown = tg_grow(cols, &cols_cap, m + 1 + (size_t)(sub_end - sub), sizeof *cols, 256);
			if (!grown)
				goto fail;
			cols = grown;
			cols[m++] = (uint32_t)ix;
			while (sub < sub_end)
				cols[m++] = *sub++;
		}
		if (m > 1)   /* cols is NULL until a film has a known word */
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
