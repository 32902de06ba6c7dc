#include <stdlib.h>

#include "ranking.h"
#include "score.h"

int tg_evaluate_logits(const tg_model *m, const tg_example_set *docs, tg_logits_fn logits, const void *scorer,
                       tg_metrics *out)
{
	size_t n = docs->n ? docs->n : 1;
	tg_labelmask *truth = malloc(n * sizeof *truth), *tagged = malloc(n * sizeof *tagged);
	uint32_t *top = malloc(n * sizeof *top);
	if (!truth || !tagged || !top) {
		free(truth), free(tagged), free(top);
		return -1;
	}
	tg_ranking r = { .n = m->n_labels };
	for (size_t i = 0; i < docs->n; i++) {
		logits(scorer, i, r.z);
		truth[i] = docs->items[i].labels;
		top[i] = r.top = tg_model_top(m, r.z);
		tagged[i] = 0;
		for (uint32_t k = 0; k < m->n_labels; k++)
			if (tg_ranking_tagged(m, &r, k))
				tagged[i] |= (tg_labelmask)1 << k;
	}
	const int rc = tg_metrics_compute(truth, tagged, top, docs->n, m->n_labels, out);
	free(truth), free(tagged), free(top);
	return rc;
}

typedef struct blob_scorer {
	const tg_model *m;
	const tg_example_set *docs;
} blob_scorer;

/* Through the loaded blob, as tg_predict scores. */
static void blob_logits(const void *scorer, size_t i, float *z)
{
	const blob_scorer *b = scorer;
	tg_sums sums;
	tg_model_accumulate(b->m, b->docs->items[i].text, b->docs->items[i].len, &sums);
	tg_model_logits(b->m, &sums, z);
}

int tg_evaluate(const tg_model *m, const tg_example_set *docs, tg_metrics *out)
{
	const blob_scorer b = { m, docs };
	return tg_evaluate_logits(m, docs, blob_logits, &b, out);
}
