/*
** Naive-Bayes log-count ratios (trainer/learn/nb_ratio.c) on a four-film count table
** worked out by hand: R[f][k] = log((p_f / |p|_1) / (q_f / |q|_1)), p_f = alpha + the
** label-k films containing f, q_f = alpha + the other films containing f.
*/
#include <check.h>
#include <math.h>

#include "nb_ratio.h"
#include "check_run.h"

/* Four films over four features (feature 3 appears in none), two labels:
**   film 0: features {0, 1}   labels {0}
**   film 1: features {0}      labels {0, 1}
**   film 2: features {1, 2}   labels {1}
**   film 3: features {2}      labels {1}
** The values are not counts: only presence matters. */
static size_t row_start[] = { 0, 2, 3, 5, 6 };
static uint32_t col[] = { 0, 1, 0, 1, 2, 2 };
static float val[] = { 0.7f, 0.7f, 1.0f, 0.3f, 0.9f, 1.0f };
static const tg_sparse X = { .n_rows = 4, .row_start = row_start, .col = col, .val = val };
static tg_example films[] = {
	{ .id = 1, .labels = 1u }, { .id = 2, .labels = 3u },
	{ .id = 3, .labels = 2u }, { .id = 4, .labels = 2u },
};
static const tg_example_set docs = { .items = films, .n = 4 };

#define L 2
#define F 4

static void expect(const float *R, const double want[F][L])
{
	for (int f = 0; f < F; f++)
		for (int k = 0; k < L; k++)
			ck_assert_msg(fabs(R[f * L + k] - want[f][k]) < 1e-6,
			              "R[%d][%d] = %.7f, by hand %.7f", f, k, R[f * L + k], want[f][k]);
}

START_TEST(test_all_films_alpha_1)
{
	/* label 0: films 0, 1 against 2, 3.  p = 1 + (2, 1, 0, 0) = (3, 2, 1, 1), |p| = 7;
	**          q = 1 + (0, 1, 2, 0) = (1, 2, 3, 1), |q| = 7.
	** label 1: films 1, 2, 3 against 0.  p = 1 + (1, 1, 2, 0) = (2, 2, 3, 1), |p| = 8;
	**          q = 1 + (1, 1, 0, 0) = (2, 2, 1, 1), |q| = 6. */
	const double want[F][L] = {
		{ log((3 / 7.) / (1 / 7.)), log((2 / 8.) / (2 / 6.)) },
		{ log((2 / 7.) / (2 / 7.)), log((2 / 8.) / (2 / 6.)) },
		{ log((1 / 7.) / (3 / 7.)), log((3 / 8.) / (1 / 6.)) },
		{ log((1 / 7.) / (1 / 7.)), log((1 / 8.) / (1 / 6.)) },
	};
	const size_t rows[] = { 0, 1, 2, 3 };
	float R[F * L];
	ck_assert_int_eq(tg_nb_ratios(&X, &docs, rows, 4, L, F, 1.0, R), 0);
	expect(R, want);
	/* The signs say which way each feature leans. */
	ck_assert_float_gt(R[0 * L + 0], 0);
	ck_assert_float_lt(R[2 * L + 0], 0);
	ck_assert_float_gt(R[2 * L + 1], 0);
}
END_TEST

START_TEST(test_only_the_given_rows)
{
	/* Films 1, 2, 3 (film 0 is left out), alpha 0.5.
	** label 0: film 1 against 2, 3.  p = .5 + (1, 0, 0, 0), |p| = 3;
	**          q = .5 + (0, 1, 2, 0), |q| = 5.
	** label 1: films 1, 2, 3 against none.  p = .5 + (1, 1, 2, 0), |p| = 6;
	**          q = (.5, .5, .5, .5), |q| = 2. */
	const double want[F][L] = {
		{ log((1.5 / 3) / (0.5 / 5)), log((1.5 / 6) / (0.5 / 2)) },
		{ log((0.5 / 3) / (1.5 / 5)), log((1.5 / 6) / (0.5 / 2)) },
		{ log((0.5 / 3) / (2.5 / 5)), log((2.5 / 6) / (0.5 / 2)) },
		{ log((0.5 / 3) / (0.5 / 5)), log((0.5 / 6) / (0.5 / 2)) },
	};
	const size_t rows[] = { 3, 1, 2 };
	float R[F * L];
	ck_assert_int_eq(tg_nb_ratios(&X, &docs, rows, 3, L, F, 0.5, R), 0);
	expect(R, want);
}
END_TEST

/* No rows: every count is alpha, every ratio log(1) = 0. */
START_TEST(test_no_rows)
{
	float R[F * L];
	for (int i = 0; i < F * L; i++)
		R[i] = 99;
	ck_assert_int_eq(tg_nb_ratios(&X, &docs, NULL, 0, L, F, 1.0, R), 0);
	for (int i = 0; i < F * L; i++)
		ck_assert_float_eq_tol(R[i], 0, 1e-7);
}
END_TEST

static Suite *nb_suite(void)
{
	Suite *s = suite_create("nb_ratio");
	TCase *tc = tcase_create("nb_ratio");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_all_films_alpha_1);
	tcase_add_test(tc, test_only_the_given_rows);
	tcase_add_test(tc, test_no_rows);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(nb_suite());
}
