/*
** libFuzzer harness: the shared tokenizer (ext/core/tokenize.h) and feature keys
** (ext/core/feature_keys.h) against an independent reference written from the spec in
** tokenize.h's comment.
**
** Checks: every token lies within the input, tokens are in order and disjoint,
** lengths are >= 2, no token contains a separator, tokens are maximal (bounded by
** the input's ends or separators), the token list equals the reference's (so none
** is missed), each hash equals FNV-1a over the reference-folded bytes, the batched
** scan (tg_hash_scan_next) gives the same hashes in order, feature keys are the
** unigram key of each token plus the bigram key of each adjacent pair, and each
** token's subword keys (trainer/learn/subword.c) are as many as its length makes and
** the same as those of its reference-folded bytes.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feature_keys.h"
#include "subword.h"
#include "tokenize.h"
#include "fuzz_check.h"

/* Reference: length of the separator at s[i] (0 for a word byte). */
static size_t ref_sep(const uint8_t *s, size_t n, size_t i)
{
	uint8_t c = s[i];
	if (c < 0x80) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			return 0;
		return 1;
	}
	/* U+0080..U+00BF: C2 80..C2 BF. */
	if (c == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0xBF)
		return 2;
	/* U+2000..U+203F: E2 80 80..E2 80 BF. */
	if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] >= 0x80 && s[i + 2] <= 0xBF)
		return 3;
	return 0;
}

/* Reference folding of s[a..b) into out; returns the folded length. */
static size_t ref_fold(const uint8_t *s, size_t n, size_t a, size_t b, uint8_t *out)
{
	size_t o = 0;
	for (size_t i = a; i < b; i++) {
		uint8_t c = s[i];
		if (c >= 'A' && c <= 'Z') {
			out[o++] = (uint8_t)(c + 32);
		} else if (c == 0xC3 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9E && s[i + 1] != 0x97) {
			/* U+00C0..U+00DE but the multiplication sign: to U+00E0..U+00FE. */
			out[o++] = 0xC3;
			out[o++] = (uint8_t)(s[i + 1] + 0x20);
			i++;
		} else {
			out[o++] = c;
		}
	}
	return o;
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

typedef struct { size_t start, len; uint64_t hash; } ref_tok;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exact-size copy: a read past the end is caught by ASan. */
	uint8_t *s = malloc(size ? size : 1);
	uint8_t *fold = malloc(size ? size : 1);
	ref_tok *ref = malloc((size / 2 + 1) * sizeof *ref);
	CHECK(s && fold && ref);
	memcpy(s, data, size);

	/* The reference token list. */
	size_t nref = 0;
	for (size_t i = 0; i < size;) {
		size_t L = ref_sep(s, size, i);
		if (L) {
			i += L;
			continue;
		}
		size_t j = i;
		while (j < size && ref_sep(s, size, j) == 0)
			j++;
		if (j - i >= 2) {
			size_t fl = ref_fold(s, size, i, j, fold);
			ref[nref++] = (ref_tok){ i, j - i, fnv1a(fold, fl) };
		}
		i = j;
	}

	tg_tokenizer t;
	tg_token tok;
	size_t ntok = 0, prev_end = 0;
	tg_tokenizer_init(&t, s, size);
	while (tg_next_token(&t, &tok)) {
		CHECK(tok.start >= s && tok.len >= 2 && tok.len <= size);
		size_t a = (size_t)(tok.start - s), b = a + tok.len;
		CHECK(b <= size);
		CHECK(a >= prev_end);
		for (size_t i = a; i < b; i++)
			CHECK(tg_separator_len(s + i, s + size) == 0);
		CHECK(b == size || tg_separator_len(s + b, s + size) != 0);
		if (a > 0) {
			/* What precedes is a separator ending right at a. */
			int ok = 0;
			for (size_t L = 1; L <= 3 && L <= a; L++)
				if (tg_separator_len(s + a - L, s + size) == L)
					ok = 1;
			CHECK(ok);
		}
		size_t fl = ref_fold(s, size, a, b, fold);
		CHECK(tok.hash == fnv1a(fold, fl));
		CHECK(ntok < nref);
		CHECK(ref[ntok].start == a && ref[ntok].len == tok.len && ref[ntok].hash == tok.hash);
		ntok++;
		prev_end = b;
	}
	CHECK(ntok == nref);
	CHECK(!tg_next_token(&t, &tok)); /* stays at the end */

	/* The batched scan prediction runs gives the same hashes in the same order. */
	{
		tg_hash_scan scan;
		uint64_t hashes[TG_SCAN_MAX_TOKENS];
		size_t k = 0;
		int last = 0;
		tg_hash_scan_init(&scan, s, size);
		while (!last) {
			const size_t nh = tg_hash_scan_next(&scan, hashes, &last);
			for (size_t i = 0; i < nh; i++, k++) {
				CHECK(k < nref);
				CHECK(hashes[i] == ref[k].hash);
			}
		}
		CHECK(k == nref);
	}

	/* Subwords: of the case-folded bytes, so the folded token has the same ones; one
	** n-gram of each length at each position of "<" token ">", the whole excluded. */
	for (size_t k = 0; k < nref; k++) {
		static uint64_t a[TG_SUBWORD_MAX_KEYS], b[TG_SUBWORD_MAX_KEYS];
		const tg_subword_range r = { TG_SUBWORD_MIN_N, TG_SUBWORD_MAX_N };
		const size_t na = tg_subword_keys(s + ref[k].start, ref[k].len, r, a);
		const size_t fl = ref_fold(s, size, ref[k].start, ref[k].start + ref[k].len, fold);
		CHECK(fl == ref[k].len);
		size_t want = 0;
		for (size_t g = r.min; ref[k].len <= TG_SUBWORD_MAX_WORD && g <= r.max && g < ref[k].len + 2; g++)
			want += ref[k].len + 2 - g + 1;
		CHECK(na == want && na <= TG_SUBWORD_MAX_KEYS);
		const size_t nb = tg_subword_keys(fold, fl, r, b);
		CHECK(nb == na && memcmp(a, b, na * sizeof *a) == 0);
	}

	/* Feature keys follow the token list. */
	for (unsigned flags = 1; flags <= 3; flags++) {
		tg_feature_iter it;
		uint64_t keys[2];
		const unsigned char *prev_start;
		size_t k = 0;
		int n;
		tg_features_init(&it, s, size, flags);
		while ((n = tg_features_next(&it, &tok, keys, &prev_start)) >= 0) {
			CHECK(k < nref);
			int want = ((flags & TG_FEAT_UNIGRAM) ? 1 : 0) + ((flags & TG_FEAT_BIGRAM) && k > 0 ? 1 : 0);
			CHECK(n == want);
			int i = 0;
			if (flags & TG_FEAT_UNIGRAM)
				CHECK(keys[i++] == tg_unigram_key(ref[k].hash));
			if ((flags & TG_FEAT_BIGRAM) && k > 0)
				CHECK(keys[i++] == tg_bigram_key(ref[k - 1].hash, ref[k].hash));
			CHECK(prev_start == s + ref[k ? k - 1 : 0].start);
			k++;
		}
		CHECK(k == nref);
	}
	free(ref);
	free(fold);
	free(s);
	return 0;
}
