/*
** Naive-Bayes log-count ratios (Wang and Manning, "Baselines and Bigrams", 2012):
** how much more often a feature appears in a label's texts than in the others'.
** Scaling features by them before a linear SVM (NB-SVM) helps rare labels most.
*/
#ifndef TG_NB_RATIO_H
#define TG_NB_RATIO_H

#include "vocab.h"

/* R[f * n_labels + k] = log((p_f / |p|_1) / (q_f / |q|_1)), with p = alpha + the number
** of label-k rows (among rows[]) containing f, q the same over the other rows.
** Columns of X from n_feats on (the word vectors' dims, wordvec.h) are not counted.
** Returns 0, or -1 when out of memory. */
int tg_nb_ratios(const tg_sparse *X, const tg_example_set *docs, const size_t *rows, size_t n_rows,
                 uint32_t n_labels, uint32_t n_feats, double alpha, float *R);

#endif
