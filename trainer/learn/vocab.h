/*
** The vocabulary: which feature keys a model keeps (those in at least min_df
** training texts), their inverse document frequencies, and the sparse, normalized
** vectors of texts over them.  Vectors use the same arithmetic as the scorer in
** ext/core/model_score.c: x_f = count_f * idf_f / sqrt(sum_f count_f * idf_f^2).
**
** With subwords (subword.h) a kept word also brings its kept n-grams, counted once
** for every time the word occurs: they are features of the word, so tg_vocab_fold
** can sum their weights, and their share of the norm, into the word's row.
*/
#ifndef TG_VOCAB_H
#define TG_VOCAB_H

#include "example.h"
#include "keymap.h"
#include "subword.h"

typedef struct tg_vocab {
	unsigned features;   /* TG_FEAT_* */
	tg_subword_range subwords;
	uint32_t n;          /* kept features */
	uint64_t *keys;      /* n */
	uint32_t *df;        /* n */
	float *idf;          /* n */
	float *norm2;        /* n: idf^2 as the model stores it (half precision), for the norm */
	uint8_t *is_subword; /* n: 1 for an n-gram, which has no row of its own in the model */
	uint32_t *sub_start; /* n + 1: feature f's n-grams are sub[sub_start[f] .. sub_start[f + 1]) */
	uint32_t *sub;       /* feature numbers of n-grams, repeats kept */
	tg_keymap index;     /* key -> 0..n-1 */
} tg_vocab;

/* Sparse rows, CSR: row i is col/val[row_start[i] .. row_start[i+1]). */
typedef struct tg_sparse {
	size_t n_rows;
	size_t *row_start;
	uint32_t *col;
	float *val;
} tg_sparse;

int tg_vocab_build(tg_vocab *v, const tg_example_set *train, unsigned features, tg_subword_range subwords,
                   uint32_t min_df);
void tg_vocab_free(tg_vocab *v);
/* The vocabulary cut to the features keep[0..n) names (ascending), with the n-grams of
** the words kept among them; df, idf and norm are those counted over all features. */
int tg_vocab_restrict(tg_vocab *v, const uint32_t *keep, uint32_t n);
/* Features that are rows of the model: all but the n-grams. */
uint32_t tg_vocab_rows(const tg_vocab *v);
/*
** The model's rows from per-feature weights W (n x L): for each feature that is a
** row, in vocabulary order, its key, its weights plus those of its n-grams, and its
** norm2 plus theirs, into keys, rows (tg_vocab_rows x L) and norm2 (keys and norm2
** may be NULL when only the weights are wanted).
*/
void tg_vocab_fold(const tg_vocab *v, const float *W, uint32_t L, uint64_t *keys, float *rows, float *norm2);
int tg_vectorize(const tg_vocab *v, const tg_example_set *docs, tg_sparse *out);
void tg_sparse_free(tg_sparse *s);

#endif
