/* The tokenizer and feature keys shared by training and prediction. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feature_keys.h"
#include "tokenize.h"
#include "check_run.h"

/* The tokens of text as "a|b|c", for exact comparisons. */
static char *tokens_of(const char *text, size_t len)
{
	static char out[4096];
	tg_tokenizer t;
	tg_token tok;
	size_t at = 0;
	out[0] = 0;
	tg_tokenizer_init(&t, text, len);
	while (tg_next_token(&t, &tok)) {
		ck_assert(tok.start >= (const unsigned char *)text);
		ck_assert(tok.start + tok.len <= (const unsigned char *)text + len);
		at += (size_t)snprintf(out + at, sizeof out - at, "%s%.*s", at ? "|" : "", (int)tok.len, tok.start);
	}
	return out;
}

static uint64_t hash_of(const char *word)
{
	tg_tokenizer t;
	tg_token tok;
	tg_tokenizer_init(&t, word, strlen(word));
	ck_assert(tg_next_token(&t, &tok));
	ck_assert_uint_eq(tok.len, strlen(word));
	return tok.hash;
}

START_TEST(test_splits_on_punctuation_and_space)
{
	const char *s = "Led by Woody, Andy's toys live happily -- until Buzz (a space ranger) arrives!";
	ck_assert_str_eq(tokens_of(s, strlen(s)),
	                 "Led|by|Woody|Andy|toys|live|happily|until|Buzz|space|ranger|arrives");
}
END_TEST

START_TEST(test_drops_one_byte_tokens_keeps_digits)
{
	const char *s = "a 1 I x 26 years 1950s";
	ck_assert_str_eq(tokens_of(s, strlen(s)), "26|years|1950s");
}
END_TEST

START_TEST(test_unicode_words_and_separators)
{
	/* é and ü stay inside words; a no-break space (C2 A0), curly quotes (E2 80 9C/9D),
	** an em dash (E2 80 94) and an ellipsis (E2 80 A6) separate them. */
	const char *s = "Caf\xc3\xa9\xc2\xa0\xe2\x80\x9c" "M\xc3\xbcnchen\xe2\x80\x9d\xe2\x80\x94" "d\xc3\xa9j\xc3\xa0\xe2\x80\xa6vu";
	ck_assert_str_eq(tokens_of(s, strlen(s)), "Caf\xc3\xa9|M\xc3\xbcnchen|d\xc3\xa9j\xc3\xa0|vu");
	/* Words of other scripts are words. */
	const char *r = "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xe6\x9d\xb1\xe4\xba\xac";
	ck_assert_str_eq(tokens_of(r, strlen(r)), "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0|\xe6\x9d\xb1\xe4\xba\xac");
}
END_TEST

START_TEST(test_case_folding_in_hash)
{
	ck_assert_uint_eq(hash_of("GHOST"), hash_of("ghost"));
	ck_assert_uint_eq(hash_of("Ghost"), hash_of("gHOST"));
	/* Latin-1 capitals fold too: É (C3 89) to é (C3 A9). */
	ck_assert_uint_eq(hash_of("\xc3\x89t\xc3\xa9"), hash_of("\xc3\xa9t\xc3\xa9"));
	ck_assert_uint_ne(hash_of("ghost"), hash_of("ghosts"));
	/* FNV-1a 64 of "ab", by hand: ((offset ^ 'a') * prime ^ 'b') * prime. */
	uint64_t h = ((TG_FNV_OFFSET ^ 'a') * TG_FNV_PRIME ^ 'b') * TG_FNV_PRIME;
	ck_assert_uint_eq(hash_of("AB"), h);
}
END_TEST

START_TEST(test_invalid_utf8_and_nul_bytes)
{
	/* Invalid bytes are word bytes; NUL separates; nothing reads past the length. */
	const char s[] = "bad\xff\xfe word\0hidden";
	ck_assert_str_eq(tokens_of(s, sizeof s - 1), "bad\xff\xfe|word|hidden");
	/* A truncated multi-byte separator at the very end is a word byte, not a read past it. */
	const char t[] = "end\xe2\x80";
	ck_assert_str_eq(tokens_of(t, sizeof t - 1), "end\xe2\x80");
	ck_assert_str_eq(tokens_of("", 0), "");
	ck_assert_str_eq(tokens_of("  ,,  ", 6), "");
}
END_TEST

START_TEST(test_feature_keys)
{
	const char *s = "dog bites man";
	tg_feature_iter it;
	tg_token tok;
	uint64_t keys[2], all[8];
	const unsigned char *prev;
	int n, total = 0;
	tg_features_init(&it, s, strlen(s), TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM);
	while ((n = tg_features_next(&it, &tok, keys, &prev)) >= 0)
		for (int i = 0; i < n; i++)
			all[total++] = keys[i];
	ck_assert_int_eq(total, 5); /* dog, bites, dog_bites, man, bites_man */
	ck_assert_uint_eq(all[0], tg_unigram_key(hash_of("dog")));
	ck_assert_uint_eq(all[2], tg_bigram_key(hash_of("dog"), hash_of("bites")));
	/* Word order matters for bigrams. */
	ck_assert_uint_ne(tg_bigram_key(hash_of("dog"), hash_of("bites")), tg_bigram_key(hash_of("bites"), hash_of("dog")));
	/* Unigrams only. */
	tg_features_init(&it, s, strlen(s), TG_FEAT_UNIGRAM);
	total = 0;
	while ((n = tg_features_next(&it, &tok, keys, &prev)) >= 0)
		total += n;
	ck_assert_int_eq(total, 3);
}
END_TEST

START_TEST(test_long_token_is_one_token)
{
	size_t n = 1 << 20;
	char *s = malloc(n);
	ck_assert_ptr_nonnull(s);
	memset(s, 'z', n);
	tg_tokenizer t;
	tg_token tok;
	tg_tokenizer_init(&t, s, n);
	ck_assert(tg_next_token(&t, &tok));
	ck_assert_uint_eq(tok.len, n);
	ck_assert(!tg_next_token(&t, &tok));
	free(s);
}
END_TEST

/* Texts the scan tests build: at most this long. */
#define SCAN_TEST_MAX (4 * TG_SCAN_WINDOW)

/* Hashes of the text by tg_next_token and by tg_hash_scan_next agree (what: the case,
** for the message). */
static void assert_scan_matches(const char *text, size_t len, int what)
{
	/* Fewer tokens than bytes, and each scan call may write TG_SCAN_MAX_TOKENS. */
	static uint64_t want[SCAN_TEST_MAX], got[SCAN_TEST_MAX + TG_SCAN_MAX_TOKENS];
	ck_assert_uint_le(len, SCAN_TEST_MAX);
	size_t n_want = 0, n_got = 0;
	tg_tokenizer t;
	tg_token tok;
	tg_tokenizer_init(&t, text, len);
	while (tg_next_token(&t, &tok))
		want[n_want++] = tok.hash;
	tg_hash_scan scan;
	int last = 0;
	tg_hash_scan_init(&scan, text, len);
	while (!last)
		n_got += tg_hash_scan_next(&scan, got + n_got, &last);
	ck_assert_msg(n_got == n_want, "case %d (%zu bytes): %zu tokens scanned, %zu by tg_next_token",
	              what, len, n_got, n_want);
	for (size_t i = 0; i < n_want; i++)
		ck_assert_msg(got[i] == want[i], "case %d (%zu bytes): token %zu hashes differently", what, len, i);
}

/*
** tg_hash_scan_next, the batched tokenizer prediction runs, gives tg_next_token's
** hashes in its order, on texts built from the byte sequences where the two could part:
** separators of one, two and three bytes (also cut short), Latin-1 capitals and the
** multiplication sign, trail bytes without a lead, NUL, at every length up to three
** scan windows (so that tokens cross windows and the window is cut into chains).
*/
START_TEST(test_hash_scan_matches_next_token)
{
	static const char *const frags[] = { "a", "Zq", "7", " ", ".", "\xC3\xA9", "\xC3\x89", "\xC3\x97",
		"\xC3", "\xC2\xA0", "\xC2", "\xE2\x80\x94", "\xE2\x80", "\xE2", "\x80", "\xBF", "\xFF", "",
		"word", "\xC3\x9E\xC3\x9F" };
	const size_t n_frags = sizeof frags / sizeof frags[0];
	static char text[3 * TG_SCAN_WINDOW + 64];
	_Static_assert(sizeof text <= SCAN_TEST_MAX, "texts fit assert_scan_matches");
	uint64_t state = 7;
	for (int round = 0; round < 3000; round++) {
		size_t len = 0;
		const size_t target = (size_t)(round * 7919) % (sizeof text - 8);
		while (len < target) {
			state = state * 6364136223846793005ULL + 1442695040888963407ULL;
			const char *f = frags[(state >> 33) % n_frags];
			const size_t fl = f[0] ? strlen(f) : 1;   /* "" stands for a NUL byte */
			if (len + fl > target)
				break;
			memcpy(text + len, f, fl);
			len += fl;
		}
		assert_scan_matches(text, len, round);
	}
}
END_TEST

/*
** Words that reach a window's end, fill one or several windows (the hash chain
** carried from window to window), or end just past one: a word of every
** length around the multiples of TG_SCAN_WINDOW, after a word of every length up to
** 17, with and without a word after it.
*/
START_TEST(test_hash_scan_long_words)
{
	static char text[SCAN_TEST_MAX];
	static const size_t around[] = { 0, TG_SCAN_WINDOW, 2 * TG_SCAN_WINDOW, 3 * TG_SCAN_WINDOW };
	for (size_t a = 0; a < sizeof around / sizeof around[0]; a++)
		for (size_t d = 0; d < 40; d++)
			for (size_t before = 0; before <= 17; before++) {
				if (around[a] + d < 20 + before)
					continue;
				const size_t word = around[a] + d - 20 - before;
				size_t len = 0;
				memset(text, 'b', before);
				len += before;
				text[len++] = ' ';
				memset(text + len, 'W', word);   /* capitals, folded on the way */
				len += word;
				assert_scan_matches(text, len, (int)word);
				memcpy(text + len, " tail", 5);
				assert_scan_matches(text, len + 5, (int)word);
			}
}
END_TEST

static Suite *tokenize_suite(void)
{
	Suite *s = suite_create("tokenize");
	TCase *tc = tcase_create("tokens");
	tcase_add_test(tc, test_splits_on_punctuation_and_space);
	tcase_add_test(tc, test_drops_one_byte_tokens_keeps_digits);
	tcase_add_test(tc, test_unicode_words_and_separators);
	tcase_add_test(tc, test_case_folding_in_hash);
	tcase_add_test(tc, test_invalid_utf8_and_nul_bytes);
	tcase_add_test(tc, test_feature_keys);
	tcase_add_test(tc, test_long_token_is_one_token);
	tcase_add_test(tc, test_hash_scan_matches_next_token);
	tcase_add_test(tc, test_hash_scan_long_words);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(tokenize_suite());
}
