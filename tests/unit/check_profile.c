/* The data profile on small in-memory datasets with known lengths, genres and languages. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "profile.h"
#include "check_run.h"

static char *words(size_t k)
{
	char *s = malloc(5 * k + 1);
	ck_assert_ptr_nonnull(s);
	char *p = s;
	for (size_t i = 0; i < k; i++) {
		memcpy(p, i ? " word" : "word", i ? 5 : 4);
		p += i ? 5 : 4;
	}
	*p = '\0';
	return s;
}

/* Adds a film; overview NULL means k words ("word word ..."), 5k-1 characters, k tokens. */
static void film(tg_dataset *d, int64_t id, const char *overview, size_t k, const char *lang,
                 const char *genres)
{
	tg_movie m = { 0 };
	m.line = (long)d->n + 2;
	m.id = id;
	m.title = strdup("t");
	m.overview = overview ? strdup(overview) : words(k);
	m.overview_len = strlen(m.overview);
	m.release_date = strdup("");
	m.original_language = strdup(lang);
	/* genres: '|' separated names */
	if (*genres) {
		m.n_genres = 1;
		for (const char *p = genres; *p; p++)
			m.n_genres += *p == '|';
		m.genres = calloc(m.n_genres, sizeof *m.genres);
		const char *p = genres;
		for (size_t g = 0; g < m.n_genres; g++) {
			const char *e = strchr(p, '|');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			m.genres[g] = strndup(p, len);
			p += len + 1;
		}
	}
	ck_assert_int_eq(tg_dataset_push(d, &m), 0);
}

/*
** 15 films (A..O); measured (not blank) = 13:
**   tokens  1,2,2,3,3,4,5,6,7,8,9,10,20        chars 4,9,9,14,18,19,24,29,34,39,44,49,99
*/
static void build(tg_dataset *d)
{
	memset(d, 0, sizeof *d);
	film(d, 1, NULL, 1, "en", "Drama");                                   /* A */
	film(d, 2, NULL, 2, "en", "Drama|Comedy");                            /* B */
	film(d, 3, NULL, 3, "fr", "Comedy|Drama|Comedy");                     /* C: Comedy once */
	film(d, 4, NULL, 4, "en", "");                                        /* D */
	film(d, 5, NULL, 5, "", "Action|Drama|Comedy|Horror|Crime");          /* E */
	film(d, 6, NULL, 6, "de", "Horror");                                  /* F */
	film(d, 7, NULL, 7, "en", "Drama|Horror|Action");                     /* G */
	film(d, 8, "caf\xC3\xA9 word word word word word word word", 0, "fr",  /* H: 39 chars, 40 bytes, 8 tokens */
	     "Drama|Crime|Action|War");
	film(d, 9, NULL, 9, "en", "Drama");                                   /* I */
	film(d, 10, NULL, 10, "en", "Comedy");                                /* J */
	film(d, 11, "  \t ", 0, "en", "Drama");                               /* K: blank */
	film(d, 12, "No overview found.", 0, "en", "Drama");                  /* L: placeholder, 18 chars, 3 tokens */
	film(d, 2, NULL, 2, "en", "Drama");                                   /* M: duplicate id 2 */
	film(d, 3, "", 0, "xx", "");                                          /* N: duplicate id 3, empty */
	film(d, 13, NULL, 20, "ja", "Animation");                             /* O */
}

START_TEST(test_counts)
{
	tg_dataset d;
	build(&d);
	for (long i = 0; i < 25; i++)
		ck_assert_int_eq(tg_dataset_push_malformed(&d, 100 + i, "shifted columns"), 0);
	tg_profile p;
	ck_assert_int_eq(tg_profile_compute(&d, &p), 0);
	ck_assert_uint_eq(p.films, 15);
	ck_assert_uint_eq(p.malformed, 25);
	ck_assert_uint_eq(p.rows, 40);
	ck_assert_int_eq(p.malformed_lines[0], 100);
	ck_assert_int_eq(p.malformed_lines[TG_PROFILE_MAX_LINES - 1], 119);
	ck_assert_uint_eq(p.duplicate_ids, 2);
	ck_assert_int_eq(p.dup_ids[0], 2);
	ck_assert_int_eq(p.dup_ids[1], 3);
	ck_assert_uint_eq(p.empty_overviews, 2);
	ck_assert_uint_eq(p.placeholder_overviews, 1);
	ck_assert_uint_eq(p.non_ascii_overviews, 1);
	ck_assert_uint_eq(p.non_ascii_bytes, 2);
	ck_assert_uint_eq(p.overview_bytes, 391 + 1 + 4);

	/* languages: en 9, fr 2, then the ones by name: "" de ja xx */
	ck_assert_uint_eq(p.n_languages, 6);
	const char *lang[] = { "en", "fr", "", "de", "ja", "xx" };
	size_t lc[] = { 9, 2, 1, 1, 1, 1 };
	for (size_t i = 0; i < 6; i++) {
		ck_assert_str_eq(p.languages[i].name, lang[i]);
		ck_assert_uint_eq(p.languages[i].count, lc[i]);
	}
	/* genres, once per film */
	ck_assert_uint_eq(p.n_genres, 7);
	const char *gn[] = { "Drama", "Comedy", "Action", "Horror", "Crime", "Animation", "War" };
	size_t gc[] = { 10, 4, 3, 3, 2, 1, 1 };
	for (size_t i = 0; i < 7; i++) {
		ck_assert_str_eq(p.genres[i].name, gn[i]);
		ck_assert_uint_eq(p.genres[i].count, gc[i]);
	}
	size_t gpf[] = { 2, 8, 2, 1, 1, 1 };
	for (int k = 0; k <= TG_PROFILE_MAX_GPF; k++)
		ck_assert_uint_eq(p.genres_per_film[k], gpf[k]);
	tg_profile_free(&p);
	tg_profile_free(&p);   /* twice is fine */
	tg_dataset_free(&d);
}
END_TEST

START_TEST(test_lengths)
{
	tg_dataset d;
	build(&d);
	tg_profile p;
	ck_assert_int_eq(tg_profile_compute(&d, &p), 0);

	size_t tok[TG_P_COUNT] = { 1, 2, 3, 5, 8, 10, 20, 20 };
	size_t chr[TG_P_COUNT] = { 4, 9, 14, 24, 39, 49, 99, 99 };
	ck_assert_uint_eq(p.tokens.n, 13);
	ck_assert_uint_eq(p.chars.n, 13);
	ck_assert_uint_eq(p.chars.total, 391);
	for (int k = 0; k < TG_P_COUNT; k++) {
		ck_assert_msg(p.tokens.pct[k] == tok[k], "tokens %s: %zu", tg_profile_pct_name(k), p.tokens.pct[k]);
		ck_assert_msg(p.chars.pct[k] == chr[k], "chars %s: %zu", tg_profile_pct_name(k), p.chars.pct[k]);
	}
	/* tokens: max 20 -> width 2, the last bin open (20 >= 10 * 2) */
	ck_assert_uint_eq(p.tokens.bin_width, 2);
	size_t tb[TG_PROFILE_BINS] = { 1, 4, 2, 2, 2, 1, 0, 0, 0, 1 };
	for (int b = 0; b < TG_PROFILE_BINS; b++)
		ck_assert_uint_eq(p.tokens.bins[b], tb[b]);
	ck_assert(tg_profile_bin_open(&p.tokens, TG_PROFILE_BINS - 1));
	ck_assert(!tg_profile_bin_open(&p.tokens, 0));
	/* characters: max 99 -> width 10, every bin closed */
	ck_assert_uint_eq(p.chars.bin_width, 10);
	size_t cb[TG_PROFILE_BINS] = { 3, 3, 2, 2, 2, 0, 0, 0, 0, 1 };
	for (int b = 0; b < TG_PROFILE_BINS; b++)
		ck_assert_uint_eq(p.chars.bins[b], cb[b]);
	ck_assert(!tg_profile_bin_open(&p.chars, TG_PROFILE_BINS - 1));
	tg_profile_free(&p);
	tg_dataset_free(&d);
}
END_TEST

START_TEST(test_long_tail)
{
	/* 1..100 tokens and one film of 10000: the bins follow p99 (100), not the max */
	tg_dataset d = { 0 };
	for (int k = 1; k <= 100; k++)
		film(&d, k, NULL, (size_t)k, "en", "Drama");
	film(&d, 1000, NULL, 10000, "en", "Drama");
	tg_profile p;
	ck_assert_int_eq(tg_profile_compute(&d, &p), 0);
	ck_assert_uint_eq(p.tokens.n, 101);
	ck_assert_uint_eq(p.tokens.pct[TG_P_99], 100);
	ck_assert_uint_eq(p.tokens.pct[TG_P_MAX], 10000);
	ck_assert_uint_eq(p.tokens.pct[TG_P_50], 51);
	ck_assert_uint_eq(p.tokens.bin_width, 12);   /* 9 bins of 12 reach 107 > p99 */
	ck_assert_uint_eq(p.tokens.bins[0], 11);      /* 1..11 */
	ck_assert_uint_eq(p.tokens.bins[7], 12);      /* 84..95 */
	ck_assert_uint_eq(p.tokens.bins[8], 5);       /* 96..107: 96..100 */
	ck_assert_uint_eq(p.tokens.bins[TG_PROFILE_BINS - 1], 1);
	ck_assert(tg_profile_bin_open(&p.tokens, TG_PROFILE_BINS - 1));
	tg_profile_free(&p);
	tg_dataset_free(&d);
}
END_TEST

static char *print_to_string(const tg_profile *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	tg_profile_print(p, f);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

START_TEST(test_print)
{
	tg_dataset d;
	build(&d);
	for (long i = 0; i < 25; i++)
		ck_assert_int_eq(tg_dataset_push_malformed(&d, 100 + i, "shifted columns"), 0);
	film(&d, 77, "a hostile one", 0, "e\x1b[31mn", "Dra\x1b]0;x\x07ma");
	tg_profile p;
	ck_assert_int_eq(tg_profile_compute(&d, &p), 0);
	char *a = print_to_string(&p), *b = print_to_string(&p);
	ck_assert_str_eq(a, b);                                    /* deterministic */
	ck_assert_ptr_nonnull(strstr(a, "\xE2\x80\xA6" "and 5 more"));
	ck_assert_ptr_nonnull(strstr(a, "100, 101"));
	ck_assert_ptr_nonnull(strstr(a, "118, 119 "));
	ck_assert_ptr_null(strstr(a, ", 120"));                    /* only the first 20 lines */
	ck_assert_ptr_nonnull(strstr(a, "first: 2, 3"));
	ck_assert_ptr_nonnull(strstr(a, "(none)"));                /* the empty language code */
	ck_assert_ptr_nonnull(strstr(a, "Dra?]0;x?ma"));           /* control bytes neutralised */
	ck_assert_ptr_null(strchr(a, '\x1b'));
	ck_assert_ptr_null(strchr(a, '\x07'));
	size_t lines = 0;
	for (const char *s = a; *s; s++)
		lines += *s == '\n';
	ck_assert_msg(lines >= 25 && lines <= 55, "%zu lines", lines);
	free(a);
	free(b);
	tg_profile_free(&p);
	tg_dataset_free(&d);
}
END_TEST

START_TEST(test_empty_dataset)
{
	tg_dataset d = { 0 };
	tg_profile p;
	ck_assert_int_eq(tg_profile_compute(&d, &p), 0);
	ck_assert_uint_eq(p.films, 0);
	ck_assert_uint_eq(p.tokens.n, 0);
	ck_assert_uint_eq(p.n_genres, 0);
	ck_assert_uint_eq(p.n_languages, 0);
	char *s = print_to_string(&p);
	ck_assert_ptr_nonnull(strstr(s, "rows read"));
	free(s);
	tg_profile_free(&p);
}
END_TEST

static Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("profile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_lengths);
	tcase_add_test(tc, test_long_tail);
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_empty_dataset);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(profile_suite());
}
