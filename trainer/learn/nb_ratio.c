#include <math.h>
#include <stdlib.h>

#include "nb_ratio.h"

int tg_nb_ratios(const tg_sparse *X, const tg_example_set *docs, const size_t *rows, size_t n_rows,
                 uint32_t n_labels, uint32_t n_feats, double alpha, float *R)
{
	size_t cells = (size_t)n_feats * n_labels;
	uint32_t *pos = calloc(cells ? cells : 1, sizeof *pos);
	uint32_t *all = calloc(n_feats ? n_feats : 1, sizeof *all);
	if (!pos || !all) {
		free(pos), free(all);
		return -1;
	}
	for (size_t i = 0; i < n_rows; i++) {
		size_t r = rows[i];
		tg_labelmask y = docs->items[r].labels;
		for (size_t e = X->row_start[r]; e < X->row_start[r + 1]; e++) {
			uint32_t f = X->col[e];
			if (f >= n_feats)
				continue;
			all[f]++;
			for (uint32_t k = 0; k < n_labels; k++)
				pos[(size_t)f * n_labels + k] += tg_has_label(y, k);
		}
	}
	for (uint32_t k = 0; k < n_labels; k++) {
		double p_sum = 0, q_sum = 0;
		for (uint32_t f = 0; f < n_feats; f++) {
			uint32_t p = pos[(size_t)f * n_labels + k];
			p_sum += alpha + p;
			q_sum += alpha + (all[f] - p);
		}
		for (uint32_t f = 0; f < n_feats; f++) {
			uint32_t p = pos[(size_t)f * n_labels + k];
			R[(size_t)f * n_labels + k] =
			    (float)log(((alpha + p) / p_sum) / ((alpha + (all[f] - p)) / q_sum));
		}
	}
	free(pos), free(all);
	return 0;
}
