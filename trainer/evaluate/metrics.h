/* Multi-label quality: micro- and macro-F1 of the tagged sets, P@1, per label. */
#ifndef TG_METRICS_H
#define TG_METRICS_H

#include <stddef.h>
#include "example.h"

typedef struct tg_label_metrics {
	size_t tp, fp, fn, support;
	double precision, recall, f1;
} tg_label_metrics;

typedef struct tg_metrics {
	size_t n;
	double micro_precision, micro_recall, micro_f1, macro_f1, p_at_1;
	uint32_t n_labels;
	tg_label_metrics label[TG_MODEL_MAX_LABELS];
} tg_metrics;

/* truth, tagged: label sets per film; top: each film's best label. */
void tg_metrics_compute(const tg_labelmask *truth, const tg_labelmask *tagged, const uint32_t *top,
                        size_t n, uint32_t n_labels, tg_metrics *out);

#endif
