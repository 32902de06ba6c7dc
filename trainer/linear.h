/*
** One-vs-rest linear classifiers over sparse rows, one per label, trained by dual
** coordinate descent (Hsieh et al., ICML 2008) for the L2-regularized squared
** hinge loss.  Each label's problem is independent, so labels are spread over
** threads; each uses its own seeded order, so results do not depend on threads.
*/
#ifndef TG_LINEAR_H
#define TG_LINEAR_H

#include "example.h"
#include "vocab.h"

typedef struct tg_linear_params {
	double C;            /* inverse regularization strength */
	double pos_weight;   /* C multiplier for a label's positive rows (1 = none) */
	int max_epochs;
	double tolerance;    /* stop when the projected gradient's spread falls below it */
	uint64_t seed;
	int threads;
} tg_linear_params;

/* W: n_feats x n_labels, row-major; bias: n_labels.  Returns 0, or -1 on out of memory. */
int tg_linear_train(const tg_sparse *X, const tg_example_set *docs, uint32_t n_labels,
                    uint32_t n_feats, const tg_linear_params *p, float *W, float *bias);

/* Margins of row i for every label: bias + w . x_i. */
void tg_linear_margins(const tg_sparse *X, size_t i, const float *W, const float *bias,
                       uint32_t n_labels, float *out);

#endif
