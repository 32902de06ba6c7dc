/*
** The linear learner (trainer/learn/linear.c) against answers worked out by hand.  It
** minimizes, for each label on its own, the L2-regularized squared hinge loss with the
** bias as a regularized constant feature:
**     1/2 (|w|^2 + b^2) + sum_i C_i max(0, 1 - y_i (w . x_i + b))^2,
** C_i = C * pos_weight for the label's positive films, C for the others.  On problems
** of one or two films the optimum solves a small linear system (setting the gradient
** to zero), so the weights have exact values; on a larger separable set, every
** margin has the label's sign.
*/
#include <check.h>
#include <math.h>
#include <string.h>

#include "linear.h"
#include "check_run.h"

#define TOL 1e-4

static tg_linear_params params(double C, double pos_weight)
{
	return (tg_linear_params){ .C = C, .pos_weight = pos_weight, .max_epochs = 2000,
	                           .tolerance = 1e-6, .seed = 7 };
}

/* Two films over two features: film 0 has feature 0, film 1 feature 1 (value 1);
** label 0 is film 0's, label 1 film 1's. */
static size_t two_start[] = { 0, 1, 2 };
static uint32_t two_col[] = { 0, 1 };
static float two_val[] = { 1, 1 };
static const tg_sparse two_X = { .n_rows = 2, .row_start = two_start, .col = two_col,
                                 .val = two_val };
static tg_example two_films[] = { { .id = 1, .labels = 1u }, { .id = 2, .labels = 2u } };
static const tg_example_set two_docs = { .items = two_films, .n = 2 };

static tg_linear_problem two_problem(const size_t *rows, size_t n_rows, uint32_t n_labels,
                                     const float *scale)
{
	return (tg_linear_problem){ .X = &two_X, .docs = &two_docs, .rows = rows, .n_rows = n_rows,
	                            .scale = scale, .n_labels = n_labels, .n_feats = 2 };
}

/* One positive film with x0 = 1/2: with r = 1 - w0/2 - b, the gradient is zero at
** w0 = C r and b = 2C r, so w0 = b/2 and b = 2C / (1 + 5C/2): C = 1 gives b = 4/7,
** w0 = 2/7, margin 5/7.  Feature 1 is in no film: weight 0. */
START_TEST(test_one_film)
{
	size_t start[] = { 0, 1 };
	uint32_t col[] = { 0 };
	float val[] = { 0.5f };
	const tg_sparse X = { .n_rows = 1, .row_start = start, .col = col, .val = val };
	const size_t rows[] = { 0 };
	tg_linear_problem pr = { .X = &X, .docs = &two_docs, .rows = rows, .n_rows = 1,
	                         .n_labels = 1, .n_feats = 2 };
	tg_linear_params p = params(1, 1);
	float W[2], bias[1], margin;
	ck_assert_int_eq(tg_linear_train(&pr, &p, W, bias), 0);
	ck_assert_float_eq_tol(W[0], 2 / 7., TOL);
	ck_assert_float_eq_tol(W[1], 0, TOL);
	ck_assert_float_eq_tol(bias[0], 4 / 7., TOL);
	tg_linear_margins(&X, 0, W, bias, 1, &margin);
	ck_assert_float_eq_tol(margin, 5 / 7., TOL);
	/* One film, one dual variable: its exact coordinate step reaches the optimum. */
	p.max_epochs = 1;
	ck_assert_int_eq(tg_linear_train(&pr, &p, W, bias), 0);
	ck_assert_float_eq_tol(W[0], 2 / 7., 1e-6);
	ck_assert_float_eq_tol(bias[0], 4 / 7., 1e-6);
}
END_TEST

/* A film already beyond the margin is no support vector (its dual variable stays at
** 0): adding a positive film with x0 = 3 to one with x0 = 1 changes nothing, since
** w0 = b = 2C / (1 + 4C) = 0.4 alone gives it margin 1.6 >= 1. */
START_TEST(test_film_beyond_margin)
{
	size_t start[] = { 0, 1, 2 };
	uint32_t col[] = { 0, 0 };
	float val[] = { 1, 3 };
	const tg_sparse X = { .n_rows = 2, .row_start = start, .col = col, .val = val };
	tg_example films[] = { { .id = 1, .labels = 1u }, { .id = 2, .labels = 1u } };
	const tg_example_set docs = { .items = films, .n = 2 };
	const size_t rows[] = { 0, 1 };
	tg_linear_problem pr = { .X = &X, .docs = &docs, .rows = rows, .n_rows = 2,
	                         .n_labels = 1, .n_feats = 1 };
	tg_linear_params p = params(1, 1);
	float W[1], bias[1];
	ck_assert_int_eq(tg_linear_train(&pr, &p, W, bias), 0);
	ck_assert_float_eq_tol(W[0], 0.4, TOL);
	ck_assert_float_eq_tol(bias[0], 0.4, TOL);
}
END_TEST

/* The rows argument picks the films: film 1 alone is label 0's negative, so
** w1 = b = -2C / (1 + 4C) = -0.4 (by the symmetry of w1 and b). */
START_TEST(test_rows_pick_the_films)
{
	const size_t rows[] = { 1 };
	tg_linear_problem pr = two_problem(rows, 1, 1, NULL);
	tg_linear_params p = params(1, 1);
	float W[2], bias[1];
	ck_assert_int_eq(tg_linear_train(&pr, &p, W, bias), 0);
	ck_assert_float_eq_tol(W[0], 0, TOL);
	ck_assert_float_eq_tol(W[1], -0.4, TOL);
	ck_assert_float_eq_tol(bias[0], -0.4, TOL);
}
END_TEST

/* Both films, both labels, positives' C times pos_weight: label 0 (film 0 positive)
** must get w_pos on feature 0, w_neg on feature 1 and bias b; label 1, its mirror
** image, the same with the features swapped.  W is n_feats x n_labels. */
static void two_labels(double pos_weight, double w_pos, double w_neg, double b)
{
	const size_t rows[] = { 0, 1 };
	tg_linear_problem pr = two_problem(rows, 2, 2, NULL);
	tg_linear_params p = params(1, pos_weight);
	float W[4], bias[2];
	ck_assert_int_eq(tg_linear_train(&pr, &p, W, bias), 0);
	ck_assert_float_eq_tol(W[0 * 2 + 0], w_pos, TOL);
	ck_assert_float_eq_tol(W[1 * 2 + 0], w_neg, TOL);
	ck_assert_float_eq_tol(W[0 * 2 + 1], w_neg, TOL);
	ck_assert_float_eq_tol(W[1 * 2 + 1], w_pos, TOL);
	ck_assert_float_eq_tol(bias[0], b, TOL);
	ck_assert_float_eq_tol(bias[1], b, TOL);
}

/* The gradient is zero at w_pos = 2C(1 - w_pos - b), w_neg = -2C(1 + w_neg + b),
** b = w_pos + w_neg; with C = 1 that is w_pos = 2/3, w_neg = -2/3, b = 0. */
START_TEST(test_two_films_two_labels)
{
	two_labels(1, 2 / 3., -2 / 3., 0);
}
END_TEST

/* pos_weight 2 doubles the positive film's C: w_pos = 4(1 - w_pos - b),
** w_neg = -2(1 + w_neg + b), b = w_pos + w_neg, so 37 b = 2: b = 2/37, w_pos = 28/37,
** w_neg = -26/37. */
START_TEST(test_pos_weight)
{
	two_labels(2, 28 / 37., -26 / 37., 2 / 37.);
}
END_TEST

/* A scale of 2 on feature 0 for label 0: the learner sees x0 = 2 and finds weight u
** with u = 4C r, b = 2C r, r = 1 - 2u - b, so b = 2/11, u = 4/11 (C = 1); W holds
** u * 2 = 8/11, so that bias + W . x (unscaled) is the margin, 10/11. */
START_TEST(test_scale_folded_in)
{
	const size_t rows[] = { 0 };
	const float scale[2] = { 2, 1 };
	tg_linear_problem pr = two_problem(rows, 1, 1, scale);
	tg_linear_params p = params(1, 1);
	float W[2], bias[1], margin;
	ck_assert_int_eq(tg_linear_train(&pr, &p, W, bias), 0);
	ck_assert_float_eq_tol(W[0], 8 / 11., TOL);
	ck_assert_float_eq_tol(bias[0], 2 / 11., TOL);
	tg_linear_margins(&two_X, 0, W, bias, 1, &margin);
	ck_assert_float_eq_tol(margin, 10 / 11., TOL);
}
END_TEST

/* Ten films, one per pair of five words (each word 1/sqrt 2), labelled with their
** two words' labels: five labels (more than one SIMD group of four), each positive
** in 4 films.  Separable, and the same problem for every label up to renaming. */
enum { NW = 5, NF = 10 };
static const float half_root = 0.70710678f;   /* 1/sqrt 2 */
static size_t pair_start[NF + 1];
static uint32_t pair_col[2 * NF];
static float pair_val[2 * NF];
static tg_sparse pair_X = { .n_rows = NF, .row_start = pair_start, .col = pair_col,
                           .val = pair_val };
static tg_example pair_films[NF];
static const tg_example_set pair_docs = { .items = pair_films, .n = NF };
static size_t pair_rows[NF];

static tg_linear_problem pair_problem(void)
{
	int i = 0;
	for (uint32_t u = 0; u < NW; u++)
		for (uint32_t v = u + 1; v < NW; v++, i++) {
			pair_start[i] = 2 * (size_t)i;
			pair_col[2 * i] = u, pair_col[2 * i + 1] = v;
			pair_val[2 * i] = pair_val[2 * i + 1] = half_root;
			pair_films[i] = (tg_example){ .id = i, .labels = (1u << u) | (1u << v) };
			pair_rows[i] = (size_t)i;
		}
	pair_start[NF] = 2 * NF;
	return (tg_linear_problem){ .X = &pair_X, .docs = &pair_docs, .rows = pair_rows, .n_rows = NF,
	                            .n_labels = NW, .n_feats = NW };
}

START_TEST(test_separable_signs)
{
	tg_linear_problem pr = pair_problem();
	tg_linear_params p = params(1, 1);
	float W[NW * NW], bias[NW], m[NW], by_hand[NW];
	ck_assert_int_eq(tg_linear_train(&pr, &p, W, bias), 0);
	for (int i = 0; i < NF; i++) {
		tg_linear_margins(&pair_X, (size_t)i, W, bias, NW, m);
		for (int k = 0; k < NW; k++) {
			int pos = tg_has_label(pair_films[i].labels, (uint32_t)k);
			ck_assert_msg(pos ? m[k] > 0 : m[k] < 0, "film %d label %d: margin %g", i, k, m[k]);
			by_hand[k] = bias[k] + (W[pair_col[2 * i] * NW + k] + W[pair_col[2 * i + 1] * NW + k]) *
			                           half_root;
			ck_assert_float_eq_tol(m[k], by_hand[k], 1e-6);
		}
	}
	/* Every label solves the same problem: one weight for its own word, one for the
	** others, one bias; its own word's weight is the positive one. */
	for (int k = 0; k < NW; k++) {
		ck_assert_float_eq_tol(bias[k], bias[0], TOL);
		ck_assert_float_eq_tol(W[k * NW + k], W[0], TOL);
		ck_assert_float_gt(W[k * NW + k], 0);
		for (int f = 0; f < NW; f++)
			if (f != k)
				ck_assert_float_eq_tol(W[f * NW + k], W[1 * NW + 0], TOL);
	}
}
END_TEST

/* One seed, one result, bit for bit; another seed visits the films in another
** order and reaches the same optimum. */
START_TEST(test_deterministic)
{
	tg_linear_problem pr = pair_problem();
	tg_linear_params p = params(1, 1);
	float W1[NW * NW], b1[NW], W2[NW * NW], b2[NW];
	ck_assert_int_eq(tg_linear_train(&pr, &p, W1, b1), 0);
	ck_assert_int_eq(tg_linear_train(&pr, &p, W2, b2), 0);
	ck_assert_mem_eq(W1, W2, sizeof W1);
	ck_assert_mem_eq(b1, b2, sizeof b1);
	p.seed = 12345;
	ck_assert_int_eq(tg_linear_train(&pr, &p, W2, b2), 0);
	for (int i = 0; i < NW * NW; i++)
		ck_assert_float_eq_tol(W2[i], W1[i], TOL);
}
END_TEST

/* Nothing to learn from: all weights and biases 0. */
START_TEST(test_no_rows)
{
	tg_linear_problem pr = two_problem(NULL, 0, 2, NULL);
	tg_linear_params p = params(1, 1);
	float W[4] = { 9, 9, 9, 9 }, bias[2] = { 9, 9 };
	ck_assert_int_eq(tg_linear_train(&pr, &p, W, bias), 0);
	for (int i = 0; i < 4; i++)
		ck_assert_float_eq(W[i], 0);
	ck_assert_float_eq(bias[0], 0);
	ck_assert_float_eq(bias[1], 0);
}
END_TEST

static Suite *linear_suite(void)
{
	Suite *s = suite_create("linear");
	TCase *tc = tcase_create("linear");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_one_film);
	tcase_add_test(tc, test_film_beyond_margin);
	tcase_add_test(tc, test_rows_pick_the_films);
	tcase_add_test(tc, test_two_films_two_labels);
	tcase_add_test(tc, test_pos_weight);
	tcase_add_test(tc, test_scale_folded_in);
	tcase_add_test(tc, test_separable_signs);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_no_rows);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(linear_suite());
}
