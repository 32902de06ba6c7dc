/*
** The vocabulary: which feature keys a model keeps (those in at least min_df
** training texts), their inverse document frequencies, and the sparse, normalized
** vectors of texts over them.  Vectors use the same arithmetic as the scorer in
** ext/core/model_score.c: x_f = count_f * idf_f / sqrt(sum_f count_f * idf_f^2).
*/
#ifndef TG_VOCAB_H
#define TG_VOCAB_H

#include "example.h"
#include "keymap.h"

typedef struct tg_vocab {
	unsigned features;   /* TG_FEAT_* */
	uint32_t n;          /* kept features */
	uint64_t *keys;      /* n */
	uint32_t *df;        /* n */
	float *idf;          /* n */
	float *norm2;        /* n: idf^2 as the model stores it (half precision), for the norm */
	tg_keymap index;     /* key -> 0..n-1 */
} tg_vocab;

/* Sparse rows, CSR: row i is col/val[row_start[i] .. row_start[i+1]). */
typedef struct tg_sparse {
	size_t n_rows;
	size_t *row_start;
	uint32_t *col;
	float *val;
} tg_sparse;

int tg_vocab_build(tg_vocab *v, const tg_example_set *train, unsigned features, uint32_t min_df);
void tg_vocab_free(tg_vocab *v);
int tg_vectorize(const tg_vocab *v, const tg_example_set *docs, tg_sparse *out);
void tg_sparse_free(tg_sparse *s);

#endif
