#include <math.h>
#include <stdlib.h>

#include "calibrate.h"

/* -log(sigmoid(z)) without overflow. */
static double softplus_neg(double z)
{
	return z >= 0 ? log1p(exp(-z)) : -z + log1p(exp(z));
}

static double platt_loss(const float *s, const double *t, size_t n, double a, double b)
{
	double f = 0;
	for (size_t i = 0; i < n; i++) {
		double z = a * s[i] + b;
		f += t[i] * softplus_neg(z) + (1 - t[i]) * softplus_neg(-z);
	}
	return f;
}

void tg_platt_fit(const float *s, const unsigned char *y, size_t n, float *a_out, float *b_out)
{
	size_t pos = 0;
	for (size_t i = 0; i < n; i++)
		pos += y[i] != 0;
	size_t neg = n - pos;
	double *t = malloc((n ? n : 1) * sizeof *t);
	double a = 1.0, b = log((pos + 1.0) / (neg + 1.0));
	if (!t) {
		*a_out = 1.0f, *b_out = (float)b;
		return;
	}
	const double hi = (pos + 1.0) / (pos + 2.0), lo = 1.0 / (neg + 2.0);
	for (size_t i = 0; i < n; i++)
		t[i] = y[i] ? hi : lo;
	double f = platt_loss(s, t, n, a, b);
	for (int iter = 0; iter < 100; iter++) {
		double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
		for (size_t i = 0; i < n; i++) {
			double z = a * s[i] + b;
			double p = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
			double d = p - t[i], w = p * (1 - p);
			ga += d * s[i];
			gb += d;
			haa += w * s[i] * s[i];
			hab += w * s[i];
			hbb += w;
		}
		if (fabs(ga) < 1e-5 && fabs(gb) < 1e-5)
			break;
		double det = haa * hbb - hab * hab;
		double da = -(hbb * ga - hab * gb) / det, db = -(-hab * ga + haa * gb) / det;
		double step = 1, fnew = f;
		while (step >= 1e-10) {
			fnew = platt_loss(s, t, n, a + step * da, b + step * db);
			if (fnew < f + 1e-4 * step * (ga * da + gb * db))
				break;
			step /= 2;
		}
		if (step < 1e-10)
			break;
		a += step * da;
		b += step * db;
		f = fnew;
	}
	free(t);
	/* A label the margins cannot rank gets a flat, still increasing, curve. */
	if (!(a > 1e-3))
		a = 1e-3;
	*a_out = (float)a;
	*b_out = (float)b;
}

typedef struct scored {
	float p;
	unsigned char y;
} scored;

static int by_p_desc(const void *x, const void *y)
{
	float a = ((const scored *)x)->p, b = ((const scored *)y)->p;
	return (a < b) - (a > b);
}

int tg_best_threshold(const float *p, const unsigned char *y, const unsigned char *forced, size_t n, float *out)
{
	size_t pos = 0, tp = 0, tagged = 0, m = 0;
	*out = 1.0f;
	for (size_t i = 0; i < n; i++)
		pos += y[i] != 0;
	if (pos == 0)
		return 0;
	scored *v = malloc(n * sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (forced && forced[i]) {
			tagged++;
			tp += y[i] != 0;
		} else {
			v[m++] = (scored){ p[i], y[i] != 0 };
		}
	}
	qsort(v, m, sizeof *v, by_p_desc);
	/* Start from tagging nothing beyond the forced rows (t = 1 keeps it so). */
	double best_f1 = 2.0 * tp / (double)(tagged + pos);
	float best_t = 1.0f;
	for (size_t i = 0; i < m; i++) {
		tp += v[i].y;
		tagged++;
		/* Only cut between distinct scores: p >= t tags ties together. */
		if (i + 1 < m && v[i + 1].p == v[i].p)
			continue;
		double f1 = 2.0 * tp / (double)(tagged + pos);
		if (f1 > best_f1) {
			best_f1 = f1;
			best_t = i + 1 < m ? 0.5f * (v[i].p + v[i + 1].p) : v[i].p;
		}
	}
	free(v);
	*out = best_t;
	return 0;
}
