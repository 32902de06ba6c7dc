/*
** Whether a newly stored model is deployed: the policy (best, always, never) applied to
** what the registry knows of the model deployed before it.  Pure: no database, so each
** case can be tested on its own (tests/unit/check_deploy_policy.c); tg_reg_store gathers
** the facts in its transaction and acts on the answer.
*/
#ifndef TG_DEPLOY_POLICY_H
#define TG_DEPLOY_POLICY_H

#include <stddef.h>
#include <stdint.h>

typedef enum tg_deploy_policy {
	TG_DEPLOY_BEST,   /* deploy if validation micro-F1 beats the deployed model's, or none is deployed */
	TG_DEPLOY_ALWAYS, /* deploy the new model */
	TG_DEPLOY_NEVER   /* store only */
} tg_deploy_policy;

/* "best" | "always" | "never" -> 0, else -1. */
int tg_deploy_policy_parse(const char *s, tg_deploy_policy *out);
const char *tg_deploy_policy_name(tg_deploy_policy p);

/* What the decision looks at. */
typedef struct tg_deploy_facts {
	int64_t prev_id;         /* the model deployed for the name now, 0 if none */
	int same_data;           /* prev_id was trained on the new model's data_sha256 */
	int has_new_score;       /* the new model has a numeric $.validation.micro_f1 */
	double new_score;
	int has_prev_score;      /* prev_id has one */
	double prev_score;
} tg_deploy_facts;

/*
** 1 to deploy the new model, 0 to keep the deployed one; reason gets the decision in
** words (e.g. "0.610000 > 0.580000 of deployed model 3").  "best" deploys when no model
** is deployed, or the deployed one was trained on other data (scores on different data
** say nothing about each other, and the newer data wins), or it has no score while the
** new one has, or the new score is strictly greater; a tie keeps the deployed model, and
** a new model without a score never replaces one.  same_data is read only under "best"
** with a deployed model.
*/
int tg_deploy_decide(tg_deploy_policy policy, const tg_deploy_facts *f, char *reason,
                     size_t reason_len);

#endif
