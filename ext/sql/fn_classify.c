/*
** tg_predict, tg_tags and tg_scores: one call per row, so nothing here allocates
** except the result, and the text is scored in place from the value's bytes.
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "sql_functions.h"
#include "sql_call.h"
#include "ranking.h"

/*
** Copies n bytes of a label or a number into a result being built: TG_SLACK at a
** time when n <= TG_SLACK, a fixed-size copy the compiler inlines.  Both sides have
** the room: the labels' text is followed by TG_LABEL_SLACK spare bytes (tg_loaded),
** number buffers are TG_SLACK longer than a number, and result buffers TG_SLACK
** longer than their text.
*/
#define TG_SLACK TG_LABEL_SLACK
static inline size_t put(char *out, const char *src, size_t n)
{
	if (n <= TG_SLACK)
		memcpy(out, src, TG_SLACK);
	else
		memcpy(out, src, n);
	return n;
}

/*
** Common start of the three: the name, the text and the model.  Returns the model,
** or NULL when the function is done (NULL text, no tokens, or an error set).
*/
static tg_loaded *begin(sqlite3_context *c, int argc, sqlite3_value **argv, const char *fn,
                        tg_call *call, const void **text, size_t *len)
{
	int name_len;
	const char *name = tg_call_name(c, argc, argv, 1, fn, &name_len);
	if (!name)
		return NULL;
	int rc = tg_arg_text(argv[0], text, len);
	if (rc <= 0) {
		if (rc < 0)
			sqlite3_result_error_nomem(c);
		return NULL;
	}
	return tg_call_model(c, name, name_len, call);
}

void tg_predict_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	tg_call call;
	const void *text;
	size_t len;
	tg_loaded *m = begin(c, argc, argv, "tg_predict", &call, &text, &len);
	if (!m)
		return;
	tg_sums sums;
	tg_model_accumulate(m->model, text, len, &sums);
	if (sums.n_tokens > 0) {
		float z[TG_MODEL_MAX_LABELS];
		tg_model_logits(m->model, &sums, z);
		uint32_t top = tg_model_top(m->model, z);
		/* A model pinned to the statement outlives every row the statement returns:
		** its label text needs no copy (see sql_call.h). */
		sqlite3_result_text(c, m->model->labels[top], (int)m->model->label_len[top],
		                    call.to_release ? SQLITE_TRANSIENT : SQLITE_STATIC);
	}
	tg_call_end(&call);
}

/*
** Sets a JSON result built in buf (at bytes, 1 + TG_SLACK to spare): copied by SQLite
** into the result's own buffer, which it keeps from row to row, so that a stack
** buffer costs no allocation; or handed over when it was allocated (heap != 0).
*/
static void result_json(sqlite3_context *c, char *buf, size_t at, int heap)
{
	buf[at] = 0;
	if (heap) {
		tg_result_json(c, buf, at);
	} else {
		sqlite3_result_text64(c, buf, at, SQLITE_TRANSIENT, SQLITE_UTF8);
		sqlite3_result_subtype(c, TG_JSON_SUBTYPE);
	}
}

/* Results up to this long are built on the stack. */
#define TG_STACK_RESULT 2048

/* Where to build a result of bytes bytes (and its NUL and TG_SLACK): stack, of
** TG_STACK_RESULT bytes, or an allocation (*heap = 1); NULL when out of memory. */
static char *result_buffer(char *stack, size_t bytes, int *heap)
{
	*heap = bytes + 1 + TG_SLACK > TG_STACK_RESULT;
	return *heap ? sqlite3_malloc64(bytes + 1 + TG_SLACK) : stack;
}

/* A number of tg_scores' text, TG_SLACK to spare. */
typedef char tg_number[TG_SLACK + 16];

/*
** The labels order[0..n) as the function's JSON result: an array of names (tg_tags), or
** with num (num[i] of num_len[i] bytes for order[i]) an object of name: number
** (tg_scores).  Inlined into each, so the choice costs nothing per label.
*/
static inline void result_labels(sqlite3_context *c, const tg_loaded *m, const uint8_t *order, uint32_t n,
                                 const tg_number *num, const size_t *num_len)
{
	size_t bytes = 2;
	for (uint32_t i = 0; i < n; i++)
		bytes += m->label_json_len[order[i]] + 1 + (num ? num_len[i] + 1 : 0);
	char stack[TG_STACK_RESULT];
	int heap;
	char *out = result_buffer(stack, bytes, &heap);
	if (!out) {
		sqlite3_result_error_nomem(c);
		return;
	}
	size_t at = 0;
	out[at++] = num ? '{' : '[';
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = order[i];
		if (i > 0)
			out[at++] = ',';
		at += put(out + at, m->label_json[k], m->label_json_len[k]);
		if (num) {
			out[at++] = ':';
			at += put(out + at, num[i], num_len[i]);
		}
	}
	out[at++] = num ? '}' : ']';
	result_json(c, out, at, heap);
}

void tg_tags_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	tg_call call;
	const void *text;
	size_t len;
	tg_loaded *m = begin(c, argc, argv, "tg_tags", &call, &text, &len);
	if (!m)
		return;
	tg_ranking r;
	if (tg_rank_tagged(m->model, text, len, &r))
		result_labels(c, m, r.order, r.n_ranked, NULL, NULL);
	tg_call_end(&call);
}

/* x in [0, 10000] within 1e-6 of a rounding tie (an integer and a half). */
static inline int near_tie(double x)
{
	return fabs(x - (double)(int32_t)x - 0.5) < 1e-6;
}

/* x = p * 10000 for p in [0, 1], not near a tie, as "%.4f" prints p. */
static size_t format_ten_thousandths(char *buf, double x)
{
	static const char pairs[201] =
	    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	    "8081828384858687888990919293949596979899";
	const double whole = (double)(int32_t)x;   /* x >= 0: truncation is floor */
	const unsigned v = (unsigned)whole + (x - whole > 0.5);   /* 0..10000 */
	buf[0] = (char)('0' + v / 10000);
	buf[1] = '.';
	memcpy(buf + 2, pairs + 2 * (v / 100 % 100), 2);
	memcpy(buf + 4, pairs + 2 * (v % 100), 2);
	buf[6] = 0;
	return 6;
}

/* p * 10000 when p is in [0, 1] (NaN is not) and not within 1e-6 of a rounding tie
** there; else -1. */
static inline double ten_thousandths(double p)
{
	const double x = p * 10000.0;
	return x >= 0 && x <= 10000.0 && !near_tie(x) ? x : -1;
}

/*
** A probability with 4 decimals ("0.9269"), or null; returns its length.  The text
** is sqlite3_snprintf's "%.4f", which costs more than the rest of a tg_scores call:
** for p in [0, 1], p * 10000 rounded half up is the same number, and where p * 10000
** lies within 1e-6 of a tie the two roundings could differ, so printf decides.
*/
static size_t format_probability(char *buf, size_t size, double p)
{
	const double x = ten_thousandths(p);
	if (x >= 0)
		return format_ten_thousandths(buf, x);
	/* printf decides near a tie; out of [0, 1] (a probability never is) too. */
	sqlite3_snprintf((int)size, buf, isnan(p) || isinf(p) ? "null" : "%.4f", p);
	return strlen(buf);
}

/* Two doubles at a time: GCC's and clang's vector extensions, SSE2 on x86-64 and
** plain scalar code where there is no vector unit, from the one source. */
typedef double tg_v2d __attribute__((vector_size(16)));
typedef int64_t tg_v2i __attribute__((vector_size(16)));
typedef int32_t tg_v2i32 __attribute__((vector_size(8)));

/* Lanes of a where mask is all ones, of b where it is zero. */
static inline tg_v2d select_v2d(tg_v2i mask, tg_v2d a, tg_v2d b)
{
	return (tg_v2d)((mask & (tg_v2i)a) | (~mask & (tg_v2i)b));
}

/*
** exp(t) for t in [-36, 0] to within 3e-13 of it, two at a time: t = k ln 2 + r with
** |r| <= ln(2) / 2, exp(r) by its Taylor series to r^10 (what is left is below
** 0.35^11 / 11!), in Estrin's order so that the terms do not wait on each other,
** times 2^k.  Half the instructions of the same done one at a time, which was a third
** of the cost of libm's exp (that would be most of what tg_scores adds to tg_tags).
*/
static tg_v2d exp_nonpositive(tg_v2d t)
{
	/* k: t / ln 2 rounded to nearest (t <= 0, so truncating t / ln 2 - 0.5 rounds it). */
	const tg_v2i32 k32 = __builtin_convertvector(t * 1.4426950408889634 - 0.5, tg_v2i32);
	const tg_v2d k = __builtin_convertvector(k32, tg_v2d);
	/* ln 2 in two parts, the first with trailing zero bits, so k * ln2_hi is exact. */
	const tg_v2d r = (t - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
	const tg_v2d r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
	const tg_v2d p01 = 1.0 + r, p23 = 1.0 / 2 + r * (1.0 / 6), p45 = 1.0 / 24 + r * (1.0 / 120);
	const tg_v2d p67 = 1.0 / 720 + r * (1.0 / 5040), p89 = 1.0 / 40320 + r * (1.0 / 362880);
	const tg_v2d e = (p01 + r2 * p23) + r4 * (p45 + r2 * p67) + r8 * (p89 + r2 * (1.0 / 3628800));
	/* 2^k, k >= -52, by its bits. */
	return e * (tg_v2d)((__builtin_convertvector(k32, tg_v2i) + 1023) << 52);
}

/*
** The probabilities of tg_scores: tg_sigmoid(z[k]) to within 1e-12, for all labels at
** once (twenty independent exps overlap), or NaN where |z| > 36 or z is NaN: those
** format_score leaves to tg_sigmoid.
*/
static void fast_sigmoids(const float *z, uint32_t n, double *p)
{
	for (uint32_t k = 0; k < n; k += 2) {
		const tg_v2d zk = { z[k], k + 1 < n ? z[k + 1] : 0 };
		const tg_v2d magnitude = (tg_v2d)((tg_v2i)zk & INT64_MAX);
		/* |z| <= 36, false for NaN; then exp(-|z|). */
		const tg_v2i in_range = magnitude <= 36.0;
		const tg_v2d e = exp_nonpositive(-select_v2d(in_range, magnitude, (tg_v2d){ 36.0, 36.0 }));
		const tg_v2d sigmoid = select_v2d(zk >= 0.0, (tg_v2d){ 1.0, 1.0 }, e) / (1.0 + e);
		const tg_v2d out = select_v2d(in_range, sigmoid, (tg_v2d){ NAN, NAN });
		p[k] = out[0];
		if (k + 1 < n)
			p[k + 1] = out[1];
	}
}

/*
** The score of logit z as format_probability(tg_sigmoid(z)) gives it, from p, the
** fast value (fast_sigmoids): where p's error cannot change the 4-decimal rounding
** (anywhere but within 1e-6 / 10000 of a tie) p is formatted, elsewhere tg_sigmoid's
** own value, so the text is always the same.
*/
static size_t format_score(char *buf, size_t size, double p, float z)
{
	const double x = ten_thousandths(p);
	if (x >= 0)
		return format_ten_thousandths(buf, x);
	return format_probability(buf, size, tg_sigmoid(z));
}

void tg_scores_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	tg_call call;
	const void *text;
	size_t len;
	tg_loaded *m = begin(c, argc, argv, "tg_scores", &call, &text, &len);
	if (!m)
		return;
	tg_ranking r;
	if (tg_rank_text(m->model, text, len, &r)) {
		tg_number num[TG_MODEL_MAX_LABELS];
		size_t num_len[TG_MODEL_MAX_LABELS];
		double p[TG_MODEL_MAX_LABELS];
		fast_sigmoids(r.z, r.n, p);
		for (uint32_t i = 0; i < r.n; i++) {
			uint32_t k = r.order[i];
			num_len[i] = format_score(num[i], sizeof num[i], p[k], r.z[k]);
		}
		result_labels(c, m, r.order, r.n, num, num_len);
	}
	tg_call_end(&call);
}
