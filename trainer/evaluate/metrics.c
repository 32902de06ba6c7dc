#include <string.h>

#include "metrics.h"

static double f1_of(size_t tp, size_t fp, size_t fn)
{
	return tp == 0 ? 0.0 : 2.0 * tp / (double)(2 * tp + fp + fn);
}

void tg_metrics_compute(const tg_labelmask *truth, const tg_labelmask *tagged, const uint32_t *top,
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
}
