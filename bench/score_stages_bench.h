/* bench/score_stages.c: tg_model_accumulate up to a stage, for bench/speed_parts.c. */
#ifndef TG_SCORE_STAGES_BENCH_H
#define TG_SCORE_STAGES_BENCH_H

#include <stddef.h>

#include "model.h"
#include "score_stages.h"

/* tg_model_accumulate's work up to stage (enum tg_accumulate_stage); see score_stages.h
** for what sums holds after a partial stage. */
void tg_model_accumulate_stage(const tg_model *m, const void *text, size_t len, tg_sums *sums, int stage);

#endif
