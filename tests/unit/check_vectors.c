/* Unit tests for trainer/read/vectors.c: the formats it reads, its values against strtof's,
** and every kind of bad file it must refuse with a message and nothing kept. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "sha256.h"
#include "vectors.h"
#include "check_random.h"
#include "check_run.h"
#include "check_temp.h"

static const char *path; /* the last fixture written */

static void write_fixture(const char *s, size_t len)
{
	path = tg_test_write_temp(s, len);
}

static void read_ok(const char *s, size_t len, tg_vectors_keep_fn keep, void *ctx, tg_vectors *v)
{
	char err[TG_ERR_MAX] = "";
	write_fixture(s, len);
	int rc = tg_vectors_read(path, keep, ctx, v, err, sizeof err);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_str_eq(err, "");
	unlink(path);
}

/* What a refused read leaves: nothing. */
static void assert_empty(const tg_vectors *v)
{
	ck_assert_ptr_null(v->words);
	ck_assert_ptr_null(v->values);
	ck_assert_ptr_null(v->word_bytes);
	ck_assert_uint_eq(v->n, 0);
	ck_assert_uint_eq(v->n_read, 0);
	ck_assert_uint_eq(v->dim, 0);
}

/* The file s[0..len) is refused with "PATH" followed by msg, and out is empty. */
static void expect_error_len(const char *s, size_t len, const char *msg)
{
	char err[TG_ERR_MAX], want[TG_ERR_MAX];
	tg_vectors v;
	write_fixture(s, len);
	int rc = tg_vectors_read(path, NULL, NULL, &v, err, sizeof err);
	snprintf(want, sizeof want, "%s%s", path, msg);
	unlink(path);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(err, want);
	assert_empty(&v);
}

static void expect_error(const char *s, const char *msg)
{
	expect_error_len(s, strlen(s), msg);
}

/* The value strtof gives for the C string s, bit for bit. */
static void assert_same_float(float got, const char *s)
{
	float want = strtof(s, NULL);
	ck_assert_msg(memcmp(&got, &want, sizeof got) == 0, "\"%s\": %a, strtof %a", s, (double)got,
	              (double)want);
}

/* ---- the formats ---- */

START_TEST(test_fasttext_vec)
{
	/* fastText writes a header and a space before each line end */
	static const char f[] = "3 4\nthe 0.1 -0.2 0.3 4e-05 \n, 1 2 3 4 \ncafé -0 0.5 1.25 -7 \n";
	tg_vectors v;
	read_ok(f, strlen(f), NULL, NULL, &v);
	ck_assert_uint_eq(v.dim, 4);
	ck_assert_uint_eq(v.n, 3);
	ck_assert_uint_eq(v.n_read, 3);
	ck_assert_str_eq(v.words[0], "the");
	ck_assert_str_eq(v.words[1], ",");
	ck_assert_str_eq(v.words[2], "café");
	static const char *const nums[] = { "0.1", "-0.2", "0.3", "4e-05", "1", "2", "3", "4",
		                            "-0", "0.5", "1.25", "-7" };
	for (size_t i = 0; i < 12; i++)
		assert_same_float(v.values[i], nums[i]);
	ck_assert(signbit(v.values[8]));
	unsigned char d[TG_SHA256_DIGEST_LEN];
	tg_sha256 c;
	tg_sha256_init(&c);
	tg_sha256_update(&c, f, strlen(f));
	tg_sha256_final(&c, d);
	ck_assert_mem_eq(v.sha256, d, sizeof d);
	tg_vectors_free(&v);
	ck_assert_ptr_null(v.words);
	tg_vectors_free(&v); /* an emptied one is fine */
}
END_TEST

START_TEST(test_glove_and_word2vec)
{
	/* GloVe: no header, single spaces; word2vec text: a header, no trailing space */
	static const char glove[] = "king 0.5 1.5\nqueen -0.5 2\n";
	static const char w2v[] = "2 2\nking 0.5 1.5\nqueen -0.5 2\n";
	tg_vectors a, b;
	read_ok(glove, strlen(glove), NULL, NULL, &a);
	read_ok(w2v, strlen(w2v), NULL, NULL, &b);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_uint_eq(b.n, 2);
	ck_assert_uint_eq(a.dim, 2);
	ck_assert_uint_eq(b.dim, 2);
	ck_assert_mem_eq(a.values, b.values, 4 * sizeof(float));
	ck_assert_str_eq(a.words[1], "queen");
	ck_assert_str_eq(b.words[1], "queen");
	ck_assert(a.values[3] == 2.0f);
	tg_vectors_free(&a);
	tg_vectors_free(&b);
}
END_TEST

START_TEST(test_whitespace_crlf_bom)
{
	/* runs of spaces and tabs between fields, CRLF, a BOM before the header */
	static const char f[] = "\xEF\xBB\xBF" "2 3\r\nab\t1  2\t \t3\t\r\nc 4 5 6\n";
	tg_vectors v;
	read_ok(f, strlen(f), NULL, NULL, &v);
	ck_assert_uint_eq(v.n, 2);
	ck_assert_str_eq(v.words[0], "ab");
	ck_assert_str_eq(v.words[1], "c");
	for (int i = 0; i < 6; i++)
		ck_assert(v.values[i] == (float)(i + 1));
	tg_vectors_free(&v);
	/* a header may end in spaces and tabs as any line may */
	static const char h[] = "1 2 \t\nw 1 2\n";
	read_ok(h, strlen(h), NULL, NULL, &v);
	ck_assert_uint_eq(v.n, 1);
	ck_assert_uint_eq(v.dim, 2);
	ck_assert_str_eq(v.words[0], "w");
	tg_vectors_free(&v);
	/* a BOM before a first word is not part of it */
	static const char g[] = "\xEF\xBB\xBF" "x 1\r\n";
	read_ok(g, strlen(g), NULL, NULL, &v);
	ck_assert_str_eq(v.words[0], "x");
	tg_vectors_free(&v);
}
END_TEST

/* Keeps words whose first byte is in ctx; records that it saw each word's exact bytes. */
static int keep_initials(void *ctx, const char *word, size_t len)
{
	ck_assert_uint_ge(len, 1);
	ck_assert(word[len] == ' ' || word[len] == '\t'); /* the file's bytes, not a copy */
	return strchr((const char *)ctx, word[0]) != NULL;
}

START_TEST(test_keep_callback)
{
	static const char f[] = "apple 1 2\nbanana 3 4\ncherry 5 6\navocado 7 8\n";
	tg_vectors v;
	read_ok(f, strlen(f), keep_initials, "a", &v);
	ck_assert_uint_eq(v.n_read, 4);
	ck_assert_uint_eq(v.n, 2);
	ck_assert_str_eq(v.words[0], "apple");
	ck_assert_str_eq(v.words[1], "avocado");
	ck_assert(v.values[0] == 1 && v.values[1] == 2 && v.values[2] == 7 && v.values[3] == 8);
	tg_vectors_free(&v);
	/* keeping none is not an error: the file was read and checked */
	read_ok(f, strlen(f), keep_initials, "z", &v);
	ck_assert_uint_eq(v.n_read, 4);
	ck_assert_uint_eq(v.n, 0);
	ck_assert_uint_eq(v.dim, 2);
	tg_vectors_free(&v);
	/* a skipped word is still checked: its duplicate is refused */
	static const char dup[] = "apple 1 2\nbanana 3 4\nbanana 5 6\n";
	char err[TG_ERR_MAX], want[TG_ERR_MAX];
	write_fixture(dup, strlen(dup));
	ck_assert_int_eq(tg_vectors_read(path, keep_initials, "a", &v, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:3: duplicate word \"banana\" (first on line 2)", path);
	ck_assert_str_eq(err, want);
	assert_empty(&v);
	unlink(path);
}
END_TEST

/* ---- numbers: every value is strtof's ---- */

/* Reads "w N1 N2 ...\n" for the given tokens and compares each value with strtof. */
static void check_tokens(const char *const *tok, size_t n)
{
	size_t cap = 16;
	for (size_t i = 0; i < n; i++)
		cap += strlen(tok[i]) + 1;
	char *f = malloc(cap);
	ck_assert_ptr_nonnull(f);
	size_t len = (size_t)sprintf(f, "w");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(f + len, " %s", tok[i]);
	f[len++] = '\n';
	tg_vectors v;
	read_ok(f, len, NULL, NULL, &v);
	ck_assert_uint_eq(v.dim, n);
	for (size_t i = 0; i < n; i++)
		assert_same_float(v.values[i], tok[i]);
	tg_vectors_free(&v);
	free(f);
}

START_TEST(test_number_forms)
{
	static const char *const tok[] = {
		"0", "-0", "+0", "0.0", "-0.0e10", "0e999999", "1", "+1.5", ".5", "-.5", "5.", "1e5",
		"1E+05", "1e-05", "-2.5E-3", "0x1p-3", "0X1.8P1", "-0x.8p0", "3.4028235e38",
		"3.4028234663852886e38", "-3.40282346e+38", "1.17549435e-38", "1.1754942e-38",
		"1e-40", "-1.4e-45", "7e-46", "1e-50", "0.1000000000000000055511151231257827",
		"123456789012345678901234567890", "9007199254740993", "9007199254740992",
		"16777217", "16777216.5", "0.000000000000000000000000000001", "1e22", "1e23", "1e-22",
		"1e-23", "4.9406564584124654e-324", "00012.50", "2.0000001192092896", "1.00000005960464477539",
		"1.0000000596046448", "1.000000059604644775390625", "1.0000000596046447753906251",
		"0.50000002980232238769531250000000001", "33554431", "33554433", "-0.038194",
		"0.72812", "9.9999e-9",
	};
	check_tokens(tok, sizeof tok / sizeof tok[0]);
}
END_TEST

START_TEST(test_random_decimals)
{
	/* Random decimals of 1 to 20 digits and exponents -30..15 (the fast path's whole
	** range and past it), and the decimals nearest to float midpoints, where a double
	** rounding would show: all must be strtof's, bit for bit. */
	enum { N = 4000 };
	static char buf[N][48];
	const char *tok[N];
	uint64_t st = 0x9E3779B97F4A7C15u;
	for (size_t i = 0; i < N; i++) {
		char *p = buf[i];
		if (i % 2) {
			float f = (float)tg_test_random(&st) / 65536.0f * powf(2, (float)(tg_test_random(&st) % 200) - 100);
			double mid = ((double)f + (double)nextafterf(f, INFINITY)) / 2;
			snprintf(p, sizeof buf[i], "%.*e", (int)(tg_test_random(&st) % 17), mid);
		} else {
			int digits = 1 + (int)(tg_test_random(&st) % 20), dot = (int)(tg_test_random(&st) % (unsigned)(digits + 1));
			if (tg_test_random(&st) % 2)
				*p++ = '-';
			for (int d = 0; d < digits; d++) {
				if (d == dot && d > 0)
					*p++ = '.';
				*p++ = (char)('0' + tg_test_random(&st) % 10);
			}
			if (tg_test_random(&st) % 2)
				sprintf(p, "e%d", (int)(tg_test_random(&st) % 46) - 30);
			else
				*p = '\0';
		}
		tok[i] = buf[i];
	}
	for (size_t i = 0; i < N; i += 500)
		check_tokens(tok + i, 500);
}
END_TEST

/* A file of n words of dim numbers each, with random values written as %.{1..9}g. */
static char *random_file(size_t n, unsigned dim, uint64_t seed, size_t *len)
{
	size_t cap = 32 + n * (16 + dim * 18);
	char *f = malloc(cap);
	ck_assert_ptr_nonnull(f);
	uint64_t st = seed;
	size_t l = (size_t)sprintf(f, "%zu %u\n", n, dim);
	for (size_t i = 0; i < n; i++) {
		l += (size_t)sprintf(f + l, "w%zu", i);
		for (unsigned d = 0; d < dim; d++) {
			double x = ((double)tg_test_random(&st) - 2147483648.0) / 1e9;
			l += (size_t)sprintf(f + l, " %.*g", 1 + (int)(tg_test_random(&st) % 9), x);
		}
		f[l++] = '\n';
	}
	*len = l;
	return f;
}

START_TEST(test_lines_across_chunks)
{
	/* about 1.4 MB: lines straddle the reader's chunks many times */
	size_t len;
	char *f = random_file(5000, 30, 42, &len);
	tg_vectors v;
	read_ok(f, len, NULL, NULL, &v);
	ck_assert_uint_eq(v.n, 5000);
	ck_assert_uint_eq(v.dim, 30);
	/* the reference: strtok and strtof over the same bytes */
	char *save, *tok = strtok_r(f, " \n", &save);
	tok = strtok_r(NULL, " \n", &save); /* the header's two numbers */
	for (size_t i = 0; i < v.n; i++) {
		tok = strtok_r(NULL, " \n", &save);
		ck_assert_str_eq(v.words[i], tok);
		for (unsigned d = 0; d < v.dim; d++) {
			tok = strtok_r(NULL, " \n", &save);
			assert_same_float(v.values[i * v.dim + d], tok);
		}
	}
	tg_vectors_free(&v);
	free(f);
}
END_TEST

START_TEST(test_longest_line)
{
	/* a line of exactly TG_VECTORS_MAX_LINE bytes is read; one byte more is refused */
	size_t len = TG_VECTORS_MAX_LINE;
	char *f = malloc(len + 3);
	ck_assert_ptr_nonnull(f);
	memset(f, ' ', len);
	f[0] = 'w';
	for (unsigned i = 0; i < 1000; i++)
		f[2 + i * 2] = '1';
	f[len - 1] = '2';
	f[len] = '\n';
	tg_vectors v;
	read_ok(f, len + 1, NULL, NULL, &v);
	ck_assert_uint_eq(v.dim, 1001);
	ck_assert(v.values[1000] == 2.0f);
	tg_vectors_free(&v);
	f[len] = ' ';
	f[len + 1] = '\n';
	char msg[64];
	snprintf(msg, sizeof msg, ":1: line longer than %u bytes", TG_VECTORS_MAX_LINE);
	expect_error_len(f, len + 2, msg);
	free(f);
}
END_TEST

/* ---- bad files ---- */

START_TEST(test_bad_dimensions)
{
	expect_error("a 1 2\nb 1\n", ":2: 1 numbers where the others have 2");
	expect_error("a 1 2\nb 1 2 3\n", ":2: 3 numbers where the others have 2");
	expect_error("2 3\na 1 2\nb 1 2 3\n", ":2: 2 numbers where the header says 3");
	expect_error("a\n", ":1: a word without numbers");
	expect_error("a 1\nb \n", ":2: a word without numbers");
	expect_error("1 0\n", ":1: the header's dimension is not in 1..10000");
	expect_error("1 10001\n", ":1: the header's dimension is not in 1..10000");
	expect_error("1 99999999999999999999999\n", ":1: the header's dimension is not in 1..10000");
	expect_error("99999999999999999999 5\n", ":1: the header's word count is above 4294967294");
	/* more numbers than any vector may have */
	size_t n = TG_VECTORS_MAX_DIM + 1, len = 1 + 2 * n + 1;
	char *f = malloc(len);
	ck_assert_ptr_nonnull(f);
	f[0] = 'w';
	for (size_t i = 0; i < n; i++)
		f[1 + 2 * i] = ' ', f[2 + 2 * i] = '0';
	f[len - 1] = '\n';
	expect_error_len(f, len, ":1: more than 10000 numbers");
	free(f);
}
END_TEST

START_TEST(test_bad_numbers)
{
	expect_error("a 1 nan\n", ":1: value 2 is NaN");
	expect_error("a -NAN 1\n", ":1: value 1 is NaN");
	expect_error("a inf 1\n", ":1: value 1 is infinite");
	expect_error("a 1 -Infinity\n", ":1: value 2 is infinite");
	expect_error("a 1e39\n", ":1: value 1 is beyond float's range");
	expect_error("a -3.4028236e38\n", ":1: value 1 is beyond float's range");
	expect_error("a 1 x\n", ":1: value 2 is not a number: \"x\"");
	expect_error("a 1 2x\n", ":1: value 2 is not a number: \"2x\"");
	expect_error("a 1e\n", ":1: value 1 is not a number: \"1e\"");
	expect_error("a 1,5\n", ":1: value 1 is not a number: \"1,5\"");
	expect_error("a --1\n", ":1: value 1 is not a number: \"--1\"");
	expect_error("a \v1\n", ":1: value 1 is not a number");
	expect_error("a 1\r2\n", ":1: value 1 is not a number");
	expect_error("a 0.1\xc3\xa9\n", ":1: value 1 is not a number");
	expect_error_len("a 1 2\0\n", 7, ":1: NUL byte in value 2 (a binary file?)");
}
END_TEST

START_TEST(test_bad_words)
{
	expect_error("a 1\nb 2\na 3\n", ":3: duplicate word \"a\" (first on line 1)");
	expect_error("2 1\na 1\na 3\n", ":3: duplicate word \"a\" (first on line 2)");
	expect_error("caf\xe9 1\n", ":1: the word is not valid UTF-8");
	expect_error("\xc0\xaf 1\n", ":1: the word is not valid UTF-8");
	expect_error("a\xed\xa0\x80 1\n", ":1: the word is not valid UTF-8");
	expect_error("ab\xe2\x82 1\n", ":1: the word is not valid UTF-8");
	expect_error("a\x01 1\n", ":1: control character 0x01 in the word");
	expect_error("a\rb 1\n", ":1: control character 0x0d in the word");
	expect_error("a 1\n\x7f 2\n", ":2: control character 0x7f in the word");
	expect_error_len("a\0b 1\n", 6, ":1: NUL byte in the word (a binary file?)");
	expect_error(" a 1\n", ":1: line starts with a space or tab (an empty word)");
	expect_error("a 1\n\tb 1\n", ":2: line starts with a space or tab (an empty word)");
}
END_TEST

START_TEST(test_bad_structure)
{
	expect_error("", ": empty file");
	expect_error("3 2\n", ":1: the file ends after 0 words where the header says 3 (a file cut short?)");
	expect_error("0 2\n", ":1: no words, only a header");
	expect_error("\n", ":1: blank line");
	expect_error("a 1\n\nb 2\n", ":2: blank line");
	expect_error("a 1\n \t\r\n", ":2: blank line");
	expect_error("a 1\r\n\r\n", ":2: blank line");
	/* truncated: cut mid-line, or where a line ends with fewer lines than the header says */
	expect_error("a 1 2\nb 1 2.", ":2: the last line has no line end (a file cut short?)");
	expect_error("a 1 2\nb 1", ":2: the last line has no line end (a file cut short?)");
	expect_error("3 2\na 1 2\nb 1 2\n", ":3: the file ends after 2 words where the header says 3 "
	                                    "(a file cut short?)");
	/* a header that lies the other way */
	expect_error("1 2\na 1 2\nb 1 2\n", ":3: more words than the header's 1");
	/* a 10 MB line is refused once the limit is buffered */
	size_t len = 10u << 20;
	char *f = malloc(len);
	ck_assert_ptr_nonnull(f);
	memset(f, '1', len);
	f[0] = 'a';
	f[1] = ' ';
	f[len - 1] = '\n';
	expect_error_len(f, len, ":1: line longer than 1048576 bytes");
	/* binary junk: word2vec's binary format (a text header, then raw floats) */
	static const float raw[3] = { 0.25f, -1.0f, 3.0e-5f };
	memcpy(f, "1 3\nthe ", 8);
	memcpy(f + 8, raw, sizeof raw);
	f[8 + sizeof raw] = '\n';
	expect_error_len(f, 9 + sizeof raw, ":2: NUL byte in value 1 (a binary file?)");
	free(f);
}
END_TEST

START_TEST(test_open_failures)
{
	char err[TG_ERR_MAX];
	tg_vectors v;
	ck_assert_int_eq(tg_vectors_read("/nonexistent/v.vec", NULL, NULL, &v, err, sizeof err), -1);
	ck_assert_str_eq(err, "/nonexistent/v.vec: cannot open: No such file or directory");
	assert_empty(&v);
	ck_assert_int_eq(tg_vectors_read("/tmp", NULL, NULL, &v, err, sizeof err), -1);
	ck_assert_str_eq(err, "/tmp: read error: Is a directory");
	/* err may be NULL */
	ck_assert_int_eq(tg_vectors_read("/nonexistent/v.vec", NULL, NULL, &v, NULL, 0), -1);
}
END_TEST

static Suite *vectors_suite(void)
{
	Suite *s = suite_create("vectors");
	TCase *tc = tcase_create("read");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fasttext_vec);
	tcase_add_test(tc, test_glove_and_word2vec);
	tcase_add_test(tc, test_whitespace_crlf_bom);
	tcase_add_test(tc, test_keep_callback);
	tcase_add_test(tc, test_number_forms);
	tcase_add_test(tc, test_random_decimals);
	tcase_add_test(tc, test_lines_across_chunks);
	tcase_add_test(tc, test_longest_line);
	tcase_add_test(tc, test_bad_dimensions);
	tcase_add_test(tc, test_bad_numbers);
	tcase_add_test(tc, test_bad_words);
	tcase_add_test(tc, test_bad_structure);
	tcase_add_test(tc, test_open_failures);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(vectors_suite());
}
