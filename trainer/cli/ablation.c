#include <stdio.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "ablation.h"

/* Validation micro-F1 of a model trained on the training split as these options
** clean it.  Out-of-fold scores would not do: they cover the training films too, so
** a rule that drops films would change the set it is measured on. */
static int validation_f1(const tg_dataset *d, const tg_prepare_options *po, const tg_train_config *tc,
                         tg_prepared *p, double *f1, char *err, size_t errlen)
{
	tg_train_config on_validation = *tc;
	on_validation.folds = 0;
	/* The vectors kept besides the training films' words were picked with validation's
	** words among them: no rows from vectors alone here. */
	on_validation.vector_words = 0;
	tg_train_result res;
	if (tg_prepare(d, po, p, err, errlen) != 0)
		return -1;
	if (tg_pipeline_learn(p, &on_validation, &res, err, errlen) != 0) {
		tg_prepared_free(p);
		return -1;
	}
	*f1 = res.validation.micro_f1;
	sqlite3_free(res.blob);
	return 0;
}

int tg_ablation_run(const tg_dataset *d, const tg_prepare_options *po, const tg_train_config *tc,
                    tg_ablation_entry out[TG_N_CLEANUP_RULES], char *err, size_t errlen)
{
	tg_prepared base;
	double base_f1;
	if (validation_f1(d, po, tc, &base, &base_f1, err, errlen) != 0)
		return -1;
	int rc = 0;
	for (int r = TG_FIRST_CLEANUP_RULE; r < TG_RULE_COUNT && rc == 0; r++) {
		tg_prepare_options toggled = *po;
		toggled.rule_on[r] = !po->rule_on[r];
		tg_prepared p;
		double f1;
		if ((rc = validation_f1(d, &toggled, tc, &p, &f1, err, errlen)) != 0)
			break;
		/* What a rule removes is counted in whichever run had it on. */
		const tg_prepared *with = po->rule_on[r] ? &base : &p;
		out[r - TG_FIRST_CLEANUP_RULE] = (tg_ablation_entry){
			tg_rule_name((tg_rule)r), with->funnel[TG_SPLIT_TRAIN][r],
			po->rule_on[r] ? base_f1 : f1, po->rule_on[r] ? f1 : base_f1,
		};
		tg_prepared_free(&p);
	}
	tg_prepared_free(&base);
	return rc;
}
