/*
** Training end to end on prepared examples: vocabulary, vectors, the linear
** learner, folding idf into each feature's row, calibration and thresholds on the
** validation split, and evaluation.  Every score used for calibration and for the
** reported metrics comes from the serialized blob through ext/model.c, the very
** code tg_predict runs, so the trainer's numbers are the extension's numbers.
*/
#ifndef TG_TRAIN_H
#define TG_TRAIN_H

#include "example.h"
#include "linear.h"
#include "metrics.h"

typedef struct tg_train_config {
	unsigned features;       /* TG_FEAT_* */
	uint32_t min_df;         /* keep features seen in at least this many training texts */
	tg_linear_params linear;
} tg_train_config;

typedef struct tg_train_result {
	unsigned char *blob;     /* sqlite3_malloc64'd; free with sqlite3_free */
	size_t blob_len;
	uint32_t n_features;
	tg_metrics validation, test;
	double seconds_learn;
} tg_train_result;

int tg_train(const char *const *labels, uint32_t n_labels, const tg_example_set *train,
             const tg_example_set *validation, const tg_example_set *test,
             const tg_train_config *cfg, tg_train_result *out, char *err, size_t errlen);

/* Scores examples with a loaded model: the tagged set and top label per film. */
int tg_evaluate(const tg_model *m, const tg_example_set *docs, tg_metrics *out);

#endif
