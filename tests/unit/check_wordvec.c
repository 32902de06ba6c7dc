/*
** Word vectors in the model (trainer/learn/wordvec.c): which words of a vectors file
** are kept (tg's tokens only, the first of a folded key, the training films' words and
** a bounded number of others), their normalisation, and the fold: a text scored
** through the words' rows (vector scores folded in, as the extension adds rows) gets
** the margin the learners see through the sparse features and the dense dims.
*/
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feature_keys.h"
#include "wordvec.h"
#include "check_random.h"
#include "check_run.h"
#include "check_temp.h"
#include "check_texts.h"

/* Three dims.  "Murder" folds to the key of "murder", which came first; "don't" is two
** tokens and "x" none; "ghost" and "castle" are in no text. */
static const char vec_file[] =
	"9 3\n"
	"the 1 0 0\n"
	"murder 0 2 0\n"
	"Murder 5 5 5\n"
	"don't 1 1 1\n"
	"x 1 1 1\n"
	"ghost 0 0 3\n"
	"detective 1 1 0\n"
	"castle 2 0 1\n"
	"village 0 1 1\n";

static const char *path;

static void load(tg_wordvec *wv, size_t unseen_max)
{
	tg_keymap seen;
	char err[256] = "";
	ck_assert_int_eq(tg_keymap_init(&seen, 64), 0);
	for (size_t i = 0; i < n_texts; i++)
		ck_assert_int_eq(tg_wordvec_see(&seen, texts[i], strlen(texts[i])), 0);
	path = tg_test_write_temp(vec_file, sizeof vec_file - 1);
	int rc = tg_wordvec_load(wv, path, &seen, unseen_max, err, sizeof err);
	unlink(path);
	tg_keymap_free(&seen);
	ck_assert_msg(rc == 0, "%s", err);
}

static int64_t find(const tg_wordvec *wv, const char *word)
{
	tg_tokenizer t;
	tg_token tok;
	tg_tokenizer_init(&t, word, strlen(word));
	ck_assert(tg_next_token(&t, &tok));
	return tg_keymap_find(&wv->index, tg_unigram_key(tok.hash));
}

START_TEST(test_kept_words)
{
	tg_wordvec wv;
	load(&wv, 1);
	ck_assert_uint_eq(wv.vec.n_read, 9);
	ck_assert_uint_eq(wv.vec.dim, 3);
	/* the, murder, detective, village from the texts; ghost, the first other. */
	ck_assert_uint_eq(wv.matched, 4);
	ck_assert_uint_eq(wv.unseen, 1);
	ck_assert_uint_eq(wv.vec.n, 5);
	ck_assert_str_eq(wv.vec.words[1], "murder");
	ck_assert_int_ge(find(&wv, "ghost"), 0);
	ck_assert_int_lt(find(&wv, "castle"), 0);
	ck_assert_int_lt(find(&wv, "don"), 0);
	ck_assert_str_eq(wv.name, strrchr(path, '/') + 1);
	ck_assert_uint_eq(strlen(wv.sha256), 64);
	/* Centred on the texts' words' mean, then of length 1. */
	for (size_t i = 0; i < wv.vec.n; i++) {
		double n2 = 0;
		for (uint32_t j = 0; j < 3; j++)
			n2 += (double)wv.vec.values[i * 3 + j] * wv.vec.values[i * 3 + j];
		ck_assert_double_eq_tol(n2, 1.0, 1e-6);
	}
	/* murder's raw (0 2 0) minus the mean of the, murder, detective and village
	** (0.5 1 0.25), not ghost's: (-0.5 1 -0.25) scaled. */
	const float *m = wv.vec.values + 3;
	ck_assert_float_lt(m[0], 0);
	ck_assert_float_gt(m[1], 0);
	ck_assert_float_lt(m[2], 0);
	ck_assert_double_eq_tol(m[1] / m[0], -2.0, 1e-5);
	ck_assert_double_eq_tol(m[2] / m[0], 0.5, 1e-5);
	tg_wordvec_free(&wv);
	load(&wv, 0);
	ck_assert_uint_eq(wv.vec.n, 4);
	ck_assert_uint_eq(wv.unseen, 0);
	tg_wordvec_free(&wv);
}
END_TEST

/* A text's margin through the learners' columns (sparse and dense) against the words'
** rows with the vectors folded in, summed and normed as the extension scores. */
START_TEST(test_fold_scores_as_features)
{
	tg_wordvec wv;
	load(&wv, 0);
	tg_example_set docs;
	text_set(&docs);
	tg_vocab v;
	ck_assert_int_eq(tg_vocab_build(&v, &docs, TG_FEAT_UNIGRAM, (tg_subword_range){ 4, 4 }, 2), 0);
	const uint32_t F = v.n, dim = wv.vec.dim, rows = tg_vocab_rows(&v);
	const float alpha = 0.7f;
	int32_t *vec_of = malloc(F * sizeof *vec_of);
	float *W = malloc((F + dim) * sizeof *W), *scaled = malloc((F + dim) * sizeof *scaled);
	float *row = malloc(rows * sizeof *row), *norm2 = malloc(rows * sizeof *norm2);
	uint64_t *keys = malloc(rows * sizeof *keys);
	ck_assert(vec_of && W && scaled && row && norm2 && keys);
	tg_wordvec_match(&wv, &v, vec_of);
	uint32_t with = 0;
	for (uint32_t f = 0; f < F; f++)
		with += vec_of[f] >= 0;
	/* the, detective, village: murder is in one text, under min_df. */
	ck_assert_uint_eq(with, 3);
	uint64_t rng = 777;
	for (uint32_t c = 0; c < F + dim; c++) {
		W[c] = (float)((double)(tg_test_random(&rng) % 2001) / 1000.0 - 1.0);
		scaled[c] = c < F ? W[c] * v.idf[c] : W[c];
	}
	tg_vocab_fold(&v, scaled, 1, keys, row, norm2);
	ck_assert_uint_eq(tg_wordvec_fold(&wv, &v, vec_of, scaled + F, 1, alpha, row), 3);
	tg_sparse X, Xa;
	ck_assert_int_eq(tg_vectorize(&v, &docs, &X), 0);
	ck_assert_int_eq(tg_wordvec_augment(&wv, vec_of, F, alpha, &X, &Xa), 0);
	for (size_t d = 0; d < n_texts; d++) {
		ck_assert_uint_eq(Xa.row_start[d + 1] - Xa.row_start[d], X.row_start[d + 1] - X.row_start[d] + dim);
		double by_features = 0;
		for (size_t j = Xa.row_start[d]; j < Xa.row_start[d + 1]; j++)
			by_features += (double)W[Xa.col[j]] * Xa.val[j];
		double sum = 0, n2 = 0;
		tg_tokenizer t;
		tg_token tok;
		tg_tokenizer_init(&t, texts[d], strlen(texts[d]));
		while (tg_next_token(&t, &tok))
			for (uint32_t r = 0; r < rows; r++)
				if (keys[r] == tg_unigram_key(tok.hash)) {
					sum += row[r];
					n2 += norm2[r];
				}
		const double by_rows = n2 > 0 ? sum / sqrt(n2) : 0;
		ck_assert_msg(fabs(by_rows - by_features) <= 1e-5 * (1 + fabs(by_features)),
		              "text %zu: %.9f through the rows, %.9f through the features", d, by_rows, by_features);
	}
	tg_sparse_free(&X);
	tg_sparse_free(&Xa);
	free(vec_of), free(W), free(scaled), free(row), free(norm2), free(keys);
	tg_vocab_free(&v);
	tg_example_set_free(&docs);
	tg_wordvec_free(&wv);
}
END_TEST

static Suite *wordvec_suite(void)
{
	Suite *s = suite_create("wordvec");
	TCase *tc = tcase_create("wordvec");
	tcase_add_test(tc, test_kept_words);
	tcase_add_test(tc, test_fold_scores_as_features);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(wordvec_suite());
}
