/* The JSON stored beside each model in tg_models: its parameters and its metrics. */
#ifndef TG_META_JSON_H
#define TG_META_JSON_H

#include "options.h"
#include "prepare.h"
#include "train.h"

/* Everything that changes what a training run produces, in a fixed order, so the
** same inputs give the same text (the registry's "nothing changed" test compares
** it).  Threads are left out: they change speed, not the model.  NULL when out of
** memory; free with sqlite3_free. */
char *tg_params_json(const tg_options *o, const tg_wordvec *vectors);

/* Validation and test metrics (with per-genre figures for test), the funnel and
** sizes.  NULL when out of memory; free with sqlite3_free. */
char *tg_metrics_json(const tg_prepared *p, const tg_train_result *r);

#endif
