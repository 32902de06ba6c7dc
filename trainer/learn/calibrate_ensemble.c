#include <pthread.h>
#include <stdlib.h>

#include "calibrate.h"
#include "train_work.h"

/* One calibration stage for every label, labels shared out among threads: each label's
** fits read its own column and write its own results, so any --threads gives the same. */
typedef struct cal_job {
	const float *S1, *S2;
	const tg_labelmask *y;
	size_t n;
	uint32_t L;
	calibration *cal;
	float *Z;
	const uint32_t *top;   /* NULL: the Platt fits; else each film's top label: the thresholds */
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

/* Label k's threshold: the best F1 given that each film's top label is tagged anyway. */
static void threshold_label(cal_job *j, uint32_t k, float *col, unsigned char *yk, unsigned char *forced)
{
	const size_t n = j->n, L = j->L;
	for (size_t i = 0; i < n; i++) {
		col[i] = (float)tg_sigmoid(j->Z[i * L + k]);
		yk[i] = (unsigned char)tg_has_label(j->y[i], k);
		forced[i] = j->top[i] == k;
	}
	if (tg_best_threshold(col, yk, forced, n, &j->cal->threshold[k]) != 0)
		__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
}

static void *cal_worker(void *arg)
{
	cal_job *j = arg;
	size_t nn = j->n ? j->n : 1;
	float *col = malloc(nn * sizeof *col), *col2 = malloc(nn * sizeof *col2);
	unsigned char *yk = malloc(nn), *forced = malloc(nn);
	if (!col || !col2 || !yk || !forced)
		__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
	else
		for (uint32_t k; (k = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->L;) {
			if (j->top)
				threshold_label(j, k, col, yk, forced);
			else
				fit_label(j, k, col, col2, yk);
		}
	free(col), free(col2), free(yk), free(forced);
	return NULL;
}

/* Runs the stage on up to `threads` threads (this one included). */
static int cal_stage(cal_job *j, int threads)
{
	pthread_t tid[TG_MAX_THREADS];
	int started = 0;
	j->next = 0;
	while (started + 1 < threads && started + 1 < TG_MAX_THREADS &&
	       pthread_create(&tid[started], NULL, cal_worker, j) == 0)
		started++;
	cal_worker(j);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	return j->failed ? -1 : 0;
}

/*
** One threshold for every label: the best micro-F1 over all (film, label) pairs, each
** film's top label tagged anyway.  Per-label thresholds each fit a label's F1 on its few
** positives and overfit the rare ones: out of fold on the real file, thresholds fit on
** four folds and applied to the fifth scored micro-F1 0.6155 per label, 0.6243 shared.
*/
static int shared_threshold(const float *Z, const tg_labelmask *y, const uint32_t *top, size_t n, uint32_t L,
                            calibration *cal)
{
	const size_t m = n * L;
	float *p = malloc((m ? m : 1) * sizeof *p);
	unsigned char *yk = malloc(m ? m : 1), *forced = malloc(m ? m : 1);
	if (!p || !yk || !forced) {
		free(p), free(yk), free(forced);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < L; k++) {
			p[i * L + k] = (float)tg_sigmoid(Z[i * L + k]);
			yk[i * L + k] = (unsigned char)tg_has_label(y[i], k);
			forced[i * L + k] = top[i] == k;
		}
	float t;
	const int rc = tg_best_threshold(p, yk, forced, m, &t);
	for (uint32_t k = 0; k < L; k++)
		cal->threshold[k] = t;
	free(p), free(yk), free(forced);
	return rc;
}

int tg_calibrate_ensemble(const float *S1, const float *S2, const tg_labelmask *y, size_t n, uint32_t L,
                          int threads, int shared, calibration *cal, float *Z, uint32_t *top,
                          tg_labelmask *tagged)
{
	cal_job j = { S1, S2, y, n, L, cal, Z, NULL, 0, 0 };
	if (cal_stage(&j, threads) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		top[i] = 0;
		for (uint32_t k = 1; k < L; k++)
			if (Z[i * L + k] > Z[i * L + top[i]])
				top[i] = k;
	}
	j.top = top;
	if ((shared ? shared_threshold(Z, y, top, n, L, cal) : cal_stage(&j, threads)) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		tagged[i] = (tg_labelmask)1 << top[i];
		for (uint32_t k = 0; k < L; k++)
			if (tg_sigmoid(Z[i * L + k]) >= cal->threshold[k])
				tagged[i] |= (tg_labelmask)1 << k;
	}
	return 0;
}
