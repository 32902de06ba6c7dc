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
/* epoch()'s steps go inside each of its copies (GCC does not inline them into the
** AVX2 one by itself, and they would then run without it). */
#if defined(__GNUC__)
#define TG_INLINE __attribute__((always_inline))
#else
#define TG_INLINE
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

/* One solver's state.  w and the scaling are (F + 1) x Lp: labels padded to a multiple of
** 4 so the per-label loops vectorize; row F is the bias, a constant feature 1
** (regularized, as liblinear does).  alpha and qii are n x Lp: each film's dual variables
** and the diagonal of its Hessian block. */
typedef struct dcd {
	const tg_linear_problem *pr;
	uint32_t L, Lp, F;
	size_t n;
	float diag_pos, diag_neg;   /* the squared hinge's diagonal for positive/negative rows */
	float *w, *scale, *alpha, *qii;
	size_t *order;              /* the visiting order, reshuffled each epoch */
} dcd;

static void dcd_free(dcd *d)
{
	free(d->w), free(d->scale), free(d->alpha), free(d->qii), free(d->order);
}

static int dcd_alloc(dcd *d, const tg_linear_problem *pr, const tg_linear_params *p)
{
	const uint32_t L = pr->n_labels, F = pr->n_feats, Lp = (L + 3) & ~3u;
	const size_t n = pr->n_rows;
	*d = (dcd){ .pr = pr, .L = L, .Lp = Lp, .F = F, .n = n,
	            .diag_pos = (float)(0.5 / (p->C * p->pos_weight)), .diag_neg = (float)(0.5 / p->C) };
	d->w = calloc(((size_t)F + 1) * Lp, sizeof *d->w);
	/* Padded copy of the scaling; unscaled problems skip it on the hot path. */
	d->scale = pr->scale ? malloc(((size_t)F + 1) * Lp * sizeof *d->scale) : NULL;
	d->alpha = calloc((n ? n : 1) * Lp, sizeof *d->alpha);
	d->qii = malloc((n ? n : 1) * Lp * sizeof *d->qii);
	d->order = malloc((n ? n : 1) * sizeof *d->order);
	if (!d->w || (pr->scale && !d->scale) || !d->alpha || !d->qii || !d->order) {
		dcd_free(d);
		return -1;
	}
	for (uint32_t f = 0; d->scale && f <= F; f++)
		for (uint32_t k = 0; k < Lp; k++)
			d->scale[(size_t)f * Lp + k] = f < F && k < L ? pr->scale[(size_t)f * L + k] : 1.0f;
	return 0;
}

/* qii: each film's squared (scaled) norm plus the bias's 1 and its label's diagonal. */
TG_TARGET_CLONES
static void hessian_diagonal(dcd *d)
{
	const tg_sparse *X = d->pr->X;
	const uint32_t L = d->L, Lp = d->Lp;
	for (size_t i = 0; i < d->n; i++) {
		size_t r = d->pr->rows[i];
		float *q = d->qii + i * Lp;
		for (uint32_t k = 0; k < Lp; k++)
			q[k] = 1.0f;
		for (size_t e = X->row_start[r]; e < X->row_start[r + 1]; e++) {
			const float v = X->val[e];
			for (uint32_t k = 0; k < Lp; k++) {
				float x = d->scale ? v * d->scale[(size_t)X->col[e] * Lp + k] : v;
				q[k] += x * x;
			}
		}
		for (uint32_t k = 0; k < L; k++)
			q[k] += tg_has_label(d->pr->docs->items[r].labels, k) ? d->diag_pos : d->diag_neg;
		d->order[i] = i;
	}
}

/* dot = bias + w . x for row r, every label at once. */
TG_INLINE
static inline void margins(const dcd *d, size_t r, float *dot)
{
	const tg_sparse *X = d->pr->X;
	const uint32_t Lp = d->Lp;
	memcpy(dot, d->w + (size_t)d->F * Lp, Lp * sizeof *dot);
	for (size_t e = X->row_start[r]; e < X->row_start[r + 1]; e++) {
		const float *wr = d->w + (size_t)X->col[e] * Lp;
		const float v = X->val[e];
		if (d->scale) {
			const float *s = d->scale + (size_t)X->col[e] * Lp;
			for (uint32_t k = 0; k < Lp; k++)
				dot[k] += wr[k] * (v * s[k]);
		} else {
			for (uint32_t k = 0; k < Lp; k++)
				dot[k] += wr[k] * v;
		}
	}
}

/* w += step * x for row r, and the bias row += step. */
TG_INLINE
static inline void add_step(dcd *d, size_t r, const float *step)
{
	const tg_sparse *X = d->pr->X;
	const uint32_t Lp = d->Lp;
	for (size_t e = X->row_start[r]; e < X->row_start[r + 1]; e++) {
		float *wr = d->w + (size_t)X->col[e] * Lp;
		const float v = X->val[e];
		if (d->scale) {
			const float *s = d->scale + (size_t)X->col[e] * Lp;
			for (uint32_t k = 0; k < Lp; k++)
				wr[k] += step[k] * (v * s[k]);
		} else {
			for (uint32_t k = 0; k < Lp; k++)
				wr[k] += step[k] * v;
		}
	}
	float *wb = d->w + (size_t)d->F * Lp;
	for (uint32_t k = 0; k < Lp; k++)
		wb[k] += step[k];
}

/* One epoch: each film in d->order once, all labels' dual updates.  Returns the largest
** projected gradient seen (the stopping test). */
TG_TARGET_CLONES
static float epoch(dcd *d)
{
	const uint32_t L = d->L, Lp = d->Lp;
	float ypm[TG_MODEL_MAX_LABELS], diag[TG_MODEL_MAX_LABELS];
	float spread = 0;
	for (size_t oi = 0; oi < d->n; oi++) {
		size_t i = d->order[oi], r = d->pr->rows[i];
		float dot[TG_MODEL_MAX_LABELS], step[TG_MODEL_MAX_LABELS];
		float *a = d->alpha + i * Lp;
		const float *q = d->qii + i * Lp;
		margins(d, r, dot);
		tg_labelmask y = d->pr->docs->items[r].labels;
		int any = 0;
		for (uint32_t k = 0; k < Lp; k++) {
			int pos = k < L && tg_has_label(y, k);
			ypm[k] = pos ? 1.0f : -1.0f;
			diag[k] = pos ? d->diag_pos : d->diag_neg;
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
		add_step(d, r, step);
	}
	return spread;
}

int tg_linear_train(const tg_linear_problem *pr, const tg_linear_params *p, float *W, float *bias)
{
	dcd d;
	if (dcd_alloc(&d, pr, p))
		return -1;
	hessian_diagonal(&d);
	uint64_t rng = p->seed;
	for (int e = 0; e < p->max_epochs; e++) {
		shuffle(d.order, d.n, &rng);
		/* Every projected gradient this small: each label's problem is solved. */
		if (epoch(&d) < p->tolerance)
			break;
	}
	/* Back to the caller's unpadded, unscaled layout. */
	const uint32_t L = d.L, Lp = d.Lp;
	for (uint32_t f = 0; f < d.F; f++)
		for (uint32_t k = 0; k < L; k++)
			W[(size_t)f * L + k] = d.w[(size_t)f * Lp + k] * (d.scale ? d.scale[(size_t)f * Lp + k] : 1.0f);
	for (uint32_t k = 0; k < L; k++)
		bias[k] = d.w[(size_t)d.F * Lp + k];
	dcd_free(&d);
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
