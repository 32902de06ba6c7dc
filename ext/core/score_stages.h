/*
** The stages of tg_model_accumulate's batched path (model_score.c), each doing those
** before it too.  Prediction runs them all; they are named so that bench/speed_parts.c
** can time the very code prediction runs, stage by stage: the one-at-a-time API
** (tg_next_token, tg_features_next, tg_model_lookup) is not that code.  The kernel
** takes the stage as a constant, so each stage compiles to code of its own and
** TG_STAGE_ADD to tg_model_accumulate; the entry point that stops after a stage,
** tg_model_accumulate_stage, is bench/score_stages.c's, not tg.so's.
**
** Every stage leaves the tokens in n_tokens.  Before TG_STAGE_ADD, acc and norm2 are
** 0, and n_known holds, instead of the keys found, the xor of what the stage produced
** last (so that no work of it can be optimized away): the token hashes, the keys, or
** the addresses of the rows found.
*/
#ifndef TG_SCORE_STAGES_H
#define TG_SCORE_STAGES_H

enum tg_accumulate_stage {
	TG_STAGE_SCAN,     /* the tokens' hashes, window by window (tg_hash_scan_next) */
	TG_STAGE_KEYS,     /* + their feature keys, each key's slot prefetched */
	TG_STAGE_LOOKUP,   /* + the rows of the keys in the table, each row prefetched */
	TG_STAGE_ADD       /* + the rows' weights added: tg_model_accumulate */
};

#endif
