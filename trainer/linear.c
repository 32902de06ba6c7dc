#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "linear.h"

typedef struct job {
	const tg_sparse *X;
	const tg_example_set *docs;
	const tg_linear_params *p;
	uint32_t n_labels, n_feats, first_label, stride;
	float *W, *bias;
	int failed;
} job;

static uint64_t next_random(uint64_t *s)
{
	*s += 0x9e3779b97f4a7c15ULL;
	return tg_mix64(*s);
}

/* The bias is learned as the weight of a constant feature 1, as liblinear does. */
static int train_label(const job *j, uint32_t k)
{
	const tg_sparse *X = j->X;
	size_t n = X->n_rows;
	double *w = calloc((size_t)j->n_feats + 1, sizeof *w);
	double *alpha = calloc(n ? n : 1, sizeof *alpha);
	double *qii = malloc((n ? n : 1) * sizeof *qii);
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	if (!w || !alpha || !qii || !order) {
		free(w), free(alpha), free(qii), free(order);
		return -1;
	}
	const double diag_pos = 0.5 / (j->p->C * j->p->pos_weight), diag_neg = 0.5 / j->p->C;
	for (size_t i = 0; i < n; i++) {
		double sq = 1.0;
		for (size_t e = X->row_start[i]; e < X->row_start[i + 1]; e++)
			sq += (double)X->val[e] * X->val[e];
		qii[i] = sq + (tg_has_label(j->docs->items[i].labels, k) ? diag_pos : diag_neg);
		order[i] = i;
	}
	uint64_t rng = j->p->seed ^ ((uint64_t)k << 32);
	for (int epoch = 0; epoch < j->p->max_epochs; epoch++) {
		for (size_t i = n; i > 1; i--) {
			size_t r = (size_t)(next_random(&rng) % i), t = order[i - 1];
			order[i - 1] = order[r];
			order[r] = t;
		}
		double pg_max = -1e300, pg_min = 1e300;
		for (size_t oi = 0; oi < n; oi++) {
			size_t i = order[oi];
			int pos = tg_has_label(j->docs->items[i].labels, k);
			double y = pos ? 1.0 : -1.0, diag = pos ? diag_pos : diag_neg;
			double dot = w[j->n_feats];
			for (size_t e = X->row_start[i]; e < X->row_start[i + 1]; e++)
				dot += w[X->col[e]] * X->val[e];
			double g = y * dot - 1.0 + diag * alpha[i];
			double pg = alpha[i] == 0 && g > 0 ? 0 : g;
			if (pg > pg_max)
				pg_max = pg;
			if (pg < pg_min)
				pg_min = pg;
			if (pg == 0)
				continue;
			double old = alpha[i];
			alpha[i] = old - g / qii[i];
			if (alpha[i] < 0)
				alpha[i] = 0;
			double step = (alpha[i] - old) * y;
			for (size_t e = X->row_start[i]; e < X->row_start[i + 1]; e++)
				w[X->col[e]] += step * X->val[e];
			w[j->n_feats] += step;
		}
		if (pg_max - pg_min < j->p->tolerance)
			break;
	}
	for (uint32_t f = 0; f < j->n_feats; f++)
		j->W[(size_t)f * j->n_labels + k] = (float)w[f];
	j->bias[k] = (float)w[j->n_feats];
	free(w), free(alpha), free(qii), free(order);
	return 0;
}

static void *run_job(void *arg)
{
	job *j = arg;
	for (uint32_t k = j->first_label; k < j->n_labels; k += j->stride)
		if (train_label(j, k) != 0)
			j->failed = 1;
	return NULL;
}

int tg_linear_train(const tg_sparse *X, const tg_example_set *docs, uint32_t n_labels,
                    uint32_t n_feats, const tg_linear_params *p, float *W, float *bias)
{
	int threads = p->threads < 1 ? 1 : p->threads > 16 ? 16 : p->threads;
	job jobs[16];
	pthread_t tids[16];
	int started[16] = { 0 };
	for (int t = 0; t < threads; t++) {
		jobs[t] = (job){ X, docs, p, n_labels, n_feats, (uint32_t)t, (uint32_t)threads, W, bias, 0 };
		/* Thread 0's share runs here; a thread that fails to start runs inline too. */
		if (t > 0 && pthread_create(&tids[t], NULL, run_job, &jobs[t]) == 0)
			started[t] = 1;
	}
	run_job(&jobs[0]);
	int failed = jobs[0].failed;
	for (int t = 1; t < threads; t++) {
		if (started[t])
			pthread_join(tids[t], NULL);
		else
			run_job(&jobs[t]);
		failed |= jobs[t].failed;
	}
	return failed ? -1 : 0;
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
