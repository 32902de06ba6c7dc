/*
** Platt scaling and the per-label threshold (trainer/learn/calibrate.c) on cases whose
** answers follow from the definitions, and the ensemble's calibration
** (calibrate_ensemble.c) with per-label and shared thresholds.  Platt fits p = sigmoid(a*s + b) to the smoothed
** targets t+ = (P+1)/(P+2), t- = 1/(N+2) (P positives, N negatives); where the scores
** take two values, the fit is exact: at each score the sigmoid equals the mean target.
*/
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "calibrate.h"
#include "check_run.h"
#include "train_work.h"

static double logit(double p)
{
	return log(p / (1 - p));
}

static double sigmoid(double z)
{
	return 1 / (1 + exp(-z));
}

/* Platt's fit of n films must be a, b (to 1e-4). */
static void expect_fit(const float *s, const unsigned char *y, size_t n, double a_want, double b_want)
{
	float a, b;
	tg_platt_fit(s, y, n, &a, &b);
	ck_assert_float_eq_tol(a, a_want, 1e-4);
	ck_assert_float_eq_tol(b, b_want, 1e-4);
}

/* Scores -1 and +1, four films each; at +1 three of four have the label, at -1 one
** of four.  P = N = 4: t+ = 5/6, t- = 1/6; the mean target is 2/3 at +1, 1/3 at -1,
** so a + b = logit(2/3) = ln 2 and -a + b = ln(1/2): a = ln 2, b = 0. */
START_TEST(test_two_scores_exact)
{
	const float s[] = { 1, 1, 1, 1, -1, -1, -1, -1 };
	const unsigned char y[] = { 1, 1, 1, 0, 1, 0, 0, 0 };
	expect_fit(s, y, 8, log(2.0), 0);
}
END_TEST

/* The same label rates at scores 0 and 2 instead of -1 and +1: sigmoid(b) = 1/3 and
** sigmoid(2a + b) = 2/3, so b = logit(1/3) = -ln 2 and a = (logit(2/3) - b) / 2 = ln 2. */
START_TEST(test_two_scores_shifted)
{
	const float s[] = { 2, 2, 2, 2, 0, 0, 0, 0 };
	const unsigned char y[] = { 1, 0, 1, 1, 0, 0, 1, 0 };
	expect_fit(s, y, 8, (logit(2 / 3.) - logit(1 / 3.)) / 2, logit(1 / 3.));
}
END_TEST

/* One score for every film: only b can move; sigmoid(b) is the mean target.  P = 1,
** N = 3: t+ = 2/3, t- = 1/5, mean (2/3 + 3/5) / 4 = 19/60, so b = ln(19/41) (Newton
** must move it from its start, ln((P+1)/(N+1)) = ln(1/2)); a stays positive. */
START_TEST(test_flat_scores)
{
	const float s[] = { 0, 0, 0, 0 };
	const unsigned char y[] = { 0, 1, 0, 0 };
	float a, b;
	tg_platt_fit(s, y, 4, &a, &b);
	ck_assert_float_eq_tol(b, log(19.0 / 41.0), 1e-4);
	ck_assert_float_gt(a, 0);
}
END_TEST

/* 3000 films whose label rates follow sigmoid(2s - 1) at s = -0.5 .. 1.5 (600 films
** per score, rates from 0.12 to 0.88; rounding and smoothing move them by under
** 1/1000): a near 2, b near -1, and the probabilities increase with the score,
** strictly inside (0, 1). */
START_TEST(test_recovers_known_curve)
{
	enum { PER = 600, NS = 5 };
	const float score[NS] = { -0.5f, 0, 0.5f, 1, 1.5f };
	float *s = malloc(PER * NS * sizeof *s);
	unsigned char *y = malloc(PER * NS);
	ck_assert(s && y);
	for (int j = 0; j < NS; j++) {
		int pos = (int)lround(PER * sigmoid(2.0 * score[j] - 1.0));
		for (int i = 0; i < PER; i++) {
			s[j * PER + i] = score[j];
			y[j * PER + i] = i < pos;
		}
	}
	float a, b;
	tg_platt_fit(s, y, PER * NS, &a, &b);
	ck_assert_float_eq_tol(a, 2.0, 0.02);
	ck_assert_float_eq_tol(b, -1.0, 0.02);
	double prev = 0;
	for (double x = -10; x <= 10; x += 0.5) {
		double p = sigmoid(a * x + b);
		ck_assert(p > prev && p < 1);
		prev = p;
	}
	free(s);
	free(y);
}
END_TEST

/* Scores that rank films backwards would want a < 0; a is kept positive (a flat,
** still increasing curve), and b still finite. */
START_TEST(test_backwards_scores_keep_a_positive)
{
	const float s[] = { 2, 1, -1, -2 };
	const unsigned char y[] = { 0, 0, 1, 1 };
	float a, b;
	tg_platt_fit(s, y, 4, &a, &b);
	ck_assert_float_eq(a, 1e-3f);
	ck_assert(isfinite(b));
}
END_TEST

/* Separable scores: the smoothed targets keep the optimum finite. */
START_TEST(test_separable_finite)
{
	const float s[] = { 3, 2, -2, -3 };
	const unsigned char y[] = { 1, 1, 0, 0 };
	float a, b;
	tg_platt_fit(s, y, 4, &a, &b);
	ck_assert(isfinite(a) && isfinite(b));
	ck_assert_float_gt(a, 0);
	/* The gradient vanishes: sum (p - t) = 0 and sum (p - t) s = 0, t+ = 3/4, t- = 1/4. */
	double ga = 0, gb = 0;
	for (int i = 0; i < 4; i++) {
		double d = sigmoid(a * s[i] + b) - (y[i] ? 0.75 : 0.25);
		ga += d * s[i];
		gb += d;
	}
	ck_assert_float_eq_tol(ga, 0, 1e-4);
	ck_assert_float_eq_tol(gb, 0, 1e-4);
}
END_TEST

/* tg_best_threshold's threshold, which must be found. */
static float threshold_of(const float *p, const unsigned char *y, const unsigned char *forced, size_t n)
{
	float t = -1;
	ck_assert_int_eq(tg_best_threshold(p, y, forced, n, &t), 0);
	return t;
}

START_TEST(test_threshold_between_classes)
{
	/* Tagging the top two gives F1 = 1: the cut is halfway to the next score. */
	const float p[] = { 0.2f, 0.9f, 0.3f, 0.8f };
	const unsigned char y[] = { 0, 1, 0, 1 };
	ck_assert_float_eq_tol(threshold_of(p, y, NULL, 4), 0.55f, 1e-6);
}
END_TEST

START_TEST(test_threshold_ties_tagged_together)
{
	/* p >= t tags both 0.5s or neither.  F1 over the cuts: {0.9} 2/3, {0.9, 0.5, 0.5}
	** 4/5, all 2/3; cutting between the 0.5s (F1 = 1) is not possible. */
	const float p[] = { 0.9f, 0.5f, 0.5f, 0.1f };
	const unsigned char y[] = { 1, 1, 0, 0 };
	ck_assert_float_eq_tol(threshold_of(p, y, NULL, 4), 0.3f, 1e-6);
}
END_TEST

START_TEST(test_threshold_forced_rows)
{
	/* Without forcing: {0.9} 2/3, {0.9, 0.2} 1, so t = 0.15.  With the 0.2 row always
	** tagged (its film's top label), {0.9} already gives 1, so t = 0.5. */
	const float p[] = { 0.9f, 0.2f, 0.1f };
	const unsigned char y[] = { 1, 1, 0 };
	const unsigned char forced[] = { 0, 1, 0 };
	ck_assert_float_eq_tol(threshold_of(p, y, NULL, 3), 0.15f, 1e-6);
	ck_assert_float_eq_tol(threshold_of(p, y, forced, 3), 0.5f, 1e-6);
}
END_TEST

START_TEST(test_threshold_edges)
{
	/* Every row positive: tag them all, down to the lowest score. */
	const float p[] = { 0.9f, 0.4f };
	const unsigned char all[] = { 1, 1 }, none[] = { 0, 0 };
	ck_assert_float_eq(threshold_of(p, all, NULL, 2), 0.4f);
	/* No positive row, or no row: 1 (tag nothing). */
	ck_assert_float_eq(threshold_of(p, none, NULL, 2), 1.0f);
	ck_assert_float_eq(threshold_of(p, none, NULL, 0), 1.0f);
}
END_TEST

/* 60 films, 3 labels (the third rare), margins that carry each label noisily: the
** ensemble's calibration in both threshold modes. */
enum { ENS_N = 60, ENS_L = 3 };

typedef struct ensemble_run {
	calibration cal;
	float Z[ENS_N * ENS_L];
	uint32_t top[ENS_N];
	tg_labelmask tagged[ENS_N];
} ensemble_run;

static void ensemble_films(float *S1, float *S2, tg_labelmask *y)
{
	uint32_t r = 12345;
	for (size_t i = 0; i < ENS_N; i++) {
		y[i] = 0;
		for (uint32_t k = 0; k < ENS_L; k++) {
			r = r * 1103515245u + 12345u;
			int has = (r >> 16) % (k == 2 ? 8 : 3) == 0;
			if (has)
				y[i] |= (tg_labelmask)1 << k;
			r = r * 1103515245u + 12345u;
			float noise = (float)((r >> 16) % 1000) / 500.0f - 1.0f;
			S1[i * ENS_L + k] = (has ? 0.6f : -0.6f) + 1.3f * noise;
			S2[i * ENS_L + k] = 0.5f * S1[i * ENS_L + k] + 0.4f * noise;
		}
	}
}

static void ensemble_calibrate(int shared, ensemble_run *run)
{
	float S1[ENS_N * ENS_L], S2[ENS_N * ENS_L];
	tg_labelmask y[ENS_N];
	ensemble_films(S1, S2, y);
	ck_assert_int_eq(tg_calibrate_ensemble(S1, S2, y, ENS_N, ENS_L, 2, shared, &run->cal, run->Z, run->top,
	                                       run->tagged), 0);
}

/* The tags follow the thresholds: the top label, and every label at or above its own. */
static void ck_tags_follow_thresholds(const ensemble_run *run)
{
	for (size_t i = 0; i < ENS_N; i++) {
		tg_labelmask want = (tg_labelmask)1 << run->top[i];
		for (uint32_t k = 0; k < ENS_L; k++)
			if (tg_sigmoid(run->Z[i * ENS_L + k]) >= run->cal.threshold[k])
				want |= (tg_labelmask)1 << k;
		ck_assert_uint_eq(run->tagged[i], want);
	}
}

START_TEST(test_ensemble_per_label_thresholds)
{
	float S1[ENS_N * ENS_L], S2[ENS_N * ENS_L], p[ENS_N];
	tg_labelmask y[ENS_N];
	unsigned char yk[ENS_N], forced[ENS_N];
	ensemble_run run;
	ensemble_films(S1, S2, y);
	ensemble_calibrate(0, &run);
	for (uint32_t k = 0; k < ENS_L; k++) {
		for (size_t i = 0; i < ENS_N; i++) {
			p[i] = (float)tg_sigmoid(run.Z[i * ENS_L + k]);
			yk[i] = (unsigned char)tg_has_label(y[i], k);
			forced[i] = run.top[i] == k;
		}
		ck_assert_float_eq(run.cal.threshold[k], threshold_of(p, yk, forced, ENS_N));
	}
	/* These films give the labels different thresholds, so the shared test below tells. */
	ck_assert(run.cal.threshold[0] != run.cal.threshold[1] || run.cal.threshold[1] != run.cal.threshold[2]);
	ck_tags_follow_thresholds(&run);
}
END_TEST

START_TEST(test_ensemble_shared_threshold)
{
	float S1[ENS_N * ENS_L], S2[ENS_N * ENS_L], p[ENS_N * ENS_L];
	tg_labelmask y[ENS_N];
	unsigned char yk[ENS_N * ENS_L], forced[ENS_N * ENS_L];
	ensemble_run shared, per_label;
	ensemble_films(S1, S2, y);
	ensemble_calibrate(1, &shared);
	ensemble_calibrate(0, &per_label);
	/* The same calibration and top labels: only the thresholds differ. */
	for (size_t c = 0; c < ENS_N * ENS_L; c++)
		ck_assert_float_eq(shared.Z[c], per_label.Z[c]);
	for (size_t i = 0; i < ENS_N; i++)
		ck_assert_uint_eq(shared.top[i], per_label.top[i]);
	/* One threshold: the best F1 over every (film, label) pair, i.e. the best micro-F1. */
	for (size_t i = 0; i < ENS_N; i++)
		for (uint32_t k = 0; k < ENS_L; k++) {
			p[i * ENS_L + k] = (float)tg_sigmoid(shared.Z[i * ENS_L + k]);
			yk[i * ENS_L + k] = (unsigned char)tg_has_label(y[i], k);
			forced[i * ENS_L + k] = shared.top[i] == k;
		}
	const float t = threshold_of(p, yk, forced, ENS_N * ENS_L);
	for (uint32_t k = 0; k < ENS_L; k++)
		ck_assert_float_eq(shared.cal.threshold[k], t);
	ck_tags_follow_thresholds(&shared);
}
END_TEST

/* Cross-fitted tags: each fold's films tagged by the thresholds (either rule) that the
** other folds' films give, recomputed here from tg_best_threshold. */
static void ck_cross_fitted(int shared)
{
	float S1[ENS_N * ENS_L], S2[ENS_N * ENS_L], p[ENS_N * ENS_L], t[ENS_L];
	tg_labelmask y[ENS_N], cross[ENS_N];
	unsigned char yk[ENS_N * ENS_L], forced[ENS_N * ENS_L];
	uint32_t fold[ENS_N];
	ensemble_run run;
	ensemble_films(S1, S2, y);
	ensemble_calibrate(shared, &run);
	for (size_t i = 0; i < ENS_N; i++)
		fold[i] = (uint32_t)(i % 3);
	ck_assert_int_eq(tg_cross_fitted_tags(run.Z, y, run.top, fold, ENS_N, ENS_L, 3, shared, cross), 0);
	int differs = 0;
	for (uint32_t f = 0; f < 3; f++) {
		for (uint32_t k0 = 0; k0 < ENS_L; k0++) {
			size_t m = 0;
			for (size_t i = 0; i < ENS_N; i++)
				for (uint32_t k = 0; k < ENS_L; k++)
					if (fold[i] != f && (shared || k == k0)) {
						p[m] = (float)tg_sigmoid(run.Z[i * ENS_L + k]);
						yk[m] = (unsigned char)tg_has_label(y[i], k);
						forced[m++] = run.top[i] == k;
					}
			t[k0] = threshold_of(p, yk, forced, m);
		}
		for (size_t i = 0; i < ENS_N; i++) {
			if (fold[i] != f)
				continue;
			tg_labelmask want = (tg_labelmask)1 << run.top[i];
			for (uint32_t k = 0; k < ENS_L; k++)
				if (tg_sigmoid(run.Z[i * ENS_L + k]) >= t[k])
					want |= (tg_labelmask)1 << k;
			ck_assert_uint_eq(cross[i], want);
			differs |= cross[i] != run.tagged[i];
		}
	}
	/* Thresholds fit without a film's fold tag some films otherwise than those fit on all. */
	ck_assert(differs);
}

START_TEST(test_cross_fitted_per_label)
{
	ck_cross_fitted(0);
}
END_TEST

START_TEST(test_cross_fitted_shared)
{
	ck_cross_fitted(1);
}
END_TEST

static Suite *calibrate_suite(void)
{
	Suite *s = suite_create("calibrate");
	TCase *platt = tcase_create("platt");
	tcase_set_timeout(platt, 60);
	tcase_add_test(platt, test_two_scores_exact);
	tcase_add_test(platt, test_two_scores_shifted);
	tcase_add_test(platt, test_flat_scores);
	tcase_add_test(platt, test_recovers_known_curve);
	tcase_add_test(platt, test_backwards_scores_keep_a_positive);
	tcase_add_test(platt, test_separable_finite);
	suite_add_tcase(s, platt);
	TCase *thr = tcase_create("threshold");
	tcase_add_test(thr, test_threshold_between_classes);
	tcase_add_test(thr, test_threshold_ties_tagged_together);
	tcase_add_test(thr, test_threshold_forced_rows);
	tcase_add_test(thr, test_threshold_edges);
	suite_add_tcase(s, thr);
	TCase *ens = tcase_create("ensemble");
	tcase_add_test(ens, test_ensemble_per_label_thresholds);
	tcase_add_test(ens, test_ensemble_shared_threshold);
	tcase_add_test(ens, test_cross_fitted_per_label);
	tcase_add_test(ens, test_cross_fitted_shared);
	suite_add_tcase(s, ens);
	return s;
}

int main(void)
{
	return tg_run_suite(calibrate_suite());
}
