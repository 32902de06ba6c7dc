#include <stdio.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "ablation.h"

int tg_ablation_run(const tg_dataset *d, const tg_prepare_options *po, const tg_train_config *tc,
                    const tg_prepared *base, double base_f1, tg_ablation_entry out[TG_N_CLEANUP_RULES],
                    char *err, size_t errlen)
{
	for (int r = TG_FIRST_CLEANUP_RULE; r < TG_RULE_COUNT; r++) {
		tg_prepare_options toggled = *po;
		toggled.rule_on[r] = !po->rule_on[r];
		tg_prepared p;
		tg_train_result res;
		if (tg_prepare(d, &toggled, &p, err, errlen) != 0)
			return -1;
		int rc = tg_train((const char *const *)p.labels, p.n_labels, &p.split[TG_SPLIT_TRAIN],
		                  &p.split[TG_SPLIT_VALIDATION], &p.split[TG_SPLIT_TEST], tc, &res, err, errlen);
		/* Removed counts come from whichever run had the rule on. */
		const tg_prepared *with = po->rule_on[r] ? base : &p;
		tg_ablation_entry *e = &out[r - TG_FIRST_CLEANUP_RULE];
		e->rule = tg_rule_name((tg_rule)r);
		e->removed = with->funnel[TG_SPLIT_TRAIN][r];
		if (rc == 0) {
			e->f1_with = po->rule_on[r] ? base_f1 : res.validation.micro_f1;
			e->f1_without = po->rule_on[r] ? res.validation.micro_f1 : base_f1;
			sqlite3_free(res.blob);
		}
		tg_prepared_free(&p);
		if (rc != 0)
			return -1;
	}
	return 0;
}
