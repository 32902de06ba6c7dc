#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "calibrate.h"
#include "model_write.h"
#include "train.h"

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int tg_evaluate(const tg_model *m, const tg_example_set *docs, tg_metrics *out)
{
	tg_labelmask *truth = malloc((docs->n ? docs->n : 1) * sizeof *truth);
	tg_labelmask *tagged = malloc((docs->n ? docs->n : 1) * sizeof *tagged);
	uint32_t *top = malloc((docs->n ? docs->n : 1) * sizeof *top);
	if (!truth || !tagged || !top) {
		free(truth), free(tagged), free(top);
		return -1;
	}
	for (size_t i = 0; i < docs->n; i++) {
		tg_sums sums;
		float z[TG_MODEL_MAX_LABELS];
		tg_model_accumulate(m, docs->items[i].text, docs->items[i].len, &sums);
		tg_model_logits(m, &sums, z);
		truth[i] = docs->items[i].labels;
		top[i] = tg_model_top(m, z);
		tagged[i] = (tg_labelmask)1 << top[i];
		for (uint32_t k = 0; k < m->n_labels; k++)
			if (tg_model_tagged(m, z, k))
				tagged[i] |= (tg_labelmask)1 << k;
	}
	tg_metrics_compute(truth, tagged, top, docs->n, m->n_labels, out);
	free(truth), free(tagged), free(top);
	return 0;
}

/* Platt curves and thresholds from the model's own margins on validation. */
static int calibrate(const tg_model *margins_model, const tg_example_set *val,
                     tg_label_params *params)
{
	uint32_t nl = margins_model->n_labels;
	size_t n = val->n;
	float *s = malloc((n ? n : 1) * nl * sizeof *s);
	float *col = malloc((n ? n : 1) * sizeof *col);
	unsigned char *y = malloc(n ? n : 1);
	if (!s || !col || !y) {
		free(s), free(col), free(y);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		tg_sums sums;
		tg_model_accumulate(margins_model, val->items[i].text, val->items[i].len, &sums);
		tg_model_logits(margins_model, &sums, s + i * nl);
	}
	for (uint32_t k = 0; k < nl; k++) {
		for (size_t i = 0; i < n; i++) {
			col[i] = s[i * nl + k];
			y[i] = (unsigned char)tg_has_label(val->items[i].labels, k);
		}
		tg_platt_fit(col, y, n, &params[k].platt_a, &params[k].platt_b);
		for (size_t i = 0; i < n; i++)
			col[i] = (float)tg_sigmoid(params[k].platt_a * col[i] + params[k].platt_b);
		params[k].threshold = tg_best_threshold(col, y, n);
	}
	free(s), free(col), free(y);
	return 0;
}

int tg_train(const char *const *labels, uint32_t n_labels, const tg_example_set *train,
             const tg_example_set *validation, const tg_example_set *test,
             const tg_train_config *cfg, tg_train_result *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	tg_vocab vocab;
	tg_sparse X = { 0 };
	float *W = NULL, *norm2 = NULL;
	tg_label_params params[TG_MODEL_MAX_LABELS];
	float bias[TG_MODEL_MAX_LABELS];
	tg_model *model = NULL;
	int rc = -1;

	if (n_labels == 0 || n_labels > TG_MODEL_MAX_LABELS) {
		snprintf(err, errlen, "%u labels: need 1 to %u", n_labels, TG_MODEL_MAX_LABELS);
		return -1;
	}
	if (tg_vocab_build(&vocab, train, cfg->features, cfg->min_df) != 0) {
		snprintf(err, errlen, "out of memory building the vocabulary");
		return -1;
	}
	double t0 = now_seconds();
	W = malloc(((size_t)vocab.n + 1) * n_labels * sizeof *W);
	norm2 = malloc(((size_t)vocab.n + 1) * sizeof *norm2);
	if (!W || !norm2 || tg_vectorize(&vocab, train, &X) != 0 ||
	    tg_linear_train(&X, train, n_labels, vocab.n, &cfg->linear, W, bias) != 0) {
		snprintf(err, errlen, "out of memory training");
		goto done;
	}
	out->seconds_learn = now_seconds() - t0;
	/* Fold idf into each row: the scorer then adds one row per occurrence. */
	for (uint32_t f = 0; f < vocab.n; f++) {
		for (uint32_t k = 0; k < n_labels; k++)
			W[(size_t)f * n_labels + k] *= vocab.idf[f];
		norm2[f] = vocab.idf[f] * vocab.idf[f];
	}
	for (uint32_t k = 0; k < n_labels; k++)
		params[k] = (tg_label_params){ bias[k], 1.0f, 0.0f, 0.5f };
	tg_model_spec spec = { cfg->features, n_labels, labels, params, vocab.n, vocab.keys, W, norm2 };
	/* First blob: raw margins (a = 1, b = 0), to calibrate on what the scorer sees. */
	for (int pass = 0; pass < 2; pass++) {
		tg_model_free(model);
		model = NULL;
		sqlite3_free(out->blob);
		out->blob = NULL;
		if (tg_model_write(&spec, &out->blob, &out->blob_len, err, errlen) != 0 ||
		    tg_model_load(out->blob, out->blob_len, &model, err, errlen) != 0)
			goto done;
		if (pass == 0 && calibrate(model, validation, params) != 0) {
			snprintf(err, errlen, "out of memory calibrating");
			goto done;
		}
	}
	if (tg_evaluate(model, validation, &out->validation) != 0 ||
	    tg_evaluate(model, test, &out->test) != 0) {
		snprintf(err, errlen, "out of memory evaluating");
		goto done;
	}
	out->n_features = vocab.n;
	rc = 0;
done:
	if (rc != 0) {
		sqlite3_free(out->blob);
		out->blob = NULL;
	}
	tg_model_free(model);
	tg_vocab_free(&vocab);
	tg_sparse_free(&X);
	free(W);
	free(norm2);
	return rc;
}
