/*
** tg_model_accumulate stopped after a stage (ext/core/score_stages.h), for
** bench/speed_parts.c.  The kernel's file is compiled in here, so that its stages
** run as the very code tg_predict runs, while tg.so and the kernel's own file carry
** no entry point for them.  bench/speed builds speed_parts from this file and the
** other sources of ext/core/, model_score.c aside.
*/
#include "../ext/core/model_score.c"
#include "score_stages_bench.h"

void tg_model_accumulate_stage(const tg_model *m, const void *text, size_t len, tg_sums *sums, int stage)
{
	switch (stage) {
	case TG_STAGE_SCAN: accumulate(m, text, len, sums, TG_STAGE_SCAN); break;
	case TG_STAGE_KEYS: accumulate(m, text, len, sums, TG_STAGE_KEYS); break;
	case TG_STAGE_LOOKUP: accumulate(m, text, len, sums, TG_STAGE_LOOKUP); break;
	default: tg_model_accumulate(m, text, len, sums); break;   /* TG_STAGE_ADD */
	}
}
