/*
** The quality figures (trainer/evaluate/metrics.c) on films whose answers follow from
** the definitions: micro-F1 over all (film, label) pairs, macro-F1 as the mean of the
** labels' F1, P@1 as the share of films whose top label is theirs; and the bootstrap
** intervals of micro-F1 and P@1 against what sampling theory says they must be.
*/
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "check_run.h"
#include "metrics.h"

#define BIT(k) ((tg_labelmask)1 << (k))

/* Films whose every resample scores as they do: both intervals are the points. */
static void expect_no_spread(const tg_metrics *m, double micro_f1, double p_at_1)
{
	ck_assert_double_eq_tol(m->micro_f1, micro_f1, 1e-12);
	ck_assert_double_eq_tol(m->micro_f1_95.lo, micro_f1, 1e-12);
	ck_assert_double_eq_tol(m->micro_f1_95.hi, micro_f1, 1e-12);
	ck_assert_double_eq(m->p_at_1, p_at_1);
	ck_assert_double_eq(m->p_at_1_95.lo, p_at_1);
	ck_assert_double_eq(m->p_at_1_95.hi, p_at_1);
}

/* Three films, three labels:
**   film 0: truth {0, 1}, tagged {0},    top 0 (a hit)
**   film 1: truth {1},    tagged {1, 2}, top 2 (a miss)
**   film 2: truth {2},    tagged {2},    top 2 (a hit)
** label 0: tp 1; label 1: tp 1, fn 1; label 2: tp 1, fp 1.  Micro: tp 3, fp 1, fn 1,
** F1 6/8.  Macro: (1 + 2/3 + 2/3) / 3 = 7/9.  P@1 2/3. */
START_TEST(test_definitions)
{
	const tg_labelmask truth[] = { BIT(0) | BIT(1), BIT(1), BIT(2) };
	const tg_labelmask tagged[] = { BIT(0), BIT(1) | BIT(2), BIT(2) };
	const uint32_t top[] = { 0, 2, 2 };
	tg_metrics m;
	ck_assert_int_eq(tg_metrics_compute(truth, tagged, top, 3, 3, &m), 0);
	ck_assert_uint_eq(m.n, 3);
	ck_assert_double_eq_tol(m.micro_f1, 6.0 / 8, 1e-12);
	ck_assert_double_eq_tol(m.micro_precision, 3.0 / 4, 1e-12);
	ck_assert_double_eq_tol(m.micro_recall, 3.0 / 4, 1e-12);
	ck_assert_double_eq_tol(m.macro_f1, 7.0 / 9, 1e-12);
	ck_assert_double_eq_tol(m.p_at_1, 2.0 / 3, 1e-12);
	ck_assert_uint_eq(m.label[1].fn, 1);
	ck_assert_uint_eq(m.label[2].fp, 1);
	ck_assert_uint_eq(m.label[1].support, 2);
}
END_TEST

/* Labels past n_labels count nowhere, not in the figures and not in the resamples. */
START_TEST(test_labels_past_n_ignored)
{
	const tg_labelmask truth[] = { BIT(0) | BIT(5), BIT(1) };
	const tg_labelmask tagged[] = { BIT(0) | BIT(5) | BIT(6), BIT(1) | BIT(7) };
	const uint32_t top[] = { 0, 1 };
	tg_metrics m;
	ck_assert_int_eq(tg_metrics_compute(truth, tagged, top, 2, 2, &m), 0);
	expect_no_spread(&m, 1.0, 1.0);
}
END_TEST

/* Every film right: every resample is perfect too. */
START_TEST(test_perfect_films_have_no_spread)
{
	tg_labelmask truth[50], tagged[50];
	uint32_t top[50];
	for (int i = 0; i < 50; i++) {
		truth[i] = tagged[i] = BIT(i % 4) | BIT(4);
		top[i] = (uint32_t)(i % 4);
	}
	tg_metrics m;
	ck_assert_int_eq(tg_metrics_compute(truth, tagged, top, 50, 5, &m), 0);
	expect_no_spread(&m, 1.0, 1.0);
}
END_TEST

/* Every film alike, tagged with its one genre and a wrong one, the wrong one on top:
** every resample has precision 1/2 and recall 1, micro-F1 2/3, and P@1 0 (a true tag
** is not a hit unless it is the top one). */
START_TEST(test_alike_films_have_no_spread)
{
	tg_labelmask truth[40], tagged[40];
	uint32_t top[40];
	for (int i = 0; i < 40; i++) {
		truth[i] = BIT(1);
		tagged[i] = BIT(1) | BIT(2);
		top[i] = 2;
	}
	tg_metrics m;
	ck_assert_int_eq(tg_metrics_compute(truth, tagged, top, 40, 3, &m), 0);
	expect_no_spread(&m, 2.0 / 3, 0.0);
}
END_TEST

/* Two films, one hit: a resample has 0, 1 or 2 hits with chances 1/4, 1/2, 1/4, so
** the 2.5th percentile is 0 and the 97.5th is 1. */
START_TEST(test_two_films)
{
	const tg_labelmask truth[] = { BIT(0), BIT(0) };
	const tg_labelmask tagged[] = { BIT(0), BIT(1) };
	const uint32_t top[] = { 0, 1 };
	tg_metrics m;
	ck_assert_int_eq(tg_metrics_compute(truth, tagged, top, 2, 2, &m), 0);
	ck_assert_double_eq(m.p_at_1, 0.5);
	ck_assert_double_eq(m.p_at_1_95.lo, 0.0);
	ck_assert_double_eq(m.p_at_1_95.hi, 1.0);
}
END_TEST

/* n films, hits of them hits (top label theirs), the others misses. */
static void hits_of(size_t n, size_t hits, tg_metrics *m)
{
	tg_labelmask *truth = malloc(n * sizeof *truth), *tagged = malloc(n * sizeof *tagged);
	uint32_t *top = malloc(n * sizeof *top);
	ck_assert_ptr_nonnull(truth);
	ck_assert_ptr_nonnull(tagged);
	ck_assert_ptr_nonnull(top);
	for (size_t i = 0; i < n; i++) {
		/* spread the hits evenly, so that no prefix of the films is special */
		const int hit = (i * hits) / n != ((i + 1) * hits) / n;
		truth[i] = BIT(0);
		top[i] = hit ? 0 : 1;
		tagged[i] = BIT(top[i]);
	}
	ck_assert_int_eq(tg_metrics_compute(truth, tagged, top, n, 2, m), 0);
	free(truth), free(tagged), free(top);
}

/* P@1 is a share of n films: its resamples are binomial, and with n = 2000 and p =
** 0.75 the percentile interval is p -+ 1.96 sqrt(p (1 - p) / n) = p -+ 0.0190 to
** within the bootstrap's own noise (about 0.001 with 1,000 resamples); wider, narrower
** or shifted percentiles miss. */
START_TEST(test_p_at_1_interval_is_binomial)
{
	tg_metrics m;
	hits_of(2000, 1500, &m);
	ck_assert_double_eq(m.p_at_1, 0.75);
	const double half = 1.96 * sqrt(0.75 * 0.25 / 2000);
	ck_assert_double_eq_tol(m.p_at_1_95.lo, 0.75 - half, 0.003);
	ck_assert_double_eq_tol(m.p_at_1_95.hi, 0.75 + half, 0.003);
	/* Here every film has one true and one tagged label, so micro-F1 is P@1. */
	ck_assert_double_eq(m.micro_f1, m.p_at_1);
	ck_assert_double_eq(m.micro_f1_95.lo, m.p_at_1_95.lo);
	ck_assert_double_eq(m.micro_f1_95.hi, m.p_at_1_95.hi);
}
END_TEST

/* Sixteen times the films, a quarter of the width; the same films, the same draws. */
START_TEST(test_interval_narrows_and_repeats)
{
	tg_metrics small, big, again;
	hits_of(500, 350, &small);
	hits_of(8000, 5600, &big);
	hits_of(500, 350, &again);
	const double ratio = (small.p_at_1_95.hi - small.p_at_1_95.lo) / (big.p_at_1_95.hi - big.p_at_1_95.lo);
	ck_assert_double_ge(ratio, 3.4);
	ck_assert_double_le(ratio, 4.6);
	ck_assert(small.p_at_1_95.lo < 0.7 && 0.7 < small.p_at_1_95.hi);
	ck_assert_double_eq(small.p_at_1_95.lo, again.p_at_1_95.lo);
	ck_assert_double_eq(small.p_at_1_95.hi, again.p_at_1_95.hi);
}
END_TEST

START_TEST(test_no_films)
{
	tg_metrics m;
	ck_assert_int_eq(tg_metrics_compute(NULL, NULL, NULL, 0, 3, &m), 0);
	ck_assert_uint_eq(m.n, 0);
	ck_assert_double_eq(m.p_at_1, 0.0);
	ck_assert_double_eq(m.p_at_1_95.lo, 0.0);
	ck_assert_double_eq(m.micro_f1_95.hi, 0.0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("figures");
	tcase_add_test(tc, test_definitions);
	tcase_add_test(tc, test_labels_past_n_ignored);
	tcase_add_test(tc, test_no_films);
	suite_add_tcase(s, tc);
	tc = tcase_create("intervals");
	tcase_add_test(tc, test_perfect_films_have_no_spread);
	tcase_add_test(tc, test_alike_films_have_no_spread);
	tcase_add_test(tc, test_two_films);
	tcase_add_test(tc, test_p_at_1_interval_is_binomial);
	tcase_add_test(tc, test_interval_narrows_and_repeats);
	suite_add_tcase(s, tc);
	return tg_run_suite(s);
}
