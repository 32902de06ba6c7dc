/*
** Multi-label quality: micro- and macro-F1 of the tagged sets, P@1, per label; and how
** far micro-F1 and P@1 could move on another draw of as many films (a bootstrap
** interval): a test split of 790 films cannot tell models 0.01 apart.
*/
#ifndef TG_METRICS_H
#define TG_METRICS_H

#include <stddef.h>
#include "example.h"

/* Resamples of the films behind each interval: with 1,000, the 2.5th and 97.5th
** percentiles move between seeds by about a tenth of the figure's standard deviation
** over the resamples (0.09 measured for P@1 on 790 films). */
#define TG_METRICS_RESAMPLES 1000

typedef struct tg_label_metrics {
	size_t tp, fp, fn, support;
	double precision, recall, f1;
} tg_label_metrics;

/* The middle 95% of a figure over the resampled sets: from the 2.5th to the 97.5th
** percentile. */
typedef struct tg_interval {
	double lo, hi;
} tg_interval;

typedef struct tg_metrics {
	size_t n;
	double micro_precision, micro_recall, micro_f1, macro_f1, p_at_1;
	/* Over TG_METRICS_RESAMPLES sets of n films drawn with replacement from these (the
	** same draws for every call with the same n) */
	tg_interval micro_f1_95, p_at_1_95;
	uint32_t n_labels;
	tg_label_metrics label[TG_MODEL_MAX_LABELS];
} tg_metrics;

/* truth, tagged: label sets per film; top: each film's best label.  Returns 0, or -1
** when out of memory. */
int tg_metrics_compute(const tg_labelmask *truth, const tg_labelmask *tagged, const uint32_t *top,
                       size_t n, uint32_t n_labels, tg_metrics *out);

#endif
