/* Does each cleanup rule earn its place?  Trains on the training split once as
** configured and once with each rule toggled, and compares micro-F1 on the
** validation split, which no rule ever filters. */
#ifndef TG_ABLATION_H
#define TG_ABLATION_H

#include "pipeline.h"
#include "report_html.h"

#define TG_N_CLEANUP_RULES (TG_RULE_COUNT - TG_FIRST_CLEANUP_RULE)

/* Fills one entry per cleanup rule.  Returns 0, or -1 with a message. */
int tg_ablation_run(const tg_dataset *d, const tg_prepare_options *po, const tg_train_config *tc,
                    tg_ablation_entry out[TG_N_CLEANUP_RULES], char *err, size_t errlen);

#endif
