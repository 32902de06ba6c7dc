#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "half.h"
#include "train_work.h"

static int concat(const tg_example_set *a, const tg_example_set *b, tg_example_set *out)
{
	memset(out, 0, sizeof *out);
	for (int s = 0; s < 2; s++) {
		const tg_example_set *src = s ? b : a;
		for (size_t i = 0; i < src->n; i++) {
			const tg_example *e = &src->items[i];
			if (tg_example_set_push(out, e->id, e->text, e->len, e->labels) != 0)
				return -1;
		}
	}
	return 0;
}

static void work_free(work *w)
{
	tg_example_set_free(&w->pool);
	free(w->cal);
	tg_vocab_free(&w->vocab);
	free(w->vec_of);
	tg_sparse_free(&w->X);
	tg_sparse_free(&w->Xcal);
	tg_pair_free(&w->pair);
	free(w->S1), free(w->S2), free(w->Z), free(w->W), free(w->ycal);
	free(w->cal_top), free(w->cal_tagged), free(w->cal_tagged_cross);
	free(w->row_keys), free(w->rows), free(w->row_norm2);
}

/* The calibration films' tags by thresholds that never saw them (out of fold only). */
static int cross_fit(work *w, const tg_train_config *cfg, uint32_t L)
{
	uint32_t *fold = malloc((w->n_cal ? w->n_cal : 1) * sizeof *fold);
	if (!fold)
		return -1;
	for (size_t c = 0; c < w->n_cal; c++)
		fold[c] = tg_fold_of(w->fit->items[w->cal[c]].id, cfg->folds);
	int rc = tg_cross_fitted_tags(w->Z, w->ycal, w->cal_top, fold, w->n_cal, L, cfg->folds,
	                              cfg->shared_threshold, w->cal_tagged_cross);
	free(fold);
	return rc;
}

/* At most max of the films to fit, spread evenly over them in their order (all when
** there are no more): the k-th of max is film floor(k * n / max). */
static int pick_calibration_films(work *w, size_t max)
{
	const size_t n = w->fit->n, m = n < max ? n : max;
	w->cal = malloc((m ? m : 1) * sizeof *w->cal);
	if (!w->cal)
		return -1;
	for (size_t k = 0; k < m; k++)
		w->cal[k] = (size_t)((uint64_t)k * n / m);
	w->n_cal = m;
	return 0;
}

/* The films' rows over the vocabulary, and with vectors their dense dims. */
static int vectorize(const work *w, const tg_train_config *cfg, const tg_example_set *docs, tg_sparse *out)
{
	if (tg_vectorize(&w->vocab, docs, out) != 0)
		return -1;
	if (!cfg->vectors)
		return 0;
	tg_sparse sparse = *out;
	int rc = tg_wordvec_augment(cfg->vectors, w->vec_of, w->n_sparse, (float)cfg->vector_weight, &sparse, out);
	tg_sparse_free(&sparse);
	return rc;
}

struct tg_float_scorer {
	tg_sparse X;
	float *M;                 /* the folded ensemble's weights, before idf */
	float bias[TG_MODEL_MAX_LABELS];
	const tg_label_params *params;
	uint32_t L;
};

tg_float_scorer *tg_float_scorer_new(const tg_trained *t, const tg_example_set *docs)
{
	const work *w = &t->work->w;
	const uint32_t L = w->n_labels, F = w->n_sparse + (w->cfg.vectors ? w->cfg.vectors->vec.dim : 0);
	tg_float_scorer *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->M = malloc(((size_t)F * L + 1) * sizeof *f->M);   /* + 1: never malloc(0) */
	if (!f->M || vectorize(w, &w->cfg, docs, &f->X) != 0) {
		tg_float_scorer_free(f);
		return NULL;
	}
	for (uint32_t k = 0; k < L; k++)
		f->bias[k] = t->params[k].bias;
	for (size_t c = 0; c < (size_t)F * L; c++) {
		const uint32_t k = (uint32_t)(c % L);
		f->M[c] = 0.5f * (w->platt.a1[k] * w->pair.W1[c] + w->platt.a2[k] * w->pair.W2[c]);
	}
	f->params = t->params;
	f->L = L;
	return f;
}

/* Through the float weights: the margins of the folded ensemble, Platt as the blob has it. */
void tg_float_logits(const void *scorer, size_t i, float *z)
{
	const tg_float_scorer *f = scorer;
	float margin[TG_MODEL_MAX_LABELS];
	tg_linear_margins(&f->X, i, f->M, f->bias, f->L, margin);
	for (uint32_t k = 0; k < f->L; k++)
		z[k] = (float)((double)f->params[k].platt_a * margin[k] + f->params[k].platt_b);
}

void tg_float_scorer_free(tg_float_scorer *f)
{
	if (!f)
		return;
	tg_sparse_free(&f->X);
	free(f->M);
	free(f);
}

/*
** The vectors' share of the rows (wordvec.h): each word row with a vector gets
** alpha * idf * Wd^T v added; then words with a vector that the vocabulary lacks (seen
** in fewer than --min-df training films, or in none) get rows of their own after the
** others, the first in the vectors file, at most cfg->vector_words and as many as the
** byte budget leaves room for, weighted and normed as the model's rarest word (the
** largest idf).  Returns the rows added.
*/
static uint32_t fold_vectors(work *w, uint32_t L, const tg_train_config *cfg, uint32_t rows, tg_trained *out)
{
	const tg_wordvec *wv = cfg->vectors;
	const tg_vocab *v = &w->vocab;
	const float *Wd = w->W + (size_t)w->n_sparse * L;
	const float alpha = (float)cfg->vector_weight;
	float idf_max = 1.0f;
	for (uint32_t f = 0; f < v->n; f++)
		if (!v->is_subword[f])
			idf_max = fmaxf(idf_max, v->idf[f]);
	out->n_vector_rows = tg_wordvec_fold(wv, v, w->vec_of, Wd, L, alpha, w->rows);
	size_t room = cfg->vector_words;
	if (cfg->max_rows) {
		const size_t left = cfg->max_rows > rows ? cfg->max_rows - rows : 0;
		if (left < room)
			room = left;
	}
	const float norm2 = tg_half_to_float(tg_float_to_half(idf_max * idf_max));
	uint32_t added = 0;
	for (size_t i = 0; i < wv->vec.n && added < room; i++) {
		if (tg_keymap_find(&v->index, wv->keys[i]) >= 0)
			continue;
		const size_t r = (size_t)rows + added++;
		w->row_keys[r] = wv->keys[i];
		w->row_norm2[r] = norm2;
		tg_wordvec_scores(wv, i, Wd, L, alpha * idf_max, w->rows + r * L);
	}
	out->n_vector_rows += added;
	out->n_unseen_rows = added;
	return added;
}

int tg_train(uint32_t L, const tg_example_set *train, const tg_example_set *validation,
             const tg_train_config *cfg, tg_trained *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const int oof = cfg->folds >= 2;
	if (L == 0 || L > TG_MODEL_MAX_LABELS) {
		tg_errf(err, errlen, "%u labels: need 1 to %u", L, TG_MODEL_MAX_LABELS);
		return -1;
	}
	out->work = calloc(1, sizeof *out->work);
	if (!out->work)
		goto nomem;
	work *const w = &out->work->w;
	w->cfg = *cfg;
	w->cfg.progress = NULL;   /* the caller's, gone when tg_train returns */
	w->n_labels = L;
	if (oof) {
		if (concat(train, validation, &w->pool) != 0)
			goto nomem;
		w->fit = &w->pool;
	} else {
		w->fit = (tg_example_set *)train;
	}
	if (pick_calibration_films(w, cfg->cal_films) != 0)
		goto nomem;
	double t0 = tg_seconds_now();
	if (tg_vocab_build(&w->vocab, w->fit, cfg->features, cfg->subwords, cfg->min_df) != 0 ||
	    tg_vectorize(&w->vocab, w->fit, &w->X) != 0)
		goto nomem;
	if (tg_fit_budget(w, L, cfg, &out->n_features_dropped, err, errlen) != 0)
		goto fail;
	w->n_sparse = w->vocab.n;
	uint32_t F = w->n_sparse;
	if (cfg->vectors) {
		tg_sparse sparse = w->X;
		memset(&w->X, 0, sizeof w->X);
		w->vec_of = malloc(((size_t)F + 1) * sizeof *w->vec_of);
		if (!w->vec_of) {
			tg_sparse_free(&sparse);
			goto nomem;
		}
		tg_wordvec_match(cfg->vectors, &w->vocab, w->vec_of);
		int rc_aug = tg_wordvec_augment(cfg->vectors, w->vec_of, F, (float)cfg->vector_weight, &sparse, &w->X);
		tg_sparse_free(&sparse);
		if (rc_aug != 0)
			goto nomem;
		F += cfg->vectors->vec.dim;
	}
	size_t n = w->fit->n, n_cal = oof ? w->n_cal : validation->n;
	size_t nc = n_cal ? n_cal : 1;
	w->S1 = malloc(nc * L * sizeof *w->S1);
	w->S2 = malloc(nc * L * sizeof *w->S2);
	w->Z = malloc(nc * L * sizeof *w->Z);
	w->ycal = malloc(nc * sizeof *w->ycal);
	w->cal_top = malloc(nc * sizeof *w->cal_top);
	w->cal_tagged = malloc(nc * sizeof *w->cal_tagged);
	w->cal_tagged_cross = oof ? malloc(nc * sizeof *w->cal_tagged_cross) : NULL;
	w->W = malloc(((size_t)F + 1) * L * sizeof *w->W);
	if (!w->S1 || !w->S2 || !w->Z || !w->ycal || !w->cal_top || !w->cal_tagged || (oof && !w->cal_tagged_cross) || !w->W ||
	    tg_pair_alloc(&w->pair, F, L) != 0)
		goto nomem;

	/* Calibration scores: out of fold, or the train-only model's on validation. */
	if (tg_fit_all(w, L, F, cfg, oof, 0) != 0)
		goto nomem;
	if (oof) {
		for (size_t c = 0; c < n_cal; c++)
			w->ycal[c] = w->fit->items[w->cal[c]].labels;
	} else {
		if (vectorize(w, cfg, validation, &w->Xcal) != 0)
			goto nomem;
		for (size_t i = 0; i < n_cal; i++) {
			tg_pair_margins(&w->pair, &w->Xcal, i, L, w->S1 + i * L, w->S2 + i * L);
			w->ycal[i] = validation->items[i].labels;
		}
	}
	if (tg_calibrate_ensemble(w->S1, w->S2, w->ycal, n_cal, L, cfg->threads, cfg->shared_threshold, &w->platt,
	                          w->Z, w->cal_top, w->cal_tagged) != 0 ||
	    (oof && cross_fit(w, cfg, L) != 0))
		goto nomem;
	out->seconds_learn = tg_seconds_now() - t0;

	/* Fold the ensemble and idf into one weight per feature and label (x_f = count * idf
	** / norm), then each word's n-grams (and vector) into the word's row. */
	for (uint32_t f = 0; f < F; f++)
		for (uint32_t k = 0; k < L; k++) {
			size_t c = (size_t)f * L + k;
			w->W[c] = 0.5f * (w->platt.a1[k] * w->pair.W1[c] + w->platt.a2[k] * w->pair.W2[c]) *
			         (f < w->n_sparse ? w->vocab.idf[f] : 1.0f);
		}
	const uint32_t rows = tg_vocab_rows(&w->vocab);
	const size_t most = rows + (cfg->vectors ? cfg->vectors->vec.n : 0);
	w->row_keys = malloc((most + 1) * sizeof *w->row_keys);
	w->rows = malloc((most + 1) * L * sizeof *w->rows);
	w->row_norm2 = malloc((most + 1) * sizeof *w->row_norm2);
	if (!w->row_keys || !w->rows || !w->row_norm2)
		goto nomem;
	tg_vocab_fold(&w->vocab, w->W, L, w->row_keys, w->rows, w->row_norm2);
	uint32_t n_rows = rows;
	if (cfg->vectors)
		n_rows += fold_vectors(w, L, cfg, rows, out);
	for (uint32_t k = 0; k < L; k++) {
		const calibration *cal = &w->platt;
		float bias = 0.5f * (cal->a1[k] * w->pair.b1[k] + cal->c1[k] + cal->a2[k] * w->pair.b2[k] + cal->c2[k]);
		out->params[k] = (tg_label_params){ bias, cal->a3[k], cal->c3[k], cal->threshold[k] };
	}
	out->features = cfg->features;
	out->n_rows = n_rows;
	out->row_keys = w->row_keys;
	out->rows = w->rows;
	out->row_norm2 = w->row_norm2;
	out->n_cal = n_cal;
	out->cal_truth = w->ycal;
	out->cal_tagged = w->cal_tagged;
	out->cal_tagged_cross = w->cal_tagged_cross;
	out->cal_top = w->cal_top;
	out->n_subwords = w->n_sparse - rows;
	out->fit_films = n;
	out->cal_films = w->n_cal;
	out->validation_is_oof = oof;
	return 0;
nomem:
	tg_errf(err, errlen, "out of memory training");
fail:
	tg_trained_free(out);
	return -1;
}

void tg_trained_free(tg_trained *t)
{
	if (t->work) {
		work_free(&t->work->w);
		free(t->work);
	}
	memset(t, 0, sizeof *t);
}
