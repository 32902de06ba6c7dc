/* The deploy decision on its own (deploy_policy.c): every branch of "best", the other
** policies, and the words each gives; check_registry.c tests it through tg_reg_store. */
#include <check.h>
#include <string.h>

#include "deploy_policy.h"
#include "check_run.h"

static char reason[160];

static int decide(tg_deploy_policy p, int64_t prev, int same, int has_new, double new_score,
                  int has_prev, double prev_score)
{
	tg_deploy_facts f = { prev, same, has_new, new_score, has_prev, prev_score };
	memset(reason, 'x', sizeof reason);
	return tg_deploy_decide(p, &f, reason, sizeof reason);
}

START_TEST(test_parse_and_name)
{
	static const char *names[] = { "best", "always", "never" };
	for (int i = 0; i < 3; i++) {
		tg_deploy_policy p = TG_DEPLOY_NEVER;
		ck_assert_int_eq(tg_deploy_policy_parse(names[i], &p), 0);
		ck_assert_str_eq(tg_deploy_policy_name(p), names[i]);
	}
	tg_deploy_policy p = TG_DEPLOY_ALWAYS;
	ck_assert_int_eq(tg_deploy_policy_parse("Best", &p), -1);
	ck_assert_int_eq(tg_deploy_policy_parse("", &p), -1);
	ck_assert_int_eq(tg_deploy_policy_parse(NULL, &p), -1);
	ck_assert_int_eq(p, TG_DEPLOY_ALWAYS);
	ck_assert_str_eq(tg_deploy_policy_name((tg_deploy_policy)7), "?");
}
END_TEST

START_TEST(test_always_and_never_ignore_scores)
{
	ck_assert_int_eq(decide(TG_DEPLOY_ALWAYS, 3, 1, 1, 0.1, 1, 0.9), 1);
	ck_assert_str_eq(reason, "policy always");
	ck_assert_int_eq(decide(TG_DEPLOY_NEVER, 0, 0, 1, 0.9, 0, 0), 0);
	ck_assert_str_eq(reason, "policy never");
	ck_assert_int_eq(decide((tg_deploy_policy)9, 0, 0, 1, 0.9, 0, 0), 0);
	ck_assert_str_eq(reason, "unknown deploy policy 9");
}
END_TEST

START_TEST(test_best_branches)
{
	/* nothing deployed: deployed, even without a score */
	ck_assert_int_eq(decide(TG_DEPLOY_BEST, 0, 0, 0, 0, 0, 0), 1);
	ck_assert_str_eq(reason, "no model deployed yet");
	/* other data: the newer data wins whatever the scores */
	ck_assert_int_eq(decide(TG_DEPLOY_BEST, 4, 0, 1, 0.2, 1, 0.9), 1);
	ck_assert_str_eq(reason, "deployed model 4 was trained on other data: scores are not comparable,"
	                         " the newer data wins");
	/* same data, no new score: kept */
	ck_assert_int_eq(decide(TG_DEPLOY_BEST, 4, 1, 0, 0, 1, 0.5), 0);
	ck_assert_str_eq(reason, "new model has no validation micro_f1; deployed model 4 kept");
	/* deployed one has no score: the scored new one wins */
	ck_assert_int_eq(decide(TG_DEPLOY_BEST, 4, 1, 1, 0.25, 0, 0), 1);
	ck_assert_str_eq(reason, "0.250000, deployed model 4 has no validation micro_f1");
	/* strictly better wins; a tie or worse keeps */
	ck_assert_int_eq(decide(TG_DEPLOY_BEST, 4, 1, 1, 0.61, 1, 0.58), 1);
	ck_assert_str_eq(reason, "0.610000 > 0.580000 of deployed model 4");
	ck_assert_int_eq(decide(TG_DEPLOY_BEST, 4, 1, 1, 0.58, 1, 0.58), 0);
	ck_assert_str_eq(reason, "0.580000 <= 0.580000 of deployed model 4, kept");
	ck_assert_int_eq(decide(TG_DEPLOY_BEST, 4, 1, 1, 0.1, 1, 0.58), 0);
	ck_assert_str_eq(reason, "0.100000 <= 0.580000 of deployed model 4, kept");
}
END_TEST

START_TEST(test_reason_fits_a_small_buffer)
{
	tg_deploy_facts f = { 4, 0, 1, 0.2, 1, 0.9 };
	char small[12];
	ck_assert_int_eq(tg_deploy_decide(TG_DEPLOY_BEST, &f, small, sizeof small), 1);
	ck_assert_str_eq(small, "deployed mo");
}
END_TEST

static Suite *deploy_policy_suite(void)
{
	Suite *s = suite_create("deploy_policy");
	TCase *tc = tcase_create("decide");
	tcase_add_test(tc, test_parse_and_name);
	tcase_add_test(tc, test_always_and_never_ignore_scores);
	tcase_add_test(tc, test_best_branches);
	tcase_add_test(tc, test_reason_fits_a_small_buffer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(deploy_policy_suite());
}
