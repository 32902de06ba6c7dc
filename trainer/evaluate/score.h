/*
** Scoring a model on a split as the extension does, and what a training run made and
** measured (the pipeline fills it; meta_json.c stores it, tg-train prints it).
*/
#ifndef TG_SCORE_H
#define TG_SCORE_H

#include "metrics.h"

/* A scorer: the calibrated logits of film i of the split being evaluated. */
typedef void (*tg_logits_fn)(const void *scorer, size_t i, float *z);

/* Tags every film of docs by the extension's rule (tg_ranking_tagged: the top label, and
** every label at its threshold) from the logits the scorer gives, and measures the tags.
** Returns 0, or -1 when out of memory. */
int tg_evaluate_logits(const tg_model *m, const tg_example_set *docs, tg_logits_fn logits, const void *scorer,
                       tg_metrics *out);

/* Scores examples with a loaded model, through ext/core/model_score.c as tg_predict does. */
int tg_evaluate(const tg_model *m, const tg_example_set *docs, tg_metrics *out);

typedef struct tg_train_result {
	unsigned char *blob;     /* sqlite3_malloc64'd; free with sqlite3_free */
	size_t blob_len;
	uint32_t n_features;     /* rows of the model: words (and bigrams) */
	uint32_t n_subwords;     /* n-grams trained and folded into the words' rows */
	uint32_t n_features_dropped;   /* rows left out to fit max_model_bytes */
	uint32_t n_vector_rows;  /* rows of words with a vector (--vectors) */
	uint32_t n_unseen_rows;  /* of those, rows of words no training film has */
	size_t fit_films;        /* films the final model was fit on */
	size_t cal_films;        /* films the folds and the ranking used (fit_films or fewer) */
	int validation_is_oof;   /* validation metrics are out-of-fold over train+validation */
	tg_metrics validation, test;
	tg_metrics validation_cross;   /* out of fold: tagged by thresholds fit on the other folds */
	tg_metrics test_unquantized;   /* test scored with the float weights, before the blob's int8 rows */
	double seconds_learn;
} tg_train_result;

#endif
