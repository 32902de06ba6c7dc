#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "error.h"
#include "model_write.h"
#include "pipeline.h"

/* The learner's figures, as the run reports them. */
static void copy_counts(const tg_trained *t, tg_train_result *out)
{
	out->n_features = t->n_rows;
	out->n_subwords = t->n_subwords;
	out->n_features_dropped = t->n_features_dropped;
	out->n_vector_rows = t->n_vector_rows;
	out->n_unseen_rows = t->n_unseen_rows;
	out->fit_films = t->fit_films;
	out->cal_films = t->cal_films;
	out->validation_is_oof = t->validation_is_oof;
	out->seconds_learn = t->seconds_learn;
}

int tg_pipeline_learn(const tg_prepared *p, const tg_train_config *cfg, tg_train_result *out, char *err,
                      size_t errlen)
{
	const char *const *labels = (const char *const *)p->labels;
	const uint32_t L = p->n_labels;
	const tg_example_set *validation = &p->split[TG_SPLIT_VALIDATION], *test = &p->split[TG_SPLIT_TEST];
	tg_train_config c = *cfg;
	memset(out, 0, sizeof *out);
	/* (a label count out of range is tg_train's to refuse first) */
	if (c.max_model_bytes && L >= 1 && L <= TG_MODEL_MAX_LABELS) {
		c.max_rows = tg_model_rows_within(labels, L, c.max_model_bytes);
		if (c.max_rows == 0) {
			tg_errf(err, errlen, "--max-bytes %llu is too small for a model of %u labels",
			        (unsigned long long)c.max_model_bytes, L);
			return -1;
		}
	}
	tg_trained t;
	if (tg_train(L, &p->split[TG_SPLIT_TRAIN], validation, &c, &t, err, errlen) != 0)
		return -1;
	tg_model *m = NULL;
	tg_float_scorer *fs = NULL;
	int rc = -1;
	const tg_model_spec spec = { t.features, L, labels, t.params, t.n_rows, t.row_keys, t.rows, t.row_norm2 };
	if (tg_model_write(&spec, &out->blob, &out->blob_len, err, errlen) != 0 ||
	    tg_model_load(out->blob, out->blob_len, &m, err, errlen) != 0)
		goto done;
	if (t.validation_is_oof) {
		if (tg_metrics_compute(t.cal_truth, t.cal_tagged, t.cal_top, t.n_cal, L, &out->validation) != 0 ||
		    tg_metrics_compute(t.cal_truth, t.cal_tagged_cross, t.cal_top, t.n_cal, L, &out->validation_cross) != 0)
			goto nomem;
	} else if (tg_evaluate(m, validation, &out->validation) != 0)
		goto nomem;
	if (tg_evaluate(m, test, &out->test) != 0 || !(fs = tg_float_scorer_new(&t, test)) ||
	    tg_evaluate_logits(m, test, tg_float_logits, fs, &out->test_unquantized) != 0)
		goto nomem;
	copy_counts(&t, out);
	rc = 0;
	goto done;
nomem:
	tg_errf(err, errlen, "out of memory training");
done:
	if (rc != 0) {
		sqlite3_free(out->blob);
		out->blob = NULL;
	}
	tg_float_scorer_free(fs);
	tg_model_free(m);
	tg_trained_free(&t);
	return rc;
}
