/*
** The training pipeline's last steps, where the stages meet: learn a model from the
** prepared splits (learn/), write its blob (store/model_write.h) and measure it
** through that blob (evaluate/).  tg-train's run and the ablation both go through it.
*/
#ifndef TG_PIPELINE_H
#define TG_PIPELINE_H

#include "prepare.h"
#include "score.h"
#include "train.h"

/* Fills *out: the blob, validation metrics (out-of-fold over train+validation, or the
** validation split's through the blob), test's through the blob and with the float
** weights.  cfg->max_model_bytes becomes the rows the learner may keep.  Returns 0, or
** -1 with a message (then out->blob is NULL). */
int tg_pipeline_learn(const tg_prepared *p, const tg_train_config *cfg, tg_train_result *out, char *err,
                      size_t errlen);

#endif
