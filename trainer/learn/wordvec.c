#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "feature_keys.h"
#include "wordvec.h"

int tg_wordvec_see(tg_keymap *seen, const char *text, size_t len)
{
	tg_tokenizer t;
	tg_token tok;
	tg_tokenizer_init(&t, text, len);
	while (tg_next_token(&t, &tok))
		if (tg_keymap_intern(seen, tg_unigram_key(tok.hash)) < 0)
			return -1;
	return 0;
}

/* What the reader's keep callback decides with. */
typedef struct keep_ctx {
	const tg_keymap *seen;
	tg_keymap kept;        /* keys kept so far: the first word of a key wins */
	size_t unseen_max, matched, unseen;
	int failed;
} keep_ctx;

static int keep_word(void *arg, const char *word, size_t len)
{
	keep_ctx *c = arg;
	tg_tokenizer t;
	tg_token tok, more;
	tg_tokenizer_init(&t, word, len);
	if (!tg_next_token(&t, &tok) || tok.start != (const unsigned char *)word || tok.len != len ||
	    tg_next_token(&t, &more))
		return 0;
	const uint64_t key = tg_unigram_key(tok.hash);
	const int seen = tg_keymap_find(c->seen, key) >= 0;
	if (tg_keymap_find(&c->kept, key) >= 0 || (!seen && c->unseen >= c->unseen_max))
		return 0;
	if (tg_keymap_intern(&c->kept, key) < 0) {
		c->failed = 1;
		return 0;
	}
	if (seen)
		c->matched++;
	else
		c->unseen++;
	return 1;
}

/*
** Centres the vectors on the mean of the training films' words' vectors, then scales
** each to length 1.  Raw GloVe vectors share a large common direction and vary in
** length with word frequency; measured out of fold on the shared file, centred unit
** vectors score best (bench/README.md, "Word vectors").
*/
static int normalize(tg_wordvec *wv, const tg_keymap *seen)
{
	const uint32_t dim = wv->vec.dim;
	double *mean = calloc(dim ? dim : 1, sizeof *mean);
	if (!mean)
		return -1;
	size_t n_seen = 0;
	for (size_t i = 0; i < wv->vec.n; i++)
		if (tg_keymap_find(seen, wv->keys[i]) >= 0) {
			n_seen++;
			for (uint32_t j = 0; j < dim; j++)
				mean[j] += wv->vec.values[i * dim + j];
		}
	for (uint32_t j = 0; j < dim && n_seen; j++)
		mean[j] /= (double)n_seen;
	for (size_t i = 0; i < wv->vec.n; i++) {
		float *v = wv->vec.values + i * dim;
		double n2 = 0;
		for (uint32_t j = 0; j < dim; j++) {
			v[j] = (float)(v[j] - mean[j]);
			n2 += (double)v[j] * v[j];
		}
		const double inv = n2 > 0 ? 1.0 / sqrt(n2) : 0;
		for (uint32_t j = 0; j < dim; j++)
			v[j] = (float)(v[j] * inv);
	}
	free(mean);
	return 0;
}

int tg_wordvec_load(tg_wordvec *wv, const char *path, const tg_keymap *seen, size_t unseen_max, char *err,
                    size_t errlen)
{
	memset(wv, 0, sizeof *wv);
	keep_ctx c = { .seen = seen, .unseen_max = unseen_max };
	if (tg_keymap_init(&c.kept, 1u << 16) != 0)
		goto nomem;
	if (tg_vectors_read(path, keep_word, &c, &wv->vec, err, errlen) != 0) {
		tg_keymap_free(&c.kept);
		return -1;
	}
	if (c.failed)
		goto nomem;
	/* The kept words' keys again, in the order the reader kept them. */
	wv->keys = malloc((wv->vec.n ? wv->vec.n : 1) * sizeof *wv->keys);
	if (!wv->keys || tg_keymap_init(&wv->index, (uint32_t)wv->vec.n) != 0)
		goto nomem;
	for (size_t i = 0; i < wv->vec.n; i++) {
		const char *w = wv->vec.words[i];
		tg_tokenizer t;
		tg_token tok = { NULL, 0, 0 };
		tg_tokenizer_init(&t, w, strlen(w));
		tg_next_token(&t, &tok);   /* one token, the whole word: keep_word checked it */
		wv->keys[i] = tg_unigram_key(tok.hash);
		if (tg_keymap_intern(&wv->index, wv->keys[i]) < 0)
			goto nomem;
	}
	if (normalize(wv, seen) != 0)
		goto nomem;
	wv->matched = c.matched;
	wv->unseen = c.unseen;
	for (int i = 0; i < 32; i++)
		snprintf(wv->sha256 + 2 * i, 3, "%02x", wv->vec.sha256[i]);
	const char *base = strrchr(path, '/');
	snprintf(wv->name, sizeof wv->name, "%s", base ? base + 1 : path);
	tg_keymap_free(&c.kept);
	return 0;
nomem:
	tg_keymap_free(&c.kept);
	tg_wordvec_free(wv);
	tg_errf(err, errlen, "out of memory reading the vectors of %s", path);
	return -1;
}

void tg_wordvec_free(tg_wordvec *wv)
{
	tg_vectors_free(&wv->vec);
	free(wv->keys);
	tg_keymap_free(&wv->index);
	memset(wv, 0, sizeof *wv);
}

void tg_wordvec_match(const tg_wordvec *wv, const tg_vocab *v, int32_t *vec_of)
{
	for (uint32_t f = 0; f < v->n; f++)
		vec_of[f] = v->is_subword[f] ? -1 : (int32_t)tg_keymap_find(&wv->index, v->keys[f]);
}

int tg_wordvec_augment(const tg_wordvec *wv, const int32_t *vec_of, uint32_t F, float alpha,
                       const tg_sparse *X, tg_sparse *out)
{
	const uint32_t dim = wv->vec.dim;
	const size_t nnz = X->row_start[X->n_rows] + X->n_rows * dim;
	memset(out, 0, sizeof *out);
	out->n_rows = X->n_rows;
	out->row_start = malloc((X->n_rows + 1) * sizeof *out->row_start);
	out->col = malloc((nnz ? nnz : 1) * sizeof *out->col);
	out->val = malloc((nnz ? nnz : 1) * sizeof *out->val);
	double *sum = malloc((dim ? dim : 1) * sizeof *sum);
	if (!out->row_start || !out->col || !out->val || !sum) {
		free(sum);
		tg_sparse_free(out);
		return -1;
	}
	size_t at = 0;
	out->row_start[0] = 0;
	for (size_t i = 0; i < X->n_rows; i++) {
		memset(sum, 0, dim * sizeof *sum);
		for (size_t e = X->row_start[i]; e < X->row_start[i + 1]; e++) {
			out->col[at] = X->col[e];
			out->val[at++] = X->val[e];
			const int32_t w = vec_of[X->col[e]];
			if (w < 0)
				continue;
			const float *v = wv->vec.values + (size_t)w * dim;
			for (uint32_t j = 0; j < dim; j++)
				sum[j] += (double)X->val[e] * v[j];
		}
		for (uint32_t j = 0; j < dim; j++) {
			out->col[at] = F + j;
			out->val[at++] = (float)(alpha * sum[j]);
		}
		out->row_start[i + 1] = at;
	}
	free(sum);
	return 0;
}

void tg_wordvec_scores(const tg_wordvec *wv, size_t i, const float *Wd, uint32_t L, float scale, float *out)
{
	const uint32_t dim = wv->vec.dim;
	const float *v = wv->vec.values + i * dim;
	for (uint32_t k = 0; k < L; k++) {
		double s = 0;
		for (uint32_t j = 0; j < dim; j++)
			s += (double)Wd[(size_t)j * L + k] * v[j];
		out[k] = (float)(scale * s);
	}
}

uint32_t tg_wordvec_fold(const tg_wordvec *wv, const tg_vocab *v, const int32_t *vec_of, const float *Wd, uint32_t L,
                         float alpha, float *rows)
{
	float add[TG_MODEL_MAX_LABELS];
	uint32_t with = 0;
	for (uint32_t f = 0, r = 0; f < v->n; f++) {
		if (v->is_subword[f])
			continue;
		if (vec_of[f] >= 0) {
			tg_wordvec_scores(wv, (size_t)vec_of[f], Wd, L, alpha * v->idf[f], add);
			for (uint32_t k = 0; k < L; k++)
				rows[(size_t)r * L + k] += add[k];
			with++;
		}
		r++;
	}
	return with;
}
