#include <stdlib.h>
#include <string.h>

#include "metrics.h"

static double f1_of(size_t tp, size_t fp, size_t fn)
{
	return tp == 0 ? 0.0 : 2.0 * tp / (double)(2 * tp + fp + fn);
}

/* splitmix64: the draws of the resamples, the same on every platform. */
static uint64_t next_draw(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A film drawn among n: the draw scaled to [0, n) by a multiply, not a division (a
** division per draw was most of the bootstrap's time). */
static size_t draw_film(uint64_t *state, size_t n)
{
	return (size_t)(((unsigned __int128)next_draw(state) * n) >> 64);
}

static int by_value(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static tg_interval middle_95(double *v)
{
	qsort(v, TG_METRICS_RESAMPLES, sizeof *v, by_value);
	const size_t tail = TG_METRICS_RESAMPLES / 40;
	return (tg_interval){ v[tail], v[TG_METRICS_RESAMPLES - 1 - tail] };
}

/* What a film adds to a resample, packed so that a draw is one load: bit 0 a P@1 hit,
** then 7 bits each (a film has at most 64 labels) of its true positives, tags and true
** labels among the model's labels. */
#define HIT(c) ((c) & 1u)
#define TP(c) (((c) >> 1) & 127u)
#define TAGS(c) (((c) >> 8) & 127u)
#define TRUTHS(c) (((c) >> 15) & 127u)

static uint32_t film_counts(tg_labelmask truth, tg_labelmask tagged, uint32_t top, tg_labelmask labels)
{
	return (uint32_t)tg_has_label(truth, top) | (uint32_t)__builtin_popcountll(truth & tagged & labels) << 1 |
	       (uint32_t)__builtin_popcountll(tagged & labels) << 8 | (uint32_t)__builtin_popcountll(truth & labels) << 15;
}

/* The percentile bootstrap of micro-F1 and P@1 (n > 0): each resample draws n films
** with replacement and measures them as tg_metrics_compute does.  Returns 0, or -1
** when out of memory. */
static int bootstrap(const tg_labelmask *truth, const tg_labelmask *tagged, const uint32_t *top, size_t n,
                     uint32_t n_labels, tg_metrics *out)
{
	const tg_labelmask labels = n_labels >= 64 ? ~(tg_labelmask)0 : ((tg_labelmask)1 << n_labels) - 1;
	uint32_t *film = malloc(n * sizeof *film);
	if (!film)
		return -1;
	for (size_t i = 0; i < n; i++)
		film[i] = film_counts(truth[i], tagged[i], top[i], labels);
	double f1[TG_METRICS_RESAMPLES], p1[TG_METRICS_RESAMPLES];
	uint64_t state = 1;
	for (size_t r = 0; r < TG_METRICS_RESAMPLES; r++) {
		size_t hits = 0, tp = 0, tags = 0, truths = 0;
		for (size_t j = 0; j < n; j++) {
			const uint32_t c = film[draw_film(&state, n)];
			hits += HIT(c);
			tp += TP(c);
			tags += TAGS(c);
			truths += TRUTHS(c);
		}
		f1[r] = f1_of(tp, tags - tp, truths - tp);
		p1[r] = hits / (double)n;
	}
	free(film);
	out->micro_f1_95 = middle_95(f1);
	out->p_at_1_95 = middle_95(p1);
	return 0;
}

int tg_metrics_compute(const tg_labelmask *truth, const tg_labelmask *tagged, const uint32_t *top,
                       size_t n, uint32_t n_labels, tg_metrics *out)
{
	memset(out, 0, sizeof *out);
	out->n = n;
	out->n_labels = n_labels;
	size_t hits = 0, tp = 0, fp = 0, fn = 0;
	for (size_t i = 0; i < n; i++) {
		hits += tg_has_label(truth[i], top[i]);
		for (uint32_t k = 0; k < n_labels; k++) {
			int t = tg_has_label(truth[i], k), g = tg_has_label(tagged[i], k);
			tg_label_metrics *m = &out->label[k];
			m->support += t;
			m->tp += t && g;
			m->fp += !t && g;
			m->fn += t && !g;
		}
	}
	double macro = 0;
	for (uint32_t k = 0; k < n_labels; k++) {
		tg_label_metrics *m = &out->label[k];
		m->precision = m->tp + m->fp ? m->tp / (double)(m->tp + m->fp) : 0;
		m->recall = m->support ? m->tp / (double)m->support : 0;
		m->f1 = f1_of(m->tp, m->fp, m->fn);
		macro += m->f1;
		tp += m->tp, fp += m->fp, fn += m->fn;
	}
	out->micro_precision = tp + fp ? tp / (double)(tp + fp) : 0;
	out->micro_recall = tp + fn ? tp / (double)(tp + fn) : 0;
	out->micro_f1 = f1_of(tp, fp, fn);
	out->macro_f1 = n_labels ? macro / n_labels : 0;
	out->p_at_1 = n ? hits / (double)n : 0;
	return n ? bootstrap(truth, tagged, top, n, n_labels, out) : 0;
}
