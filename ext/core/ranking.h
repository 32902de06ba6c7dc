/*
** A text's genres in order: the calibrated logits of every label, the labels
** sorted best first, and the tagging rule shared by tg_tags and tg_genres (a label
** is tagged when its probability reaches its threshold; the top label always is).
** Lives on the caller's stack: ranking a text allocates nothing.
*/
#ifndef TG_RANKING_H
#define TG_RANKING_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "model.h"

typedef struct tg_ranking {
	float z[TG_MODEL_MAX_LABELS];        /* calibrated logit per label */
	uint8_t order[TG_MODEL_MAX_LABELS];  /* label indices, best first */
	uint32_t n;                          /* labels */
	uint32_t n_ranked;                   /* entries in order: n, or the tagged ones (tg_rank_tagged) */
	uint32_t top;                        /* order[0], as tg_model_top chooses it */
} tg_ranking;

/* No NaN logit: only a hostile model's weights give one (inf - inf). */
static inline int tg_ranking_finite(const tg_ranking *r)
{
	int finite = 1;
	for (uint32_t k = 0; k < r->n; k++)
		finite &= r->z[k] == r->z[k];
	return finite;
}

/* Label k into order[1..*filled], after the labels whose logit is not below its own:
** one step of a stable insertion sort (order[0], the top label, stays first). */
static inline void tg_ranking_insert(tg_ranking *r, uint32_t *filled, uint32_t k)
{
	uint32_t j = (*filled)++;
	while (j > 1 && r->z[r->order[j - 1]] < r->z[k]) {
		r->order[j] = r->order[j - 1];
		j--;
	}
	r->order[j] = (uint8_t)k;
}

#ifdef TG_SSE2
/*
** tg_ranking_order's counts, width (the labels padded to a multiple of 4, a constant
** in each call) at a time: the loop over a label's groups of four unrolls, with the
** logits and lane numbers in registers.  zp holds the logits, padded with -inf.
*/
static inline __attribute__((always_inline)) void tg_ranking_count(tg_ranking *r, const float *zp, uint32_t width)
{
	__m128 z[TG_MODEL_MAX_LABELS / 4];
	__m128i lane[TG_MODEL_MAX_LABELS / 4];
	for (uint32_t g = 0; g < width / 4; g++) {
		z[g] = _mm_loadu_ps(zp + 4 * g);
		lane[g] = _mm_add_epi32(_mm_setr_epi32(0, 1, 2, 3), _mm_set1_epi32((int)(4 * g)));
	}
	for (uint32_t k = 0; k < r->n; k++) {
		const __m128 zk = _mm_set1_ps(zp[k]);
		const __m128i kk = _mm_set1_epi32((int)k);
		__m128i count = _mm_setzero_si128();   /* true is -1 */
		for (uint32_t g = 0; g < width / 4; g++) {
			/* Greater, or equal and before k. */
			const __m128i before = _mm_cmplt_epi32(lane[g], kk);
			count = _mm_sub_epi32(count, _mm_castps_si128(_mm_cmpgt_ps(z[g], zk)));
			count = _mm_sub_epi32(count, _mm_and_si128(_mm_castps_si128(_mm_cmpeq_ps(z[g], zk)), before));
		}
		count = _mm_add_epi32(count, _mm_shuffle_epi32(count, 0x4e));
		count = _mm_add_epi32(count, _mm_shuffle_epi32(count, 0xb1));
		r->order[_mm_cvtsi128_si32(count)] = (uint8_t)k;
	}
}
#endif

/*
** order[] from z[] and top: top first, then the other labels by falling logit, equal
** logits in label order (a stable insertion sort).  Without NaNs that is: label k
** goes to position "labels before it", those with a greater logit or an equal one
** and a lower index, which SSE2 counts four labels at a time with no branch on the
** data (sorting 20 logits by comparisons mispredicts a branch every few steps).
*/
static inline void tg_ranking_order(tg_ranking *r)
{
	const uint32_t n = r->n;
#ifdef TG_SSE2
	if (tg_ranking_finite(r)) {
		const uint32_t width = (n + 3) & ~3u;
		float zp[TG_MODEL_MAX_LABELS];
		memcpy(zp, r->z, n * sizeof *zp);
		for (uint32_t j = n; j < width; j++)
			zp[j] = -INFINITY;   /* padding: never greater, and after every label */
		TG_BY_WIDTH(width, tg_ranking_count(r, zp, TG_W));
		return;
	}
#endif
	/* Insertion sort, stable: equal logits keep label order, as tg_model_top does. */
	r->order[0] = (uint8_t)r->top;
	uint32_t filled = 1;
	for (uint32_t k = 0; k < n; k++)
		if (k != r->top)
			tg_ranking_insert(r, &filled, k);
}

/* The text's logits and top label into r (n = the labels, nothing ordered yet).
** Returns 0 (n = 0) when the text has no tokens. */
static inline int tg_ranking_score(const tg_model *m, const void *text, size_t len, tg_ranking *r)
{
	tg_sums sums;
	tg_model_accumulate(m, text, len, &sums);
	r->n = r->n_ranked = 0;
	if (sums.n_tokens == 0)
		return 0;
	tg_model_logits(m, &sums, r->z);
	r->n = m->n_labels;
	r->top = tg_model_top(m, r->z);
	return 1;
}

/* Scores and ranks the text.  Returns 0 (and ranks nothing) when it has no tokens. */
static inline int tg_rank_text(const tg_model *m, const void *text, size_t len, tg_ranking *r)
{
	if (!tg_ranking_score(m, text, len, r))
		return 0;
	r->n_ranked = r->n;
	tg_ranking_order(r);
	return 1;
}

static inline int tg_ranking_tagged(const tg_model *m, const tg_ranking *r, uint32_t k)
{
	return k == r->top || tg_model_tagged(m, r->z, k);
}

/*
** tg_rank_text for the tagged labels only, in the same order (order[0..n_ranked)):
** a text has a few of them, and ordering a few costs less than ordering all.
** Returns 0 (and ranks nothing) when the text has no tokens.
*/
static inline int tg_rank_tagged(const tg_model *m, const void *text, size_t len, tg_ranking *r)
{
	if (!tg_ranking_score(m, text, len, r))
		return 0;
	uint32_t filled = 0;
	if (!tg_ranking_finite(r)) {
		/* NaN logits: the full order, as tg_rank_text has it, filtered. */
		tg_ranking_order(r);
		for (uint32_t i = 0; i < r->n; i++)
			if (tg_ranking_tagged(m, r, r->order[i]))
				r->order[filled++] = r->order[i];
	} else {
		/* The order of tg_ranking_order among the tagged labels. */
		r->order[filled++] = (uint8_t)r->top;
		for (uint32_t k = 0; k < r->n; k++)
			if (k != r->top && tg_model_tagged(m, r->z, k))
				tg_ranking_insert(r, &filled, k);
	}
	r->n_ranked = filled;
	return 1;
}

#endif
