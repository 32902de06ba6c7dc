#include <pthread.h>
#include <stdlib.h>

#include "calibrate.h"
#include "train_work.h"

/* The Platt fits of every label, labels shared out among threads: each label's fits read
** its own column and write its own results, so any --threads gives the same. */
typedef struct cal_job {
	const float *S1, *S2;
	const tg_labelmask *y;
	size_t n;
	uint32_t L;
	calibration *cal;
	float *Z;
	unsigned next;         /* next label, taken with __atomic_fetch_add */
	int failed;
} cal_job;

/* Label k's three Platt fits; leaves its final calibrated logits in Z's column k. */
static void fit_label(cal_job *j, uint32_t k, float *col, float *col2, unsigned char *yk)
{
	const size_t n = j->n, L = j->L;
	calibration *cal = j->cal;
	float *Z = j->Z;
	for (size_t i = 0; i < n; i++) {
		col[i] = j->S1[i * L + k];
		col2[i] = j->S2[i * L + k];
		yk[i] = (unsigned char)tg_has_label(j->y[i], k);
	}
	tg_platt_fit(col, yk, n, &cal->a1[k], &cal->c1[k]);
	tg_platt_fit(col2, yk, n, &cal->a2[k], &cal->c2[k]);
	for (size_t i = 0; i < n; i++)
		col[i] = Z[i * L + k] = 0.5f * (cal->a1[k] * col[i] + cal->c1[k] + cal->a2[k] * col2[i] + cal->c2[k]);
	tg_platt_fit(col, yk, n, &cal->a3[k], &cal->c3[k]);
	for (size_t i = 0; i < n; i++)
		Z[i * L + k] = cal->a3[k] * Z[i * L + k] + cal->c3[k];
}

static void *cal_worker(void *arg)
{
	cal_job *j = arg;
	size_t nn = j->n ? j->n : 1;
	float *col = malloc(nn * sizeof *col), *col2 = malloc(nn * sizeof *col2);
	unsigned char *yk = malloc(nn);
	if (!col || !col2 || !yk)
		__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
	else
		for (uint32_t k; (k = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->L;)
			fit_label(j, k, col, col2, yk);
	free(col), free(col2), free(yk);
	return NULL;
}

/* Runs the fits on up to `threads` threads (this one included). */
static int cal_fits(cal_job *j, int threads)
{
	pthread_t tid[TG_MAX_THREADS];
	int started = 0;
	while (started + 1 < threads && started + 1 < TG_MAX_THREADS &&
	       pthread_create(&tid[started], NULL, cal_worker, j) == 0)
		started++;
	cal_worker(j);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	return j->failed ? -1 : 0;
}

/* Which films the thresholds are fit on: all of them, or every fold but one. */
typedef struct film_subset {
	const uint32_t *fold;  /* NULL: every film */
	uint32_t left_out;
} film_subset;

static int in_subset(const film_subset *s, size_t i)
{
	return !s->fold || s->fold[i] != s->left_out;
}

/*
** The thresholds on the subset's films, each film's top label tagged anyway.  Per label:
** the best F1 of that label's tags.  Shared: one threshold, the best F1 over all (film,
** label) pairs, i.e. the best micro-F1.  Per-label thresholds are each fit on a label's
** few positives and overfit the rare labels: on the real file, out of fold, thresholds
** fit on four folds and applied to the fifth scored micro-F1 0.6155 per label, 0.6246
** shared (tg_cross_fitted_tags measures it on every run).
*/
static int fit_thresholds(const float *Z, const tg_labelmask *y, const uint32_t *top, size_t n, uint32_t L,
                          const film_subset *subset, int shared, float *threshold)
{
	const size_t cells = (shared ? n * L : n) + 1;
	float *p = malloc(cells * sizeof *p);
	unsigned char *yk = malloc(cells), *forced = malloc(cells);
	int rc = p && yk && forced ? 0 : -1;
	/* One group of labels per threshold: all of them, or each on its own. */
	const uint32_t groups = shared ? 1 : L, width = shared ? L : 1;
	for (uint32_t g = 0; rc == 0 && g < groups; g++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			for (uint32_t k = g * width; in_subset(subset, i) && k < (g + 1) * width; k++, m++) {
				p[m] = (float)tg_sigmoid(Z[i * L + k]);
				yk[m] = (unsigned char)tg_has_label(y[i], k);
				forced[m] = top[i] == k;
			}
		rc = tg_best_threshold(p, yk, forced, m, &threshold[g]);
	}
	for (uint32_t k = groups; rc == 0 && k < L; k++)
		threshold[k] = threshold[0];
	free(p), free(yk), free(forced);
	return rc;
}

/* Film i's tags: its top label, and every label at its threshold. */
static tg_labelmask tags_of(const float *Z, size_t i, uint32_t L, uint32_t top, const float *threshold)
{
	tg_labelmask tagged = (tg_labelmask)1 << top;
	for (uint32_t k = 0; k < L; k++)
		if (tg_sigmoid(Z[i * L + k]) >= threshold[k])
			tagged |= (tg_labelmask)1 << k;
	return tagged;
}

int tg_calibrate_ensemble(const float *S1, const float *S2, const tg_labelmask *y, size_t n, uint32_t L,
                          int threads, int shared, calibration *cal, float *Z, uint32_t *top,
                          tg_labelmask *tagged)
{
	cal_job j = { S1, S2, y, n, L, cal, Z, 0, 0 };
	if (cal_fits(&j, threads) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		top[i] = 0;
		for (uint32_t k = 1; k < L; k++)
			if (Z[i * L + k] > Z[i * L + top[i]])
				top[i] = k;
	}
	const film_subset all = { NULL, 0 };
	if (fit_thresholds(Z, y, top, n, L, &all, shared, cal->threshold) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		tagged[i] = tags_of(Z, i, L, top[i], cal->threshold);
	return 0;
}

int tg_cross_fitted_tags(const float *Z, const tg_labelmask *y, const uint32_t *top, const uint32_t *fold,
                         size_t n, uint32_t L, uint32_t folds, int shared, tg_labelmask *tagged)
{
	float threshold[TG_MODEL_MAX_LABELS];
	for (uint32_t f = 0; f < folds; f++) {
		const film_subset others = { fold, f };
		if (fit_thresholds(Z, y, top, n, L, &others, shared, threshold) != 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (fold[i] == f)
				tagged[i] = tags_of(Z, i, L, top[i], threshold);
	}
	return 0;
}
