#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "train_work.h"

/* A row's rank for the byte budget: its importance, ties by feature number. */
typedef struct feature_rank {
	double importance;
	uint32_t f;
} feature_rank;

static int by_importance(const void *a, const void *b)
{
	const feature_rank *x = a, *y = b;
	if (x->importance != y->importance)
		return x->importance > y->importance ? -1 : 1;
	return (x->f > y->f) - (x->f < y->f);
}

static int by_feature(const void *a, const void *b)
{
	const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/*
** The importance of each row of the model (each feature but the n-grams) from the
** ranking fit, into rank[0..rows): what its row adds to the calibration films'
** margins, the sum over the films of (count / norm) times the largest over the labels
** of |v1_k| + |v2_k|, where v is the row's weights per occurrence, idf * w folded with
** its n-grams' (tg_vocab_fold).  Without n-grams that is x_f * max_k(|w1_fk| + |w2_fk|).
*/
static int rank_rows(const work *w, uint32_t L, feature_rank *rank, uint32_t rows)
{
	const tg_vocab *v = &w->vocab;
	const uint32_t F = v->n;
	float *scaled = malloc((size_t)F * L * sizeof *scaled);
	float *v1 = malloc((size_t)rows * L * sizeof *v1), *v2 = malloc((size_t)rows * L * sizeof *v2);
	uint32_t *row_of = malloc((size_t)F * sizeof *row_of);   /* feature -> row, for the films' loop */
	int rc = -1;
	if (!scaled || !v1 || !v2 || !row_of)
		goto done;
	const float *const weights[2] = { w->pair.W1, w->pair.W2 };
	float *const folded[2] = { v1, v2 };
	for (int m = 0; m < 2; m++) {
		for (size_t c = 0; c < (size_t)F * L; c++)
			scaled[c] = weights[m][c] * v->idf[c / L];
		tg_vocab_fold(v, scaled, L, NULL, folded[m], NULL);
	}
	for (uint32_t f = 0, r = 0; f < F; f++) {
		row_of[f] = v->is_subword[f] ? UINT32_MAX : r;
		if (!v->is_subword[f])
			rank[r++] = (feature_rank){ 0, f };
	}
	for (size_t c = 0; c < w->n_cal; c++) {
		const size_t i = w->cal[c];
		for (size_t j = w->X.row_start[i]; j < w->X.row_start[i + 1]; j++) {
			const uint32_t f = w->X.col[j], r = row_of[f];
			if (r == UINT32_MAX)
				continue;
			float most = 0;
			for (uint32_t k = 0; k < L; k++)
				most = fmaxf(most, fabsf(v1[(size_t)r * L + k]) + fabsf(v2[(size_t)r * L + k]));
			rank[r].importance += (double)(w->X.val[j] / v->idf[f]) * most;
		}
	}
	rc = 0;
done:
	free(scaled), free(v1), free(v2), free(row_of);
	return rc;
}

/*
** The byte budget (cfg->max_rows, the rows a blob of --max-bytes holds): when the
** vocabulary has more rows than that, a first fit of both learners on all
** calibration films and all features ranks the rows (rank_rows), and the model is then
** trained, calibrated and measured on the best ones alone (with their n-grams), so
** that the norm and the weights it learns are those of the rows it keeps.  Rare
** features with small weights go first.  Deterministic: the sums run in film order,
** ties go to the feature seen first.  Returns 0 (w->X and w->vocab possibly cut), or
** -1 with a message.
*/
int tg_fit_budget(work *w, uint32_t L, const tg_train_config *cfg, uint32_t *dropped, char *err, size_t errlen)
{
	*dropped = 0;
	if (cfg->max_rows == 0)
		return 0;
	const uint32_t keep = cfg->max_rows;
	const uint32_t F = w->vocab.n, rows = tg_vocab_rows(&w->vocab);
	if (rows <= keep)
		return 0;
	tg_train_config ranking = *cfg;
	ranking.progress = NULL;   /* the fits that count are reported */
	feature_rank *rank = malloc((size_t)rows * sizeof *rank);
	uint32_t *kept = malloc((size_t)keep * sizeof *kept);
	if (!rank || !kept || tg_pair_alloc(&w->pair, F, L) != 0 || tg_fit_all(w, L, F, &ranking, 0, 1) != 0 ||
	    rank_rows(w, L, rank, rows) != 0)
		goto nomem;
	qsort(rank, rows, sizeof *rank, by_importance);
	for (uint32_t i = 0; i < keep; i++)
		kept[i] = rank[i].f;
	qsort(kept, keep, sizeof *kept, by_feature);
	tg_pair_free(&w->pair);
	tg_sparse_free(&w->X);
	if (tg_vocab_restrict(&w->vocab, kept, keep) != 0 || tg_vectorize(&w->vocab, w->fit, &w->X) != 0)
		goto nomem;
	free(rank);
	free(kept);
	*dropped = rows - keep;
	return 0;
nomem:
	free(rank);
	free(kept);
	tg_errf(err, errlen, "out of memory training");
	return -1;
}
