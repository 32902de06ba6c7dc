#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "calibrate.h"
#include "clock.h"
#include "half.h"
#include "model_write.h"
#include "nb_ratio.h"
#include "ranking.h"
#include "train.h"

/* A scorer: the calibrated logits of film i of the split being evaluated. */
typedef void (*logits_fn)(const void *scorer, size_t i, float *z);

/* Tags every film of docs by the extension's rule (tg_ranking_tagged: the top label, and
** every label at its threshold) from the logits the scorer gives, and measures the tags. */
static int evaluate_with(const tg_model *m, const tg_example_set *docs, logits_fn logits, const void *scorer,
                         tg_metrics *out)
{
	size_t n = docs->n ? docs->n : 1;
	tg_labelmask *truth = malloc(n * sizeof *truth), *tagged = malloc(n * sizeof *tagged);
	uint32_t *top = malloc(n * sizeof *top);
	if (!truth || !tagged || !top) {
		free(truth), free(tagged), free(top);
		return -1;
	}
	tg_ranking r = { .n = m->n_labels };
	for (size_t i = 0; i < docs->n; i++) {
		logits(scorer, i, r.z);
		truth[i] = docs->items[i].labels;
		top[i] = r.top = tg_model_top(m, r.z);
		tagged[i] = 0;
		for (uint32_t k = 0; k < m->n_labels; k++)
			if (tg_ranking_tagged(m, &r, k))
				tagged[i] |= (tg_labelmask)1 << k;
	}
	tg_metrics_compute(truth, tagged, top, docs->n, m->n_labels, out);
	free(truth), free(tagged), free(top);
	return 0;
}

typedef struct blob_scorer {
	const tg_model *m;
	const tg_example_set *docs;
} blob_scorer;

/* Through the loaded blob, as tg_predict scores. */
static void blob_logits(const void *scorer, size_t i, float *z)
{
	const blob_scorer *b = scorer;
	tg_sums sums;
	tg_model_accumulate(b->m, b->docs->items[i].text, b->docs->items[i].len, &sums);
	tg_model_logits(b->m, &sums, z);
}

int tg_evaluate(const tg_model *m, const tg_example_set *docs, tg_metrics *out)
{
	const blob_scorer b = { m, docs };
	return evaluate_with(m, docs, blob_logits, &b, out);
}

/* The two learners' weights: margins are bias + W . x for each. */
typedef struct learner_pair {
	float *W1, *b1, *W2, *b2;
} learner_pair;

static int pair_alloc(learner_pair *p, uint32_t n_feats, uint32_t n_labels)
{
	size_t cells = ((size_t)n_feats + 1) * n_labels;
	p->W1 = malloc(cells * sizeof *p->W1);
	p->W2 = malloc(cells * sizeof *p->W2);
	p->b1 = malloc(n_labels * sizeof *p->b1);
	p->b2 = malloc(n_labels * sizeof *p->b2);
	return p->W1 && p->W2 && p->b1 && p->b2 ? 0 : -1;
}

static void pair_free(learner_pair *p)
{
	free(p->W1), free(p->W2), free(p->b1), free(p->b2);
	memset(p, 0, sizeof *p);
}

/* Both learners' margins for row r of X into s1[0..L) and s2[0..L). */
static void pair_margins(const learner_pair *p, const tg_sparse *X, size_t r, uint32_t n_labels,
                         float *s1, float *s2)
{
	tg_linear_margins(X, r, p->W1, p->b1, n_labels, s1);
	tg_linear_margins(X, r, p->W2, p->b2, n_labels, s2);
}

/* Per label: Platt for each learner (a1, c1, a2, c2), for their average (a3, c3),
** and the threshold. */
typedef struct calibration {
	float a1[TG_MODEL_MAX_LABELS], c1[TG_MODEL_MAX_LABELS];
	float a2[TG_MODEL_MAX_LABELS], c2[TG_MODEL_MAX_LABELS];
	float a3[TG_MODEL_MAX_LABELS], c3[TG_MODEL_MAX_LABELS];
	float threshold[TG_MODEL_MAX_LABELS];
} calibration;

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
	j->cal->threshold[k] = tg_best_threshold(col, yk, forced, n);
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

/* Fits the calibration on scores S1, S2 (n x L) of films with labels y[i]; leaves the
** final calibrated logits in Z and the metrics they score in *m. */
static int calibrate(const float *S1, const float *S2, const tg_labelmask *y, size_t n, uint32_t L,
                     int threads, calibration *cal, float *Z, tg_metrics *m)
{
	size_t nn = n ? n : 1;
	uint32_t *top = malloc(nn * sizeof *top);
	tg_labelmask *tagged = malloc(nn * sizeof *tagged);
	cal_job j = { S1, S2, y, n, L, cal, Z, NULL, 0, 0 };
	int rc = -1;
	if (!top || !tagged || cal_stage(&j, threads) != 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		top[i] = 0;
		for (uint32_t k = 1; k < L; k++)
			if (Z[i * L + k] > Z[i * L + top[i]])
				top[i] = k;
	}
	j.top = top;
	if (cal_stage(&j, threads) != 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		tagged[i] = (tg_labelmask)1 << top[i];
		for (uint32_t k = 0; k < L; k++)
			if (tg_sigmoid(Z[i * L + k]) >= cal->threshold[k])
				tagged[i] |= (tg_labelmask)1 << k;
	}
	tg_metrics_compute(y, tagged, top, n, L, m);
	rc = 0;
done:
	free(top), free(tagged);
	return rc;
}

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

static uint32_t fold_of(int64_t id, uint32_t folds)
{
	/* Ids ending in the same digit share a split; the tens decide the fold. */
	int64_t t = id / 10;
	return (uint32_t)((t < 0 ? -t : t) % folds);
}

/* Everything tg_train allocates, freed in one place. */
typedef struct work {
	tg_example_set pool, *fit;
	size_t *cal, n_cal;               /* the calibration films: indexes into fit, ascending */
	tg_vocab vocab;
	uint32_t n_sparse;                /* features of the vocabulary: the columns before the vectors' dims */
	int32_t *vec_of;                  /* with vectors: each feature's kept word, or -1 (wordvec.h) */
	tg_sparse X, Xcal;
	learner_pair pair;
	float *S1, *S2, *Z, *W;
	uint64_t *row_keys;               /* the model's rows: W folded by tg_vocab_fold */
	float *rows, *row_norm2;
	tg_labelmask *ycal;
	tg_model *model;
} work;

static void work_free(work *w)
{
	tg_example_set_free(&w->pool);
	free(w->cal);
	tg_vocab_free(&w->vocab);
	free(w->vec_of);
	tg_sparse_free(&w->X);
	tg_sparse_free(&w->Xcal);
	pair_free(&w->pair);
	free(w->S1), free(w->S2), free(w->Z), free(w->W), free(w->ycal);
	free(w->row_keys), free(w->rows), free(w->row_norm2);
	tg_model_free(w->model);
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

/*
** The fits: with out-of-fold calibration, each learner once per fold (then it scores
** the fold's films into S1 or S2) and once on all films (into w->pair); else just the
** latter.  Every fit of a learner is an independent job with its own rows, seed and
** output, so threads take them in any order and the model is the same for any
** --threads.
*/
enum { LEARNER_SVM, LEARNER_NBSVM, N_LEARNERS };

typedef struct fit_pool {
	work *w;
	const tg_train_config *cfg;
	uint32_t L, F, fits;              /* fits: folds + 1 with out-of-fold calibration, else 1 */
	int ranking;                      /* the one fit ranks features for the byte budget */
	unsigned next_job;                /* taken with __atomic_fetch_add */
	pthread_mutex_t lock;             /* guards the rest */
	unsigned learners_done[TG_MAX_FOLDS + 1], fits_done;
	int failed;
} fit_pool;

/* What one thread fits into: the final fit's weights go to w->pair instead. */
typedef struct fit_scratch {
	float *W, *b, *R;
	size_t *rows;
} fit_scratch;

static int scratch_alloc(fit_scratch *sc, size_t n, uint32_t F, uint32_t L)
{
	size_t cells = ((size_t)F + 1) * L;
	sc->W = malloc(cells * sizeof *sc->W);
	sc->R = malloc(cells * sizeof *sc->R);
	sc->b = malloc(L * sizeof *sc->b);
	sc->rows = malloc((n ? n : 1) * sizeof *sc->rows);
	return sc->W && sc->R && sc->b && sc->rows ? 0 : -1;
}

static void scratch_free(fit_scratch *sc)
{
	free(sc->W), free(sc->R), free(sc->b), free(sc->rows);
}

/*
** Fit number `fit` (fold, or the final one at fits - 1) of one learner.  The final fit
** learns from every film, or from the calibration films when it only ranks features;
** a fold's fit from the calibration films outside the fold, and scores those inside.
*/
static int run_fit(fit_pool *pool, uint32_t fit, int learner, fit_scratch *sc)
{
	work *w = pool->w;
	const tg_train_config *cfg = pool->cfg;
	const uint32_t L = pool->L, F = pool->F;
	const int final = fit == pool->fits - 1;
	size_t n_fit = 0;
	if (final && !pool->ranking) {
		for (size_t i = 0; i < w->X.n_rows; i++)
			sc->rows[n_fit++] = i;
	} else {
		for (size_t c = 0; c < w->n_cal; c++)
			if (final || fold_of(w->fit->items[w->cal[c]].id, cfg->folds) != fit)
				sc->rows[n_fit++] = w->cal[c];
	}
	float *W = final ? (learner == LEARNER_SVM ? w->pair.W1 : w->pair.W2) : sc->W;
	float *b = final ? (learner == LEARNER_SVM ? w->pair.b1 : w->pair.b2) : sc->b;
	tg_linear_problem prob = { &w->X, w->fit, sc->rows, n_fit, NULL, L, F };
	if (learner == LEARNER_NBSVM) {
		if (tg_nb_ratios(&w->X, w->fit, sc->rows, n_fit, L, w->n_sparse, cfg->nb_alpha, sc->R) != 0)
			return -1;
		/* The vectors' dims are not counts: they are not scaled. */
		for (size_t c = (size_t)w->n_sparse * L; c < (size_t)F * L; c++)
			sc->R[c] = 1.0f;
		prob.scale = sc->R;
	}
	if (tg_linear_train(&prob, learner == LEARNER_SVM ? &cfg->svm : &cfg->nbsvm, W, b) != 0)
		return -1;
	if (!final) {
		float *S = learner == LEARNER_SVM ? w->S1 : w->S2;
		for (size_t c = 0; c < w->n_cal; c++)
			if (fold_of(w->fit->items[w->cal[c]].id, cfg->folds) == fit)
				tg_linear_margins(&w->X, w->cal[c], W, b, L, S + c * L);
	}
	return 0;
}

static void *fit_worker(void *arg)
{
	fit_pool *pool = arg;
	fit_scratch sc;
	int rc = scratch_alloc(&sc, pool->w->X.n_rows, pool->F, pool->L);
	const unsigned n_jobs = pool->fits * N_LEARNERS;
	for (unsigned job; rc == 0 && (job = __atomic_fetch_add(&pool->next_job, 1, __ATOMIC_RELAXED)) < n_jobs;) {
		/* The final fit first: it has the most films, so it ends no later than the rest. */
		const uint32_t fit = pool->fits - 1 - job / N_LEARNERS;
		rc = run_fit(pool, fit, (int)(job % N_LEARNERS), &sc);
		pthread_mutex_lock(&pool->lock);
		if (rc == 0 && ++pool->learners_done[fit] == N_LEARNERS)
			tg_progress_report(pool->cfg->progress, ++pool->fits_done);
		rc = rc != 0 || pool->failed ? -1 : 0;
		pthread_mutex_unlock(&pool->lock);
	}
	scratch_free(&sc);
	if (rc != 0) {
		pthread_mutex_lock(&pool->lock);
		pool->failed = 1;
		pthread_mutex_unlock(&pool->lock);
	}
	return NULL;
}

/* All fits on up to cfg->threads threads (this one included); with ranking, the one
** fit of each learner on the calibration films. */
static int fit_all(work *w, uint32_t L, uint32_t F, const tg_train_config *cfg, int oof, int ranking)
{
	fit_pool pool = { .w = w, .cfg = cfg, .L = L, .F = F, .fits = oof ? cfg->folds + 1 : 1,
	                  .ranking = ranking };
	if (pthread_mutex_init(&pool.lock, NULL) != 0)
		return -1;
	pthread_t tid[TG_MAX_THREADS];
	int started = 0;
	while (started + 1 < cfg->threads && started + 1 < TG_MAX_THREADS &&
	       pthread_create(&tid[started], NULL, fit_worker, &pool) == 0)
		started++;
	fit_worker(&pool);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&pool.lock);
	return pool.failed ? -1 : 0;
}

/* A row's rank for the byte budget: its importance, ties by feature number. */
typedef struct feature_rank {
	double importance;
	uint32_t f;
} feature_rank;

static int by_importance(const void *a, const void *b)
{
	const feature_rank *x = a, *y = b;
	if (x->importance != y->importance)
		return x->importance > y->importance ? -1 : 1;
	return (x->f > y->f) - (x->f < y->f);
}

static int by_feature(const void *a, const void *b)
{
	const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/*
** The importance of each row of the model (each feature but the n-grams) from the
** ranking fit, into rank[0..rows): what its row adds to the calibration films'
** margins, the sum over the films of (count / norm) times the largest over the labels
** of |v1_k| + |v2_k|, where v is the row's weights per occurrence, idf * w folded with
** its n-grams' (tg_vocab_fold).  Without n-grams that is x_f * max_k(|w1_fk| + |w2_fk|).
*/
static int rank_rows(const work *w, uint32_t L, feature_rank *rank, uint32_t rows)
{
	const tg_vocab *v = &w->vocab;
	const uint32_t F = v->n;
	float *scaled = malloc((size_t)F * L * sizeof *scaled);
	float *v1 = malloc((size_t)rows * L * sizeof *v1), *v2 = malloc((size_t)rows * L * sizeof *v2);
	uint32_t *row_of = malloc((size_t)F * sizeof *row_of);   /* feature -> row, for the films' loop */
	int rc = -1;
	if (!scaled || !v1 || !v2 || !row_of)
		goto done;
	const float *const weights[2] = { w->pair.W1, w->pair.W2 };
	float *const folded[2] = { v1, v2 };
	for (int m = 0; m < 2; m++) {
		for (size_t c = 0; c < (size_t)F * L; c++)
			scaled[c] = weights[m][c] * v->idf[c / L];
		tg_vocab_fold(v, scaled, L, NULL, folded[m], NULL);
	}
	for (uint32_t f = 0, r = 0; f < F; f++) {
		row_of[f] = v->is_subword[f] ? UINT32_MAX : r;
		if (!v->is_subword[f])
			rank[r++] = (feature_rank){ 0, f };
	}
	for (size_t c = 0; c < w->n_cal; c++) {
		const size_t i = w->cal[c];
		for (size_t j = w->X.row_start[i]; j < w->X.row_start[i + 1]; j++) {
			const uint32_t f = w->X.col[j], r = row_of[f];
			if (r == UINT32_MAX)
				continue;
			float most = 0;
			for (uint32_t k = 0; k < L; k++)
				most = fmaxf(most, fabsf(v1[(size_t)r * L + k]) + fabsf(v2[(size_t)r * L + k]));
			rank[r].importance += (double)(w->X.val[j] / v->idf[f]) * most;
		}
	}
	rc = 0;
done:
	free(scaled), free(v1), free(v2), free(row_of);
	return rc;
}

/*
** The byte budget (cfg->max_model_bytes): when the vocabulary has more rows than a
** blob of that size holds (tg_model_rows_within), a first fit of both learners on all
** calibration films and all features ranks the rows (rank_rows), and the model is then
** trained, calibrated and measured on the best ones alone (with their n-grams), so
** that the norm and the weights it learns are those of the rows it keeps.  Rare
** features with small weights go first.  Deterministic: the sums run in film order,
** ties go to the feature seen first.  Returns 0 (w->X and w->vocab possibly cut), or
** -1 with a message.
*/
static int fit_budget(work *w, const char *const *labels, uint32_t L, const tg_train_config *cfg,
                      uint32_t *dropped, char *err, size_t errlen)
{
	*dropped = 0;
	if (cfg->max_model_bytes == 0)
		return 0;
	const uint32_t keep = tg_model_rows_within(labels, L, cfg->max_model_bytes);
	if (keep == 0) {
		snprintf(err, errlen, "--max-bytes %llu is too small for a model of %u labels",
		         (unsigned long long)cfg->max_model_bytes, L);
		return -1;
	}
	const uint32_t F = w->vocab.n, rows = tg_vocab_rows(&w->vocab);
	if (rows <= keep)
		return 0;
	tg_train_config ranking = *cfg;
	ranking.progress = NULL;   /* the fits that count are reported */
	feature_rank *rank = malloc((size_t)rows * sizeof *rank);
	uint32_t *kept = malloc((size_t)keep * sizeof *kept);
	if (!rank || !kept || pair_alloc(&w->pair, F, L) != 0 || fit_all(w, L, F, &ranking, 0, 1) != 0 ||
	    rank_rows(w, L, rank, rows) != 0)
		goto nomem;
	qsort(rank, rows, sizeof *rank, by_importance);
	for (uint32_t i = 0; i < keep; i++)
		kept[i] = rank[i].f;
	qsort(kept, keep, sizeof *kept, by_feature);
	pair_free(&w->pair);
	tg_sparse_free(&w->X);
	if (tg_vocab_restrict(&w->vocab, kept, keep) != 0 || tg_vectorize(&w->vocab, w->fit, &w->X) != 0)
		goto nomem;
	free(rank);
	free(kept);
	*dropped = rows - keep;
	return 0;
nomem:
	free(rank);
	free(kept);
	snprintf(err, errlen, "out of memory training");
	return -1;
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

/*
** The test split scored with the ensemble's float weights, before tg_model_write
** quantizes them to int8 rows: the same features, norm, calibration and thresholds,
** so the difference from the blob's figures is what quantizing costs.
*/
typedef struct float_scorer {
	const tg_sparse *X;
	const float *M, *bias;
	const tg_label_params *params;
	uint32_t L;
} float_scorer;

/* Through the float weights: the margins of the folded ensemble, Platt as the blob has it. */
static void float_logits(const void *scorer, size_t i, float *z)
{
	const float_scorer *f = scorer;
	float margin[TG_MODEL_MAX_LABELS];
	tg_linear_margins(f->X, i, f->M, f->bias, f->L, margin);
	for (uint32_t k = 0; k < f->L; k++)
		z[k] = (float)((double)f->params[k].platt_a * margin[k] + f->params[k].platt_b);
}

static int evaluate_unquantized(const work *w, const tg_train_config *cfg, uint32_t F, uint32_t L,
                                const calibration *cal, const tg_label_params *params, const tg_example_set *test,
                                tg_metrics *out)
{
	tg_sparse Xt;
	float *M = malloc(((size_t)F * L + 1) * sizeof *M);   /* + 1: never malloc(0) */
	int rc = -1;
	memset(&Xt, 0, sizeof Xt);
	if (M && vectorize(w, cfg, test, &Xt) == 0) {
		float bias[TG_MODEL_MAX_LABELS];
		for (uint32_t k = 0; k < L; k++)
			bias[k] = params[k].bias;
		for (size_t c = 0; c < (size_t)F * L; c++) {
			const uint32_t k = (uint32_t)(c % L);
			M[c] = 0.5f * (cal->a1[k] * w->pair.W1[c] + cal->a2[k] * w->pair.W2[c]);
		}
		const float_scorer f = { &Xt, M, bias, params, L };
		rc = evaluate_with(w->model, test, float_logits, &f, out);
	}
	tg_sparse_free(&Xt);
	free(M);
	return rc;
}

/*
** The vectors' share of the rows (wordvec.h): each word row with a vector gets
** alpha * idf * Wd^T v added; then words with a vector that the vocabulary lacks (seen
** in fewer than --min-df training films, or in none) get rows of their own after the
** others, the first in the vectors file, at most cfg->vector_words and as many as the
** byte budget leaves room for, weighted and normed as the model's rarest word (the
** largest idf).  Returns the rows added.
*/
static uint32_t fold_vectors(work *w, const char *const *labels, uint32_t L, const tg_train_config *cfg,
                             uint32_t rows, tg_train_result *out)
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
	if (cfg->max_model_bytes) {
		const uint32_t fit = tg_model_rows_within(labels, L, cfg->max_model_bytes);
		const size_t left = fit > rows ? fit - rows : 0;
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

int tg_train(const char *const *labels, uint32_t L, const tg_example_set *train,
             const tg_example_set *validation, const tg_example_set *test,
             const tg_train_config *cfg, tg_train_result *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	work w;
	memset(&w, 0, sizeof w);
	calibration cal;
	tg_label_params params[TG_MODEL_MAX_LABELS];
	int oof = cfg->folds >= 2;
	int rc = -1;

	if (L == 0 || L > TG_MODEL_MAX_LABELS) {
		snprintf(err, errlen, "%u labels: need 1 to %u", L, TG_MODEL_MAX_LABELS);
		return -1;
	}
	if (oof) {
		if (concat(train, validation, &w.pool) != 0)
			goto nomem;
		w.fit = &w.pool;
	} else {
		w.fit = (tg_example_set *)train;
	}
	if (pick_calibration_films(&w, cfg->cal_films) != 0)
		goto nomem;
	double t0 = tg_seconds_now();
	if (tg_vocab_build(&w.vocab, w.fit, cfg->features, cfg->subwords, cfg->min_df) != 0 ||
	    tg_vectorize(&w.vocab, w.fit, &w.X) != 0)
		goto nomem;
	if (fit_budget(&w, labels, L, cfg, &out->n_features_dropped, err, errlen) != 0)
		goto fail;
	w.n_sparse = w.vocab.n;
	uint32_t F = w.n_sparse;
	if (cfg->vectors) {
		tg_sparse sparse = w.X;
		memset(&w.X, 0, sizeof w.X);
		w.vec_of = malloc(((size_t)F + 1) * sizeof *w.vec_of);
		if (!w.vec_of) {
			tg_sparse_free(&sparse);
			goto nomem;
		}
		tg_wordvec_match(cfg->vectors, &w.vocab, w.vec_of);
		int rc_aug = tg_wordvec_augment(cfg->vectors, w.vec_of, F, (float)cfg->vector_weight, &sparse, &w.X);
		tg_sparse_free(&sparse);
		if (rc_aug != 0)
			goto nomem;
		F += cfg->vectors->vec.dim;
	}
	size_t n = w.fit->n, n_cal = oof ? w.n_cal : validation->n;
	size_t nc = n_cal ? n_cal : 1;
	w.S1 = malloc(nc * L * sizeof *w.S1);
	w.S2 = malloc(nc * L * sizeof *w.S2);
	w.Z = malloc(nc * L * sizeof *w.Z);
	w.ycal = malloc(nc * sizeof *w.ycal);
	w.W = malloc(((size_t)F + 1) * L * sizeof *w.W);
	if (!w.S1 || !w.S2 || !w.Z || !w.ycal || !w.W || pair_alloc(&w.pair, F, L) != 0)
		goto nomem;

	/* Calibration scores: out of fold, or the train-only model's on validation. */
	if (fit_all(&w, L, F, cfg, oof, 0) != 0)
		goto nomem;
	if (oof) {
		for (size_t c = 0; c < n_cal; c++)
			w.ycal[c] = w.fit->items[w.cal[c]].labels;
	} else {
		if (vectorize(&w, cfg, validation, &w.Xcal) != 0)
			goto nomem;
		for (size_t i = 0; i < n_cal; i++) {
			pair_margins(&w.pair, &w.Xcal, i, L, w.S1 + i * L, w.S2 + i * L);
			w.ycal[i] = validation->items[i].labels;
		}
	}
	if (calibrate(w.S1, w.S2, w.ycal, n_cal, L, cfg->threads, &cal, w.Z, &out->validation) != 0)
		goto nomem;
	out->seconds_learn = tg_seconds_now() - t0;

	/* Fold the ensemble and idf into one weight per feature and label (x_f = count * idf
	** / norm), then each word's n-grams (and vector) into the word's row. */
	for (uint32_t f = 0; f < F; f++)
		for (uint32_t k = 0; k < L; k++) {
			size_t c = (size_t)f * L + k;
			w.W[c] = 0.5f * (cal.a1[k] * w.pair.W1[c] + cal.a2[k] * w.pair.W2[c]) *
			         (f < w.n_sparse ? w.vocab.idf[f] : 1.0f);
		}
	const uint32_t rows = tg_vocab_rows(&w.vocab);
	const size_t most = rows + (cfg->vectors ? cfg->vectors->vec.n : 0);
	w.row_keys = malloc((most + 1) * sizeof *w.row_keys);
	w.rows = malloc((most + 1) * L * sizeof *w.rows);
	w.row_norm2 = malloc((most + 1) * sizeof *w.row_norm2);
	if (!w.row_keys || !w.rows || !w.row_norm2)
		goto nomem;
	tg_vocab_fold(&w.vocab, w.W, L, w.row_keys, w.rows, w.row_norm2);
	uint32_t n_rows = rows;
	if (cfg->vectors)
		n_rows += fold_vectors(&w, labels, L, cfg, rows, out);
	for (uint32_t k = 0; k < L; k++) {
		float bias = 0.5f * (cal.a1[k] * w.pair.b1[k] + cal.c1[k] + cal.a2[k] * w.pair.b2[k] + cal.c2[k]);
		params[k] = (tg_label_params){ bias, cal.a3[k], cal.c3[k], cal.threshold[k] };
	}
	tg_model_spec spec = { cfg->features, L, labels, params, n_rows, w.row_keys, w.rows, w.row_norm2 };
	if (tg_model_write(&spec, &out->blob, &out->blob_len, err, errlen) != 0 ||
	    tg_model_load(out->blob, out->blob_len, &w.model, err, errlen) != 0)
		goto fail;
	if ((!oof && tg_evaluate(w.model, validation, &out->validation) != 0) ||
	    tg_evaluate(w.model, test, &out->test) != 0 ||
	    evaluate_unquantized(&w, cfg, F, L, &cal, params, test, &out->test_unquantized) != 0)
		goto nomem;
	out->n_features = n_rows;
	out->n_subwords = w.n_sparse - rows;
	out->fit_films = n;
	out->cal_films = w.n_cal;
	out->validation_is_oof = oof;
	rc = 0;
	goto done;
nomem:
	snprintf(err, errlen, "out of memory training");
fail:
	sqlite3_free(out->blob);
	out->blob = NULL;
done:
	work_free(&w);
	return rc;
}
