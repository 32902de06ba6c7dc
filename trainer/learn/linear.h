/*
** One-vs-rest linear classifiers over sparse rows, one per label, trained by dual
** coordinate descent (Hsieh et al., ICML 2008) for the L2-regularized squared
** hinge loss.  Single-threaded and deterministic for a seed; callers run several
** problems in parallel (fit_pool.c).
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
} tg_linear_params;

/* What to learn from: some rows of X, their labels, and an optional per-label
** feature scaling (naive-Bayes ratios: label k sees x_f * scale[f * n_labels + k]). */
typedef struct tg_linear_problem {
	const tg_sparse *X;
	const tg_example_set *docs;   /* labels of X's rows, same order */
	const size_t *rows;           /* the rows to train on */
	size_t n_rows;
	const float *scale;           /* NULL, or n_feats x n_labels */
	uint32_t n_labels, n_feats;
} tg_linear_problem;

/* W: n_feats x n_labels, row-major, with the scaling folded in, so that a row's margin
** is bias + W . x whatever the scaling; bias: n_labels.  Returns 0, or -1 on out of
** memory. */
int tg_linear_train(const tg_linear_problem *prob, const tg_linear_params *p, float *W, float *bias);

/* Margins of row i for every label: bias + w . x_i. */
void tg_linear_margins(const tg_sparse *X, size_t i, const float *W, const float *bias,
                       uint32_t n_labels, float *out);

#endif
