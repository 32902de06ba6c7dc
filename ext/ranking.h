/*
** A text's genres in order: the calibrated logits of every label, the labels
** sorted best first, and the tagging rule shared by tg_tags and tg_genres (a label
** is tagged when its probability reaches its threshold; the top label always is).
** Lives on the caller's stack: ranking a text allocates nothing.
*/
#ifndef TG_RANKING_H
#define TG_RANKING_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

typedef struct tg_ranking {
	float z[TG_MODEL_MAX_LABELS];        /* calibrated logit per label */
	uint8_t order[TG_MODEL_MAX_LABELS];  /* label indices, best first */
	uint32_t n;                          /* labels */
	uint32_t top;                        /* order[0], as tg_model_top chooses it */
} tg_ranking;

/* Scores and ranks the text.  Returns 0 (and ranks nothing) when it has no tokens. */
static inline int tg_rank_text(const tg_model *m, const void *text, size_t len, tg_ranking *r)
{
	tg_sums sums;
	tg_model_accumulate(m, text, len, &sums);
	r->n = 0;
	if (sums.n_tokens == 0)
		return 0;
	tg_model_logits(m, &sums, r->z);
	r->n = m->n_labels;
	r->top = tg_model_top(m, r->z);
	/* Insertion sort, stable: equal logits keep label order, as tg_model_top does. */
	r->order[0] = (uint8_t)r->top;
	uint32_t filled = 1;
	for (uint32_t k = 0; k < r->n; k++) {
		if (k == r->top)
			continue;
		uint32_t j = filled++;
		while (j > 1 && r->z[r->order[j - 1]] < r->z[k]) {
			r->order[j] = r->order[j - 1];
			j--;
		}
		r->order[j] = (uint8_t)k;
	}
	return 1;
}

static inline int tg_ranking_tagged(const tg_model *m, const tg_ranking *r, uint32_t k)
{
	return k == r->top || tg_model_tagged(m, r->z, k);
}

#endif
