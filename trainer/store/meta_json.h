/* The JSON stored beside each model in tg_models: its parameters and its metrics. */
#ifndef TG_META_JSON_H
#define TG_META_JSON_H

#include <stdint.h>
#include "prepare.h"
#include "score.h"

/* The learner's parameters, as tg-train was given them (cli/ fills this in). */
typedef struct tg_learner_params {
	unsigned features;           /* TG_FEAT_* */
	uint32_t min_df, subword_min, subword_max;   /* subword_min 0: no subwords */
	uint64_t max_bytes;
	double C, nb_C, nb_alpha, pos_weight, tolerance;
	int epochs;
	uint64_t seed;
	uint32_t folds;
	int shared_threshold;        /* left out when per genre, the default and what 0.4.0 implies */
	size_t cal_films;
	int cal_films_default;       /* left out when the default, which tg-train 0.2.0 implies */
} tg_learner_params;

/* The word vectors a model was trained with (--vectors). */
typedef struct tg_vectors_params {
	const char *file, *sha256;   /* the file's base name, its bytes' sha256 in hex */
	uint32_t dim;
	uint64_t words, matched;     /* read, and kept that training films have */
	double weight;
	size_t vector_words;
} tg_vectors_params;

/* Everything that changes what a training run produces, in a fixed order, so the
** same inputs give the same text (the registry's "nothing changed" test compares
** it).  Threads are left out: they change speed, not the model.  NULL when out of
** memory; free with sqlite3_free.  vectors NULL: none; query NULL: trained from a CSV. */
char *tg_params_json(const tg_learner_params *t, const tg_prepare_options *p, const tg_vectors_params *vectors,
                     const char *query);

/* Validation and test metrics (with per-genre figures for test), the funnel and
** sizes.  NULL when out of memory; free with sqlite3_free. */
char *tg_metrics_json(const tg_prepared *p, const tg_train_result *r);

#endif
