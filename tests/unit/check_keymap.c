/*
** The feature-key hash map (trainer/common/keymap.c): indices handed out in order of
** first insertion, found again after collisions, wrap-around and growth, key 0 kept out
** of band, and the empty map finding nothing.
*/
#include <check.h>
#include <stdint.h>

#include "feature_keys.h"
#include "keymap.h"
#include "check_run.h"

START_TEST(test_empty)
{
	tg_keymap m;
	ck_assert_int_eq(tg_keymap_init(&m, 0), 0);
	ck_assert_uint_eq(m.count, 0);
	ck_assert_int_eq(tg_keymap_find(&m, 0), -1);
	ck_assert_int_eq(tg_keymap_find(&m, 1), -1);
	ck_assert_int_eq(tg_keymap_find(&m, UINT64_MAX), -1);
	tg_keymap_free(&m);
	ck_assert_ptr_null(m.keys);
	ck_assert_ptr_null(m.values);
	ck_assert_uint_eq(m.count, 0);
}
END_TEST

START_TEST(test_indices_in_insertion_order)
{
	tg_keymap m;
	ck_assert_int_eq(tg_keymap_init(&m, 4), 0);
	const uint64_t keys[] = { 42, 7, UINT64_MAX, 0x8000000000000000ULL, 3 };
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(tg_keymap_intern(&m, keys[i]), i);
	/* Interning again hands out nothing new. */
	for (int i = 4; i >= 0; i--)
		ck_assert_int_eq(tg_keymap_intern(&m, keys[i]), i);
	ck_assert_uint_eq(m.count, 5);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(tg_keymap_find(&m, keys[i]), i);
	ck_assert_int_eq(tg_keymap_find(&m, 43), -1);
	ck_assert_int_eq(tg_keymap_find(&m, 0), -1);
	tg_keymap_free(&m);
}
END_TEST

/* Key 0 marks an empty slot, so it lives beside the table, yet takes its turn. */
START_TEST(test_key_zero)
{
	tg_keymap m;
	ck_assert_int_eq(tg_keymap_init(&m, 0), 0);
	ck_assert_int_eq(tg_keymap_intern(&m, 9), 0);
	ck_assert_int_eq(tg_keymap_intern(&m, 0), 1);
	ck_assert_int_eq(tg_keymap_intern(&m, 10), 2);
	ck_assert_int_eq(tg_keymap_intern(&m, 0), 1);
	ck_assert_int_eq(tg_keymap_find(&m, 0), 1);
	ck_assert_int_eq(tg_keymap_find(&m, 9), 0);
	ck_assert_int_eq(tg_keymap_find(&m, 10), 2);
	ck_assert_uint_eq(m.count, 3);
	tg_keymap_free(&m);
}
END_TEST

/* Keys that differ only above bit 16 share their home slot in every table of up to
** 65536 slots: a chain of 300 of them, found through growth from 1024 slots. */
START_TEST(test_collisions_through_growth)
{
	tg_keymap m;
	ck_assert_int_eq(tg_keymap_init(&m, 0), 0);
	uint32_t slots0 = m.mask + 1;
	const uint32_t n = 600;   /* 300 colliding, 300 ordinary, interleaved */
	for (uint32_t i = 0; i < n; i++) {
		uint64_t key = i % 2 ? tg_mix64(i) : ((uint64_t)(i + 1) << 16) + 5;
		ck_assert_int_eq(tg_keymap_intern(&m, key), i);
	}
	ck_assert_uint_gt(m.mask + 1, slots0);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t key = i % 2 ? tg_mix64(i) : ((uint64_t)(i + 1) << 16) + 5;
		ck_assert_int_eq(tg_keymap_find(&m, key), i);
	}
	/* Absent keys of the same chain end at its first empty slot. */
	ck_assert_int_eq(tg_keymap_find(&m, ((uint64_t)(n + 2) << 16) + 5), -1);
	ck_assert_int_eq(tg_keymap_find(&m, ((uint64_t)1 << 40) + 5), -1);
	tg_keymap_free(&m);
}
END_TEST

/* A chain that starts at the last slot continues at slot 0. */
START_TEST(test_wraps_around)
{
	tg_keymap m;
	ck_assert_int_eq(tg_keymap_init(&m, 0), 0);
	const uint64_t last = m.mask;
	for (uint64_t i = 0; i < 5; i++)
		ck_assert_int_eq(tg_keymap_intern(&m, last + (i << 32)), (int64_t)i);
	ck_assert_uint_eq(m.keys[m.mask], last);
	ck_assert_uint_eq(m.keys[0], last + (1ULL << 32));
	for (uint64_t i = 0; i < 5; i++)
		ck_assert_int_eq(tg_keymap_find(&m, last + (i << 32)), (int64_t)i);
	ck_assert_int_eq(tg_keymap_find(&m, last + (9ULL << 32)), -1);
	tg_keymap_free(&m);
}
END_TEST

/* 100000 keys from the smallest table: every one keeps its index, and the table
** stays at most half full.  (One assertion per loop: Check's are slow by the 100000.) */
START_TEST(test_grows_without_losing_keys)
{
	tg_keymap m;
	ck_assert_int_eq(tg_keymap_init(&m, 0), 0);
	const uint32_t n = 100000;
	uint32_t bad = n, overfull = n;
	for (uint32_t i = 0; i < n; i++) {
		if (tg_keymap_intern(&m, tg_mix64(i + 1)) != i && bad == n)
			bad = i;
		if (2 * (uint64_t)m.count > (uint64_t)m.mask + 1 && overfull == n)
			overfull = i;
	}
	ck_assert_msg(bad == n, "intern gave key %u another index", bad);
	ck_assert_msg(overfull == n, "more than half full after key %u", overfull);
	ck_assert_uint_eq(m.count, n);
	uint32_t stored = 0;
	for (uint32_t s = 0; s <= m.mask; s++)
		stored += m.keys[s] != 0;
	ck_assert_uint_eq(stored, n);
	for (uint32_t i = 0; i < n && bad == n; i++)
		if (tg_keymap_find(&m, tg_mix64(i + 1)) != i)
			bad = i;
	ck_assert_msg(bad == n, "find lost key %u", bad);
	ck_assert_int_eq(tg_keymap_find(&m, tg_mix64(n + 1)), -1);
	tg_keymap_free(&m);
}
END_TEST

/* Sized for what is expected: no growth while filling it. */
START_TEST(test_init_sizes_for_expected)
{
	tg_keymap m;
	ck_assert_int_eq(tg_keymap_init(&m, 5000), 0);
	uint32_t slots = m.mask + 1;
	ck_assert_uint_ge(slots, 10000);
	ck_assert_uint_eq(slots & (slots - 1), 0);
	for (uint32_t i = 0; i < 5000; i++)
		ck_assert_int_eq(tg_keymap_intern(&m, tg_mix64(i + 1)), i);
	ck_assert_uint_eq(m.mask + 1, slots);
	tg_keymap_free(&m);
}
END_TEST

static Suite *keymap_suite(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("keymap");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_indices_in_insertion_order);
	tcase_add_test(tc, test_key_zero);
	tcase_add_test(tc, test_collisions_through_growth);
	tcase_add_test(tc, test_wraps_around);
	tcase_add_test(tc, test_grows_without_losing_keys);
	tcase_add_test(tc, test_init_sizes_for_expected);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(keymap_suite());
}
