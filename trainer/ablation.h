/* Does each cleanup rule earn its place?  Trains once with each rule toggled and
** compares validation micro-F1 with the rule on and off. */
#ifndef TG_ABLATION_H
#define TG_ABLATION_H

#include "report_html.h"
#include "train.h"

#define TG_N_CLEANUP_RULES (TG_RULE_COUNT - TG_FIRST_CLEANUP_RULE)

/* base: the run as configured (its funnel and validation score).  Fills one entry per
** cleanup rule.  Returns 0, or -1 with a message. */
int tg_ablation_run(const tg_dataset *d, const tg_prepare_options *po, const tg_train_config *tc,
                    const tg_prepared *base, double base_f1, tg_ablation_entry out[TG_N_CLEANUP_RULES],
                    char *err, size_t errlen);

#endif
