/*
** Dual coordinate descent for the L2-regularized squared hinge loss, all labels at
** once: each visit to a film computes its margin for every label in one pass over
** its features (contiguous per-feature weight rows, which the compiler vectorizes)
** and applies every label's update in a second pass.  Labels stay independent
** problems that merely share the visiting order.
*/
#include <stdlib.h>
#include <string.h>

#include "linear.h"

/* Vector width decides this loop's speed: on x86-64, also build an AVX2 copy and let
** the loader pick it on CPUs that have it (the results are the same either way). */
/* (Not under ThreadSanitizer: its runtime is not up yet when the ifunc resolver runs.) */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define TG_TARGET_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define TG_TARGET_CLONES
#endif

static uint64_t next_random(uint64_t *s)
{
	*s += 0x9e3779b97f4a7c15ULL;
	return tg_mix64(*s);
}

static void shuffle(size_t *order, size_t n, uint64_t *rng)
{
	for (size_t i = n; i > 1; i--) {
		size_t r = (size_t)(next_random(rng) % i), t = order[i - 1];
		order[i - 1] = order[r];
		order[r] = t;
	}
}

TG_TARGET_CLONES
int tg_linear_train(const tg_linear_problem *pr, const tg_linear_params *p, float *W, float *bias)
{
	const tg_sparse *X = pr->X;
	const uint32_t L = pr->n_labels, F = pr->n_feats, Lp = (L + 3) & ~3u;
	const size_t n = pr->n_rows;
	/* w and the scaling are (F + 1) x Lp: row F is the bias, a constant feature 1
	** (regularized, as liblinear does). */
	float *w = calloc(((size_t)F + 1) * Lp, sizeof *w);
	/* Padded copy of the scaling; unscaled problems skip it on the hot path. */
	float *scale = pr->scale ? malloc(((size_t)F + 1) * Lp * sizeof *scale) : NULL;
	float *alpha = calloc((n ? n : 1) * Lp, sizeof *alpha);
	float *qii = malloc((n ? n : 1) * Lp * sizeof *qii);
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	if (!w || (pr->scale && !scale) || !alpha || !qii || !order) {
		free(w), free(scale), free(alpha), free(qii), free(order);
		return -1;
	}
	for (uint32_t f = 0; scale && f <= F; f++)
		for (uint32_t k = 0; k < Lp; k++)
			scale[(size_t)f * Lp + k] = f < F && k < L ? pr->scale[(size_t)f * L + k] : 1.0f;

	float diag_pos = (float)(0.5 / (p->C * p->pos_weight)), diag_neg = (float)(0.5 / p->C);
	float ypm[TG_MODEL_MAX_LABELS], diag[TG_MODEL_MAX_LABELS];
	for (size_t i = 0; i < n; i++) {
		size_t r = pr->rows[i];
		float *q = qii + i * Lp;
		for (uint32_t k = 0; k < Lp; k++)
			q[k] = 1.0f;
		for (size_t e = X->row_start[r]; e < X->row_start[r + 1]; e++) {
			const float v = X->val[e];
			for (uint32_t k = 0; k < Lp; k++) {
				float x = scale ? v * scale[(size_t)X->col[e] * Lp + k] : v;
				q[k] += x * x;
			}
		}
		for (uint32_t k = 0; k < L; k++)
			q[k] += tg_has_label(pr->docs->items[r].labels, k) ? diag_pos : diag_neg;
		order[i] = i;
	}

	uint64_t rng = p->seed;
	for (int epoch = 0; epoch < p->max_epochs; epoch++) {
		shuffle(order, n, &rng);
		float spread = 0;
		for (size_t oi = 0; oi < n; oi++) {
			size_t i = order[oi], r = pr->rows[i];
			const size_t e0 = X->row_start[r], e1 = X->row_start[r + 1];
			float dot[TG_MODEL_MAX_LABELS], step[TG_MODEL_MAX_LABELS];
			float *a = alpha + i * Lp;
			const float *q = qii + i * Lp;
			memcpy(dot, w + (size_t)F * Lp, Lp * sizeof *dot);
			for (size_t e = e0; e < e1; e++) {
				const float *wr = w + (size_t)X->col[e] * Lp;
				const float v = X->val[e];
				if (scale) {
					const float *s = scale + (size_t)X->col[e] * Lp;
					for (uint32_t k = 0; k < Lp; k++)
						dot[k] += wr[k] * (v * s[k]);
				} else {
					for (uint32_t k = 0; k < Lp; k++)
						dot[k] += wr[k] * v;
				}
			}
			tg_labelmask y = pr->docs->items[r].labels;
			int any = 0;
			for (uint32_t k = 0; k < Lp; k++) {
				int pos = k < L && tg_has_label(y, k);
				ypm[k] = pos ? 1.0f : -1.0f;
				diag[k] = pos ? diag_pos : diag_neg;
			}
			for (uint32_t k = 0; k < L; k++) {
				float g = ypm[k] * dot[k] - 1.0f + diag[k] * a[k];
				float pg = a[k] == 0 && g > 0 ? 0 : g;
				if (pg > spread)
					spread = pg;
				else if (-pg > spread)
					spread = -pg;
				float old = a[k], na = old - g / q[k];
				a[k] = na < 0 ? 0 : na;
				step[k] = (a[k] - old) * ypm[k];
				any |= step[k] != 0;
			}
			if (!any)
				continue;
			for (uint32_t k = L; k < Lp; k++)
				step[k] = 0;
			for (size_t e = e0; e < e1; e++) {
				float *wr = w + (size_t)X->col[e] * Lp;
				const float v = X->val[e];
				if (scale) {
					const float *s = scale + (size_t)X->col[e] * Lp;
					for (uint32_t k = 0; k < Lp; k++)
						wr[k] += step[k] * (v * s[k]);
				} else {
					for (uint32_t k = 0; k < Lp; k++)
						wr[k] += step[k] * v;
				}
			}
			float *wb = w + (size_t)F * Lp;
			for (uint32_t k = 0; k < Lp; k++)
				wb[k] += step[k];
		}
		/* Every projected gradient this small: each label's problem is solved. */
		if (spread < p->tolerance)
			break;
	}
	for (uint32_t f = 0; f < F; f++)
		for (uint32_t k = 0; k < L; k++)
			W[(size_t)f * L + k] = w[(size_t)f * Lp + k] * (scale ? scale[(size_t)f * Lp + k] : 1.0f);
	for (uint32_t k = 0; k < L; k++)
		bias[k] = w[(size_t)F * Lp + k];
	free(w), free(scale), free(alpha), free(qii), free(order);
	return 0;
}

void tg_linear_margins(const tg_sparse *X, size_t i, const float *W, const float *bias,
                       uint32_t n_labels, float *out)
{
	memcpy(out, bias, n_labels * sizeof *out);
	for (size_t e = X->row_start[i]; e < X->row_start[i + 1]; e++) {
		const float *row = W + (size_t)X->col[e] * n_labels;
		for (uint32_t k = 0; k < n_labels; k++)
			out[k] += row[k] * X->val[e];
	}
}
