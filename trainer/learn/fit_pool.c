#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nb_ratio.h"
#include "train_work.h"

int tg_pair_alloc(learner_pair *p, uint32_t n_feats, uint32_t n_labels)
{
	size_t cells = ((size_t)n_feats + 1) * n_labels;
	p->W1 = malloc(cells * sizeof *p->W1);
	p->W2 = malloc(cells * sizeof *p->W2);
	p->b1 = malloc(n_labels * sizeof *p->b1);
	p->b2 = malloc(n_labels * sizeof *p->b2);
	return p->W1 && p->W2 && p->b1 && p->b2 ? 0 : -1;
}

void tg_pair_free(learner_pair *p)
{
	free(p->W1), free(p->W2), free(p->b1), free(p->b2);
	memset(p, 0, sizeof *p);
}

void tg_pair_margins(const learner_pair *p, const tg_sparse *X, size_t r, uint32_t n_labels,
                     float *s1, float *s2)
{
	tg_linear_margins(X, r, p->W1, p->b1, n_labels, s1);
	tg_linear_margins(X, r, p->W2, p->b2, n_labels, s2);
}

uint32_t tg_fold_of(int64_t id, uint32_t folds)
{
	/* Ids ending in the same digit share a split; the tens decide the fold. */
	int64_t t = id / 10;
	return (uint32_t)((t < 0 ? -t : t) % folds);
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
			if (final || tg_fold_of(w->fit->items[w->cal[c]].id, cfg->folds) != fit)
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
			if (tg_fold_of(w->fit->items[w->cal[c]].id, cfg->folds) == fit)
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

int tg_fit_all(work *w, uint32_t L, uint32_t F, const tg_train_config *cfg, int oof, int ranking)
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
