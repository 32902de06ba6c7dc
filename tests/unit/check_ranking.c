/*
** The order of tg_scores and tg_tags (ext/core/ranking.h): the top label first, then
** the others by falling logit, equal logits in label order.  tg_ranking_order counts
** each label's place with SSE2; here it is checked against a stable insertion sort
** written from that rule, on logits full of ties, signed zeros and infinities, for
** every label count up to the most a model may have.
*/
#include <check.h>
#include <math.h>
#include <stdint.h>

#include "ranking.h"
#include "check_random.h"
#include "check_run.h"

/* The rule, spelled out: top first, then by falling logit, ties by label number. */
static void reference_order(const float *z, uint32_t n, uint32_t top, uint8_t *order)
{
	uint32_t filled = 0;
	order[filled++] = (uint8_t)top;
	for (uint32_t k = 0; k < n; k++) {
		if (k == top)
			continue;
		uint32_t j = filled++;
		while (j > 1 && z[order[j - 1]] < z[k]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (uint8_t)k;
	}
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;

/* A logit from a small set, so that ties are common, or any float in a range. */
static float random_logit(void)
{
	static const float few[] = { 0.0f, -0.0f, 1.5f, -1.5f, 3.0f, -7.25f, INFINITY, -INFINITY };
	const uint32_t r = tg_test_random(&rng);
	if (r % 3 == 0)
		return few[(r >> 8) % (sizeof few / sizeof few[0])];
	return (float)((int32_t)(r >> 4) % 20000) / 1000.0f;
}

START_TEST(test_order_matches_stable_sort)
{
	tg_model m = { 0 };
	for (uint32_t n = 1; n <= TG_MODEL_MAX_LABELS; n++)
		for (int round = 0; round < 300; round++) {
			tg_ranking r;
			uint8_t want[TG_MODEL_MAX_LABELS];
			for (uint32_t k = 0; k < n; k++)
				r.z[k] = random_logit();
			m.n_labels = n;
			r.n = r.n_ranked = n;
			r.top = tg_model_top(&m, r.z);
			reference_order(r.z, n, r.top, want);
			tg_ranking_order(&r);
			for (uint32_t i = 0; i < n; i++)
				ck_assert_msg(r.order[i] == want[i], "%u labels, round %d: place %u holds label %u, not %u",
				              n, round, i, r.order[i], want[i]);
		}
}
END_TEST

START_TEST(test_all_equal_keep_label_order)
{
	tg_model m = { .n_labels = 20 };
	tg_ranking r;
	for (uint32_t k = 0; k < 20; k++)
		r.z[k] = k % 2 ? -0.0f : 0.0f;   /* -0 equals +0 */
	r.n = r.n_ranked = 20;
	r.top = tg_model_top(&m, r.z);
	ck_assert_uint_eq(r.top, 0);
	tg_ranking_order(&r);
	for (uint32_t i = 0; i < 20; i++)
		ck_assert_uint_eq(r.order[i], i);
}
END_TEST

static Suite *ranking_suite(void)
{
	Suite *s = suite_create("ranking");
	TCase *tc = tcase_create("order");
	tcase_add_test(tc, test_order_matches_stable_sort);
	tcase_add_test(tc, test_all_equal_keep_label_order);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(ranking_suite());
}
