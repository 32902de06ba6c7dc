#include <stdio.h>
#include <string.h>

#include "deploy_policy.h"

int tg_deploy_policy_parse(const char *s, tg_deploy_policy *out)
{
	static const struct { const char *name; tg_deploy_policy p; } tab[] = {
		{ "best", TG_DEPLOY_BEST }, { "always", TG_DEPLOY_ALWAYS }, { "never", TG_DEPLOY_NEVER },
	};
	for (size_t i = 0; s && i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(s, tab[i].name) == 0) {
			*out = tab[i].p;
			return 0;
		}
	return -1;
}

const char *tg_deploy_policy_name(tg_deploy_policy p)
{
	switch (p) {
	case TG_DEPLOY_BEST: return "best";
	case TG_DEPLOY_ALWAYS: return "always";
	case TG_DEPLOY_NEVER: return "never";
	}
	return "?";
}

static int best(const tg_deploy_facts *f, char *reason, size_t len)
{
	long long prev = (long long)f->prev_id;
	if (!f->prev_id) {
		snprintf(reason, len, "no model deployed yet");
		return 1;
	}
	if (!f->same_data) {
		snprintf(reason, len, "deployed model %lld was trained on other data: scores are not"
		         " comparable, the newer data wins", prev);
		return 1;
	}
	if (!f->has_new_score) {
		snprintf(reason, len, "new model has no validation micro_f1; deployed model %lld kept", prev);
		return 0;
	}
	if (!f->has_prev_score) {
		snprintf(reason, len, "%.6f, deployed model %lld has no validation micro_f1",
		         f->new_score, prev);
		return 1;
	}
	if (f->new_score > f->prev_score) {
		snprintf(reason, len, "%.6f > %.6f of deployed model %lld", f->new_score, f->prev_score, prev);
		return 1;
	}
	snprintf(reason, len, "%.6f <= %.6f of deployed model %lld, kept", f->new_score, f->prev_score, prev);
	return 0;
}

int tg_deploy_decide(tg_deploy_policy policy, const tg_deploy_facts *f, char *reason,
                     size_t reason_len)
{
	switch (policy) {
	case TG_DEPLOY_ALWAYS:
		snprintf(reason, reason_len, "policy always");
		return 1;
	case TG_DEPLOY_NEVER:
		snprintf(reason, reason_len, "policy never");
		return 0;
	case TG_DEPLOY_BEST:
		return best(f, reason, reason_len);
	}
	snprintf(reason, reason_len, "unknown deploy policy %d", (int)policy);
	return 0;
}
