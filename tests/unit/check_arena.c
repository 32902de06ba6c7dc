/* The dataset's string arena, and tg_dataset_push copying a film's strings into it. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dataset.h"
#include "check_run.h"

START_TEST(test_strings_survive_new_blocks)
{
	tg_arena a = { 0 };
	enum { N = 100000 };   /* 100,000 strings of 13 to 22 bytes: several 1 MiB blocks */
	static char *s[N];
	char want[32];
	int ok = 1;
	for (int i = 0; i < N; i++) {
		int len = snprintf(want, sizeof want, "film %d text", i);
		s[i] = tg_arena_strdup(&a, want, (size_t)len, &ok);
		ck_assert_ptr_nonnull(s[i]);
		ck_assert_uint_eq((uintptr_t)s[i] % sizeof(void *), 0);
	}
	ck_assert_int_eq(ok, 1);
	for (int i = 0; i < N; i++) {
		snprintf(want, sizeof want, "film %d text", i);
		ck_assert_str_eq(s[i], want);
	}
	tg_arena_free(&a);
	tg_arena_free(&a);   /* twice is fine */
}
END_TEST

START_TEST(test_larger_than_a_block)
{
	tg_arena a = { 0 };
	int ok = 1;
	size_t big = (3u << 20) + 5;
	char *text = malloc(big);
	ck_assert_ptr_nonnull(text);
	memset(text, 'x', big);
	char *before = tg_arena_strdup(&a, "before", 6, &ok);
	char *copy = tg_arena_strdup(&a, text, big, &ok);
	char *after = tg_arena_strdup(&a, "after", 5, &ok);
	ck_assert_int_eq(ok, 1);
	ck_assert_ptr_nonnull(copy);
	ck_assert_int_eq(memcmp(copy, text, big), 0);
	ck_assert_int_eq(copy[big], '\0');
	ck_assert_str_eq(before, "before");
	ck_assert_str_eq(after, "after");
	ck_assert_ptr_null(tg_arena_strdup(&a, NULL, 0, &ok));
	ck_assert_int_eq(ok, 1);
	ck_assert_ptr_nonnull(tg_arena_alloc(&a, 0));
	free(text);
	tg_arena_free(&a);
}
END_TEST

START_TEST(test_push_copies_and_clears)
{
	static const char ov[] = "An overview, with\0 a NUL inside";   /* overview_len, not strlen, counts */
	tg_dataset d = { 0 };
	for (int i = 0; i < 3; i++) {
		tg_movie m = { 0 };
		m.id = 10 + i;
		m.title = strdup("A title");
		m.overview = malloc(sizeof ov);
		memcpy(m.overview, ov, sizeof ov);
		m.overview_len = sizeof ov - 1;
		m.release_date = strdup("1999-01-01");
		m.original_language = i == 1 ? NULL : strdup("en");
		m.n_genres = 2;
		m.genres = malloc(2 * sizeof *m.genres);
		m.genres[0] = strdup("Drama");
		m.genres[1] = strdup("War");
		ck_assert_int_eq(tg_dataset_push(&d, &m), 0);
		ck_assert_ptr_null(m.title);
		ck_assert_ptr_null(m.genres);
	}
	ck_assert_uint_eq(d.n, 3);
	for (int i = 0; i < 3; i++) {
		const tg_movie *m = &d.movies[i];
		ck_assert_int_eq(m->id, 10 + i);
		ck_assert_str_eq(m->title, "A title");
		ck_assert_uint_eq(m->overview_len, sizeof ov - 1);
		ck_assert_int_eq(memcmp(m->overview, ov, sizeof ov), 0);
		ck_assert_str_eq(m->release_date, "1999-01-01");
		if (i == 1)
			ck_assert_ptr_null(m->original_language);
		else
			ck_assert_str_eq(m->original_language, "en");
		ck_assert_uint_eq(m->n_genres, 2);
		ck_assert_str_eq(m->genres[0], "Drama");
		ck_assert_str_eq(m->genres[1], "War");
	}
	tg_dataset_free(&d);
	ck_assert_uint_eq(d.n, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_strings_survive_new_blocks);
	tcase_add_test(tc, test_larger_than_a_block);
	tcase_add_test(tc, test_push_copies_and_clears);
	suite_add_tcase(s, tc);
	return tg_run_suite(s);
}
