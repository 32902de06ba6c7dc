/*
** What the parts of tg_train share: the work in progress (train.c runs the steps and
** owns it) and the steps in files of their own -- the fits (fit_pool.c), the byte
** budget (budget.c) and the ensemble's calibration (calibrate_ensemble.c).  Private
** to learn/.
*/
#ifndef TG_TRAIN_WORK_H
#define TG_TRAIN_WORK_H

#include "train.h"
#include "vocab.h"

/* The two learners' weights: margins are bias + W . x for each. */
typedef struct learner_pair {
	float *W1, *b1, *W2, *b2;
} learner_pair;

/* Per label: Platt for each learner (a1, c1, a2, c2), for their average (a3, c3),
** and the threshold. */
typedef struct calibration {
	float a1[TG_MODEL_MAX_LABELS], c1[TG_MODEL_MAX_LABELS];
	float a2[TG_MODEL_MAX_LABELS], c2[TG_MODEL_MAX_LABELS];
	float a3[TG_MODEL_MAX_LABELS], c3[TG_MODEL_MAX_LABELS];
	float threshold[TG_MODEL_MAX_LABELS];
} calibration;

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
	uint32_t *cal_top;                /* the calibration films' top label and tags */
	tg_labelmask *cal_tagged;
	tg_labelmask *cal_tagged_cross;   /* out of fold: tagged with thresholds fit on the other folds */
	calibration platt;                /* the ensemble's calibration */
	tg_train_config cfg;              /* the run's, for scoring other films like it */
	uint32_t n_labels;
} work;

struct tg_train_work { work w; };

int tg_pair_alloc(learner_pair *p, uint32_t n_feats, uint32_t n_labels);
void tg_pair_free(learner_pair *p);
/* Both learners' margins for row r of X into s1[0..L) and s2[0..L). */
void tg_pair_margins(const learner_pair *p, const tg_sparse *X, size_t r, uint32_t n_labels, float *s1,
                     float *s2);

/* The fold of a film, by its id. */
uint32_t tg_fold_of(int64_t id, uint32_t folds);

/* All fits on up to cfg->threads threads (this one included); with ranking, the one
** fit of each learner on the calibration films. */
int tg_fit_all(work *w, uint32_t L, uint32_t F, const tg_train_config *cfg, int oof, int ranking);

int tg_fit_budget(work *w, uint32_t L, const tg_train_config *cfg, uint32_t *dropped, char *err, size_t errlen);

/* Fits the calibration on scores S1, S2 (n x L) of films with labels y[i]; leaves the
** final calibrated logits in Z, and each film's top label and tags in top and tagged.
** shared: one threshold for all labels (see tg_train_config). */
int tg_calibrate_ensemble(const float *S1, const float *S2, const tg_labelmask *y, size_t n, uint32_t L,
                          int threads, int shared, calibration *cal, float *Z, uint32_t *top,
                          tg_labelmask *tagged);
/* Tags for the same films whose thresholds never saw them: each fold's films tagged with
** the thresholds (by the same rule) fit on the other folds' films, from the calibrated
** logits Z and top labels tg_calibrate_ensemble left. */
int tg_cross_fitted_tags(const float *Z, const tg_labelmask *y, const uint32_t *top, const uint32_t *fold,
                         size_t n, uint32_t L, uint32_t folds, int shared, tg_labelmask *tagged);

#endif
