/* Unit tests for trainer/read/genre_list.c. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "genre_list.h"
#include "check_random.h"
#include "check_run.h"

/* Result of one parse: status, names joined with ';', reason. */
typedef struct {
	int rc;
	size_t n;
	char joined[4096];
	char why[256];
} parsed;

/* Parses s[0..len) from an exact-size heap copy, so over-reads are caught by valgrind. */
static parsed parse_n(const char *s, size_t len)
{
	parsed p;
	memset(&p, 0, sizeof p);
	char *copy = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(copy);
	if (len)
		memcpy(copy, s, len);
	char **names = (char **)(uintptr_t)1; /* must be overwritten */
	size_t n = 99;
	p.rc = tg_genre_list_parse(copy, len, &names, &n, p.why, sizeof p.why);
	free(copy);
	p.n = n;
	if (p.rc == TG_GENRES_OK) {
		if (n == 0)
			ck_assert_ptr_null(names);
		for (size_t i = 0; i < n; i++) {
			size_t used = strlen(p.joined);
			snprintf(p.joined + used, sizeof p.joined - used, "%s%s", i ? ";" : "",
			         names[i]);
		}
		ck_assert_str_eq(p.why, "");
	} else {
		ck_assert_ptr_null(names);
		ck_assert_uint_eq(n, 0);
	}
	tg_genre_list_free(names, n);
	return p;
}

static parsed parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static void expect_ok(const char *in, size_t n, const char *joined)
{
	parsed p = parse(in);
	ck_assert_msg(p.rc == TG_GENRES_OK, "input %s: rc %d (%s)", in, p.rc, p.why);
	ck_assert_uint_eq(p.n, n);
	ck_assert_str_eq(p.joined, joined);
}

static void expect_invalid(const char *in, const char *why)
{
	parsed p = parse(in);
	ck_assert_msg(p.rc == TG_GENRES_INVALID, "input %s: rc %d, names %s", in, p.rc,
	              p.joined);
	ck_assert_str_eq(p.why, why);
}

START_TEST(test_kaggle_python_literal)
{
	expect_ok("[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, "
	          "{'id': 10751, 'name': 'Family'}]",
	          3, "Animation;Comedy;Family");
	expect_ok("[]", 0, "");
	expect_ok("  [ \n ]  ", 0, "");
	expect_ok("[{'name': 'Drama', 'id': 18}]", 1, "Drama");                /* key order */
	expect_ok("[{'id': 878, 'name': 'Science Fiction'}]", 1, "Science Fiction");
	expect_ok("[\n  {'id': 18,\n   'name': 'Drama'},\n]", 1, "Drama");   /* trailing comma */
	expect_ok("[{u'id': 18, u'name': u'Drama'}]", 1, "Drama");            /* Python 2 repr */
	expect_ok("[{'name': 'Drama', 'x': None, 'y': True, 'z': False, 'w': -1.5e-3}]", 1,
	          "Drama");
	expect_ok("[{'id': 1, 'extra': {'a': [1, 2, {'b': None}], 'c': []}, 'name': 'X'}]", 1,
	          "X");
}
END_TEST

START_TEST(test_json)
{
	expect_ok("[\"Drama\",\"Comedy\"]", 2, "Drama;Comedy");
	expect_ok("[{\"id\": 18, \"name\": \"Drama\"}, {\"name\": \"War\", \"id\": 10752}]", 2,
	          "Drama;War");
	expect_ok("[{\"name\": \"X\", \"meta\": {\"tags\": [\"a\", null, true, false, 3]}}]", 1,
	          "X");
	expect_ok("[\"Sci\\/Fi\"]", 1, "Sci/Fi");
}
END_TEST

START_TEST(test_escapes)
{
	expect_ok("['Children\\'s']", 1, "Children's");
	expect_ok("[\"Say \\\"Hi\\\"\"]", 1, "Say \"Hi\"");
	expect_ok("['A\\\\B']", 1, "A\\B");
	expect_ok("['Caf\\xe9']", 1, "Caf\xc3\xa9");
	expect_ok("['\\u00e9t\\u00e9']", 1, "\xc3\xa9t\xc3\xa9");
	expect_ok("['\\U0001F3AC']", 1, "\xf0\x9f\x8e\xac");
	expect_ok("[\"\\ud83c\\udfac\"]", 1, "\xf0\x9f\x8e\xac");
	expect_ok("['\\101\\102']", 1, "AB");
	expect_ok("['Science\\nFiction', 'TV\\tMovie']", 2, "Science Fiction;TV Movie");
	expect_ok("['Film\\\n Noir']", 1, "Film Noir");              /* line continuation */
	expect_ok("['  Drama ', 'Drama']", 1, "Drama");              /* trimmed, deduplicated */
	expect_ok("['\xe5\x8a\xa8\xe7\x94\xbb']", 1, "\xe5\x8a\xa8\xe7\x94\xbb"); /* raw UTF-8 */
}
END_TEST

START_TEST(test_plain)
{
	expect_ok("Drama|Comedy", 2, "Drama;Comedy");
	expect_ok("Drama, Comedy", 2, "Drama;Comedy");
	expect_ok("  Drama  ", 1, "Drama");
	expect_ok("Science Fiction,TV Movie", 2, "Science Fiction;TV Movie");
	expect_ok("|Drama||Comedy|", 2, "Drama;Comedy");
	expect_ok("Action|Adventure, Comedy", 2, "Action;Adventure, Comedy");
	expect_ok("Drama|drama|Drama", 2, "Drama;drama");
	expect_ok("", 0, "");
	expect_ok(" \t ", 0, "");
	expect_ok(" ,  , ", 0, "");
	expect_ok(" | \t| ", 0, "");
}
END_TEST

START_TEST(test_reject_structure)
{
	expect_invalid("[{'id': 18, 'name': 'Drama'}", "unbalanced brackets: missing ']'");
	expect_invalid("[{'id': 18, 'name': 'Drama'", "unbalanced brackets: missing '}'");
	expect_invalid("[{'id': 18, 'name': 'Drama'}]]",
	               "trailing garbage after the list: ']' at byte 29");
	expect_invalid("[] x", "trailing garbage after the list: 'x' at byte 3");
	expect_invalid("['Drama'] ['Comedy']", "trailing garbage after the list: '[' at byte 10");
	expect_invalid("[{'id': 18}]", "dict at byte 1 has no 'name' key");
	expect_invalid("[{}]", "dict at byte 1 has no 'name' key");
	expect_invalid("[{'name': 18}]", "'name' at byte 10 is not a string");
	expect_invalid("[{'name': 'A', 'name': 'B'}]", "dict at byte 1 has two 'name' keys");
	expect_invalid("[{'id': 1 'name': 'X'}]", "expected ',' or '}', found ''' at byte 10");
	expect_invalid("['A' 'B']", "expected ',' or ']', found ''' at byte 5");
	expect_invalid("[{'name' 'X'}]", "expected ':', found ''' at byte 9");
	expect_invalid("[{'name': 'X', 'id': nope}]", "expected a value, found 'n' at byte 21");
	expect_invalid("[1]", "expected a genre name or a dict, found '1' at byte 1");
	expect_invalid("[,]", "expected a genre name or a dict, found ',' at byte 1");
	expect_invalid("[['Drama']]", "a list inside the genre list at byte 1");
	expect_invalid("[{'name': 'X', 'a': ]}]", "unbalanced brackets: unexpected ']' at byte 20");
	expect_invalid("{'name': 'Drama'}", "expected a list '[...]', found a dict");
	expect_invalid("Drama]", "unexpected ']' at byte 5 in a plain genre list");
	expect_invalid("[", "unbalanced brackets: missing ']'");
}
END_TEST

START_TEST(test_reject_strings)
{
	expect_invalid("['Drama", "unterminated string starting at byte 1");
	expect_invalid("['Drama\\", "unterminated string starting at byte 1");
	expect_invalid("['Dra\nma']", "unterminated string starting at byte 1 (line break inside)");
	expect_invalid("['\\q']", "unknown escape at byte 2");
	expect_invalid("['\\x4']", "expected a hex digit in escape, found ''' at byte 5");
	expect_invalid("[\"\\ud800\"]", "lone surrogate escape at byte 2");
	expect_invalid("[\"\\ud800\\u0041\"]", "lone surrogate escape at byte 2");
	expect_invalid("[\"\\udc00\"]", "lone surrogate escape at byte 2");
	expect_invalid("['\\U00110000']", "invalid code point escape at byte 2");
	expect_invalid("['\\x00']", "NUL character in genre name");
	expect_invalid("['\\x01']", "control character 0x01 in genre name");
	expect_invalid("['']", "empty genre name");
	expect_invalid("['   ']", "empty genre name");
	expect_invalid("['\xff']", "invalid UTF-8 in genre name");
	expect_invalid("['\xc0\xaf']", "invalid UTF-8 in genre name");  /* overlong '/' */
	expect_invalid("['\xed\xa0\x80']", "invalid UTF-8 in genre name"); /* surrogate */
	expect_invalid("Dr\x01ma", "control character 0x01 in genre name");
	expect_invalid("Dr\xffma", "invalid UTF-8 in genre name");
}
END_TEST

static char *repeat(char c, size_t n, const char *prefix, const char *suffix)
{
	size_t a = strlen(prefix), b = strlen(suffix);
	char *s = malloc(a + n + b + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, prefix, a);
	memset(s + a, c, n);
	memcpy(s + a + n, suffix, b + 1);
	return s;
}

START_TEST(test_limits)
{
	char *s = repeat('x', TG_GENRE_MAX_NAME, "['", "']");
	parsed p = parse(s);
	ck_assert_int_eq(p.rc, TG_GENRES_OK);
	ck_assert_uint_eq(strlen(p.joined), TG_GENRE_MAX_NAME);
	free(s);
	s = repeat('x', TG_GENRE_MAX_NAME + 1, "['", "']");
	expect_invalid(s, "genre name longer than 256 bytes");
	free(s);
	s = repeat('x', 100000, "['", "']");
	expect_invalid(s, "genre name longer than 256 bytes");
	free(s);
	s = repeat('x', TG_GENRE_MAX_NAME + 1, "", "|Drama");
	expect_invalid(s, "genre name longer than 256 bytes");
	free(s);

	/* TG_GENRE_MAX_NAMES distinct names pass, one more fails */
	char *big = malloc(16 * (TG_GENRE_MAX_NAMES + 2));
	ck_assert_ptr_nonnull(big);
	for (int extra = 0; extra <= 1; extra++) {
		size_t used = 0;
		big[used++] = '[';
		for (int i = 0; i < TG_GENRE_MAX_NAMES + extra; i++)
			used += (size_t)sprintf(big + used, "%s'g%d'", i ? "," : "", i);
		big[used++] = ']';
		big[used] = '\0';
		p = parse(big);
		if (!extra) {
			ck_assert_int_eq(p.rc, TG_GENRES_OK);
			ck_assert_uint_eq(p.n, TG_GENRE_MAX_NAMES);
		} else {
			ck_assert_int_eq(p.rc, TG_GENRES_INVALID);
			ck_assert_str_eq(p.why, "more than 256 genres");
		}
	}
	free(big);

	/* many duplicates are not "too many" */
	s = malloc(8 * 1000 + 3);
	ck_assert_ptr_nonnull(s);
	strcpy(s, "[");
	for (int i = 0; i < 1000; i++)
		strcat(s, i ? ",'Drama'" : "'Drama'");
	strcat(s, "]");
	expect_ok(s, 1, "Drama");
	free(s);

	s = repeat(' ', TG_GENRE_MAX_INPUT + 1 - 2, "[", "]");
	ck_assert_uint_eq(strlen(s), TG_GENRE_MAX_INPUT + 1);
	expect_invalid(s, "genre list longer than 1048576 bytes");
	s[strlen(s) - 2] = ']';
	s[strlen(s) - 1] = '\0';
	expect_ok(s, 0, "");
	free(s);
}
END_TEST

START_TEST(test_depth)
{
	/* the list is level 1, the dict level 2: six more brackets make 8 */
	expect_ok("[{'a': [[[[[[1]]]]]], 'name': 'Deep'}]", 1, "Deep");
	expect_invalid("[{'a': [[[[[[[1]]]]]]], 'name': 'Deep'}]", "nesting deeper than 8 levels");
	/* k nested dicts as a value: 2 + k levels */
	char nest[512];
	for (int k = 5; k <= 7; k++) {
		strcpy(nest, "[{'a': ");
		for (int i = 0; i < k; i++)
			strcat(nest, "{'b': ");
		strcat(nest, "1");
		for (int i = 0; i < k; i++)
			strcat(nest, "}");
		strcat(nest, ", 'name': 'X'}]");
		if (k <= 6)
			expect_ok(nest, 1, "X");
		else
			expect_invalid(nest, "nesting deeper than 8 levels");
	}
	/* far deeper than any stack could take if the parser recursed without a bound */
	char *s = repeat('[', 500000, "[{'a': ", "");
	expect_invalid(s, "nesting deeper than 8 levels");
	free(s);
}
END_TEST

START_TEST(test_length_not_terminator)
{
	const char buf[] = "['Drama']XYZ";
	parsed p = parse_n(buf, 9);
	ck_assert_int_eq(p.rc, TG_GENRES_OK);
	ck_assert_str_eq(p.joined, "Drama");
	p = parse_n(buf, 7); /* "['Drama" : the closing quote is past len */
	ck_assert_int_eq(p.rc, TG_GENRES_INVALID);
	ck_assert_str_eq(p.why, "unterminated string starting at byte 1");
	p = parse_n("Drama|Comedy", 5);
	ck_assert_int_eq(p.rc, TG_GENRES_OK);
	ck_assert_str_eq(p.joined, "Drama");
	p = parse_n("['A\0B']", 7);
	ck_assert_int_eq(p.rc, TG_GENRES_INVALID);
	ck_assert_str_eq(p.why, "NUL character in genre name");
	p = parse_n("Dr\0ma", 5);
	ck_assert_int_eq(p.rc, TG_GENRES_INVALID);
	ck_assert_str_eq(p.why, "NUL character in genre name");

	char **names = NULL;
	size_t n = 7;
	ck_assert_int_eq(tg_genre_list_parse(NULL, 0, &names, &n, NULL, 0), TG_GENRES_OK);
	ck_assert_ptr_null(names);
	ck_assert_uint_eq(n, 0);
	/* a NULL why is fine on failure too */
	ck_assert_int_eq(tg_genre_list_parse("[", 1, &names, &n, NULL, 0), TG_GENRES_INVALID);
	char tiny[4];
	ck_assert_int_eq(tg_genre_list_parse("[", 1, &names, &n, tiny, sizeof tiny),
	                 TG_GENRES_INVALID);
	ck_assert_str_eq(tiny, "unb");
}
END_TEST

START_TEST(test_out_of_memory)
{
	const char *in = "[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, "
	                 "{'id': 10751, 'name': 'Family'}, 'Drama', 'War', 'Horror']";
	int failures = 0;
	long k;
	for (k = 0; k < 100; k++) {
		char **names = NULL;
		size_t n = 0;
		char why[64];
		tg_ingest_fail_allocs_after(k);
		int rc = tg_genre_list_parse(in, strlen(in), &names, &n, why, sizeof why);
		tg_ingest_fail_allocs_after(-1);
		if (rc == TG_GENRES_OK) {
			ck_assert_uint_eq(n, 6);
			ck_assert_str_eq(names[5], "Horror");
			tg_genre_list_free(names, n);
			break;
		}
		ck_assert_int_eq(rc, TG_GENRES_NOMEM);
		ck_assert_str_eq(why, "out of memory");
		ck_assert_ptr_null(names);
		failures++;
	}
	/* 6 name copies + array growth 4 -> 8 */
	ck_assert_int_eq(failures, 8);
}
END_TEST

/* Deterministic xorshift, so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t rnd(void)
{
	return tg_test_random(&rng_state);
}

static void check_any(const unsigned char *s, size_t len)
{
	char **names = NULL;
	size_t n = 0;
	char why[128];
	char *copy = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, s, len);
	int rc = tg_genre_list_parse(copy, len, &names, &n, why, sizeof why);
	free(copy);
	if (rc == TG_GENRES_OK) {
		ck_assert_uint_le(n, TG_GENRE_MAX_NAMES);
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(names[i]);
			ck_assert_uint_gt(l, 0);
			ck_assert_uint_le(l, TG_GENRE_MAX_NAME);
			ck_assert(tg_utf8_valid(names[i], l));
		}
		tg_genre_list_free(names, n);
	} else {
		ck_assert_int_eq(rc, TG_GENRES_INVALID);
		ck_assert_uint_gt(strlen(why), 0);
	}
}

START_TEST(test_random_bytes)
{
	static const char *const seeds[] = {
		"[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}]",
		"[{\"name\": \"Caf\\u00e9\", \"x\": [1, {\"y\": null}]}]",
		"['A\\'s', \"B\\\"\", u'\\U0001F3AC', '\\x41\\101']",
		"Drama|Comedy, War",
	};
	static const char alphabet[] = "[]{}'\",:\\ xuU0aNn\n";
	unsigned char buf[160];
	for (int iter = 0; iter < 30000; iter++) {
		size_t len;
		if (iter % 3 == 0) {
			len = rnd() % sizeof buf;
			for (size_t i = 0; i < len; i++)
				buf[i] = rnd() % 4 ? (unsigned char)alphabet[rnd() % (sizeof alphabet - 1)]
				                   : (unsigned char)rnd();
		} else {
			const char *seed = seeds[rnd() % 4];
			len = strlen(seed);
			memcpy(buf, seed, len);
			for (int m = 1 + (int)(rnd() % 4); m > 0; m--) {
				size_t at = rnd() % len;
				switch (rnd() % 3) {
				case 0:
					buf[at] = (unsigned char)alphabet[rnd() % (sizeof alphabet - 1)];
					break;
				case 1:
					buf[at] = (unsigned char)rnd();
					break;
				default:
					len = at + 1; /* truncate */
					break;
				}
			}
		}
		check_any(buf, len);
	}
}
END_TEST

START_TEST(test_utf8_valid)
{
	ck_assert(tg_utf8_valid("", 0));
	ck_assert(tg_utf8_valid("plain", 5));
	ck_assert(tg_utf8_valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x8e\xac", 9));
	ck_assert(tg_utf8_valid("\xf4\x8f\xbf\xbf", 4));     /* U+10FFFF */
	ck_assert(!tg_utf8_valid("\xf4\x90\x80\x80", 4));    /* U+110000 */
	ck_assert(!tg_utf8_valid("\xe0\x80\xaf", 3));        /* overlong */
	ck_assert(!tg_utf8_valid("\xc3", 1));                /* truncated */
	ck_assert(!tg_utf8_valid("\xc3\xa9", 1));            /* ... even if more follows */
	ck_assert(!tg_utf8_valid("a\xf0\x9f\x8e\xac", 4));
	ck_assert(!tg_utf8_valid("\xe2\x82", 2));
	ck_assert(!tg_utf8_valid("\x80", 1));
	ck_assert(!tg_utf8_valid("\xed\xbf\xbf", 3));        /* surrogate */
	ck_assert(!tg_utf8_valid("\xf8\x88\x80\x80\x80", 5));
}
END_TEST

static Suite *genre_suite(void)
{
	Suite *s = suite_create("genre_list");
	TCase *tc = tcase_create("parse");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_kaggle_python_literal);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_reject_structure);
	tcase_add_test(tc, test_reject_strings);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_length_not_terminator);
	tcase_add_test(tc, test_out_of_memory);
	tcase_add_test(tc, test_random_bytes);
	tcase_add_test(tc, test_utf8_valid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(genre_suite());
}
