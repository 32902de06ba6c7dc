/*
** Training end to end on prepared examples.  Two linear learners per genre on the
** same features -- an SVM, and an NB-SVM (the SVM on features scaled by naive-Bayes
** ratios) -- each calibrated by Platt scaling; their calibrated logits are averaged,
** calibrated once more, and each genre gets the threshold that maximizes its F1 (or
** all share the one that maximizes micro-F1: --thresholds shared).
** Being linear, the whole ensemble folds into one weight row per feature, so the
** extension pays for one model.
**
** Where calibration and thresholds come from:
**   folds >= 2  out-of-fold scores over train+validation (fold = (id / 10) % folds),
**               then both learners are refit on all of train+validation; the reported
**               "validation" metrics are those out-of-fold scores;
**   folds == 0  the learners train on train only and calibrate on validation.
** With more than cal_films films to fit, the folds (and the byte budget's ranking fit)
** use cal_films of them, spread evenly over the data: calibrating 20 genres needs no
** more, and it keeps training linear in the films (only the final fits see them all).
** Learning ends at the model's rows: writing the blob and scoring the splits through it
** (ext/core/model_score.c, the very code tg_predict runs, so the trainer's numbers are
** the extension's) is the pipeline's (cli/pipeline.c).
*/
#ifndef TG_TRAIN_H
#define TG_TRAIN_H

#include "example.h"
#include "linear.h"
#include "progress.h"
#include "subword.h"
#include "wordvec.h"

#define TG_MAX_FOLDS   20
#define TG_MAX_THREADS 16
/* tg-train's default --max-bytes: a model of 1 MB at most (issue #12). */
#define TG_DEFAULT_MAX_MODEL_BYTES 1000000u
/* tg-train's default --calibration-films. */
#define TG_DEFAULT_CAL_FILMS 100000u

typedef struct tg_train_config {
	unsigned features;       /* TG_FEAT_* */
	tg_subword_range subwords;   /* char n-grams folded into each word's row (subword.h) */
	uint32_t min_df;         /* keep features seen in at least this many fitting texts */
	uint64_t max_model_bytes;   /* 0, or the blob's largest length (--max-bytes) ... */
	uint32_t max_rows;       /* ... and the rows such a blob holds: the most useful ones are kept (0: all) */
	tg_linear_params svm;    /* the plain SVM */
	tg_linear_params nbsvm;  /* the SVM on NB-scaled features */
	double nb_alpha;         /* smoothing of the NB ratios */
	uint32_t folds;          /* 0, or 2 to TG_MAX_FOLDS */
	int shared_threshold;    /* one threshold for every genre (micro-F1's), not one per genre (F1's) */
	size_t cal_films;        /* the folds and the ranking fit use at most this many films (>= 1) */
	int threads;             /* fits run side by side on up to this many threads (1 to TG_MAX_THREADS) */
	const tg_wordvec *vectors;   /* NULL, or pretrained word vectors (wordvec.h) */
	double vector_weight;    /* alpha: the vectors' dims' weight against the words' */
	size_t vector_words;     /* rows for at most this many vector words the vocabulary lacks */
	const tg_progress *progress;   /* NULL, or reports fits done out of folds + 1 */
} tg_train_config;

/* What tg_train learned: the model's rows (the arrays belong to work). */
typedef struct tg_trained {
	uint32_t features;       /* TG_FEAT_* */
	tg_label_params params[TG_MODEL_MAX_LABELS];
	uint32_t n_rows;         /* rows of the model: words (and bigrams), vector words */
	const uint64_t *row_keys;
	const float *rows, *row_norm2;   /* n_rows x labels weights, n_rows norms */
	/* The calibration films (out-of-fold over train+validation, or validation): labels,
	** tags and top label, which the validation metrics are when validation_is_oof; and,
	** out of fold, their tags by thresholds fit on the other folds (else NULL), which
	** unlike the thresholds fit on all of them are not tuned on the films they tag. */
	size_t n_cal;
	const tg_labelmask *cal_truth, *cal_tagged, *cal_tagged_cross;
	const uint32_t *cal_top;
	/* The learner's figures, which tg_train_result (evaluate/score.h) reports and explains. */
	uint32_t n_subwords, n_features_dropped, n_vector_rows, n_unseen_rows;
	size_t fit_films, cal_films;
	int validation_is_oof;
	double seconds_learn;
	struct tg_train_work *work;
} tg_trained;

/* Learns from train (and validation: see above); the test split is the pipeline's. */
int tg_train(uint32_t n_labels, const tg_example_set *train, const tg_example_set *validation,
             const tg_train_config *cfg, tg_trained *out, char *err, size_t errlen);
/* Safe on a zeroed or failed tg_trained. */
void tg_trained_free(tg_trained *t);

/*
** Films scored with the ensemble's float weights, before tg_model_write quantizes them
** to int8 rows: the same features, norm, calibration and thresholds, so the difference
** from the blob's figures is what quantizing costs.  tg_float_logits gives film i's
** calibrated logits, in the shape evaluate/score.h's tg_evaluate_logits takes.
*/
typedef struct tg_float_scorer tg_float_scorer;
tg_float_scorer *tg_float_scorer_new(const tg_trained *t, const tg_example_set *docs);   /* NULL: no memory */
void tg_float_logits(const void *scorer, size_t i, float *z);
void tg_float_scorer_free(tg_float_scorer *f);

#endif
