/*
** Subwords (trainer/learn/subword.c) and their folding into words' rows
** (tg_vocab_fold): a word's n-grams are those of its case-folded bytes between "<"
** and ">", never the bracketed word itself, with keys unlike any word's; and a text
** scored through the folded rows, one per word as the extension scores it, gets the
** score the learners' features give it.
*/
#include <check.h>
#include <math.h>
#include <string.h>

#include "feature_keys.h"
#include "subword.h"
#include "vocab.h"
#include "check_random.h"
#include "check_run.h"
#include "check_texts.h"

static size_t keys_of(const char *word, tg_subword_range r, uint64_t *keys)
{
	return tg_subword_keys((const unsigned char *)word, strlen(word), r, keys);
}

static int same_keys(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof *a) == 0;
}

static uint64_t fnv(const char *s)
{
	uint64_t h = TG_FNV_OFFSET;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * TG_FNV_PRIME;
	return h;
}

START_TEST(test_counts_and_bounds)
{
	uint64_t k[TG_SUBWORD_MAX_KEYS];
	/* "<dog>": 5 bytes; 4-grams "<dog" and "dog>". */
	ck_assert_uint_eq(keys_of("dog", (tg_subword_range){ 4, 4 }, k), 2);
	/* 2..5: 4 + 3 + 2, and not the 5 bytes of the whole. */
	ck_assert_uint_eq(keys_of("dog", (tg_subword_range){ 2, 5 }, k), 9);
	/* "<ab>" is the whole word: no 4-gram of its own. */
	ck_assert_uint_eq(keys_of("ab", (tg_subword_range){ 4, 4 }, k), 0);
	ck_assert_uint_eq(keys_of("dog", (tg_subword_range){ 0, 0 }, k), 0);
	char word[TG_SUBWORD_MAX_WORD + 2];
	memset(word, 'x', sizeof word - 1);
	word[TG_SUBWORD_MAX_WORD] = '\0';
	ck_assert_uint_eq(keys_of(word, (tg_subword_range){ 4, 4 }, k), TG_SUBWORD_MAX_WORD - 1);
	word[TG_SUBWORD_MAX_WORD] = 'x';
	word[TG_SUBWORD_MAX_WORD + 1] = '\0';
	ck_assert_uint_eq(keys_of(word, (tg_subword_range){ 4, 4 }, k), 0);
	/* The most any word can have fits the documented room. */
	memset(word, 'x', TG_SUBWORD_MAX_WORD);
	word[TG_SUBWORD_MAX_WORD] = '\0';
	ck_assert_uint_le(keys_of(word, (tg_subword_range){ TG_SUBWORD_MIN_N, TG_SUBWORD_MAX_N }, k),
	                  TG_SUBWORD_MAX_KEYS);
}
END_TEST

/* Case is folded as the tokenizer folds it, ASCII and Latin-1 capitals alike. */
START_TEST(test_case_folded)
{
	uint64_t a[TG_SUBWORD_MAX_KEYS], b[TG_SUBWORD_MAX_KEYS];
	const tg_subword_range r = { 3, 5 };
	size_t na = keys_of("Murder", r, a), nb = keys_of("murder", r, b);
	ck_assert(same_keys(a, na, b, nb));
	na = keys_of("\xc3\x89lan", r, a);   /* Élan */
	nb = keys_of("\xc3\xa9lan", r, b);   /* élan */
	ck_assert(same_keys(a, na, b, nb));
	nb = keys_of("elan", r, b);
	ck_assert(!same_keys(a, na, b, nb));
}
END_TEST

/* A prefix is not the same letters inside a word, an n-gram not the word it spells,
** and a repeated n-gram comes twice. */
START_TEST(test_keys_are_their_own)
{
	uint64_t a[TG_SUBWORD_MAX_KEYS], b[TG_SUBWORD_MAX_KEYS];
	const tg_subword_range four = { 4, 4 };
	ck_assert_uint_eq(keys_of("dead", four, a), 3);       /* "<dea", "dead", "ead>" */
	ck_assert_uint_eq(keys_of("undeadly", four, b), 7);   /* "<und" ... "dead" ... "dly>" */
	/* What the two words share is what subwords are for; the prefix and the end stay apart. */
	ck_assert(a[1] == b[3]);
	for (size_t j = 0; j < 7; j++)
		ck_assert(a[0] != b[j] && a[2] != b[j]);
	/* "xdeadx" has the 4-gram "dead", which is not the word "dead". */
	const size_t n = keys_of("xdeadx", four, b);
	for (size_t j = 0; j < n; j++)
		ck_assert(b[j] != tg_unigram_key(fnv("dead")));
	/* "<banana>": "ana" at 2 and 4 of the 3-grams. */
	ck_assert_uint_eq(keys_of("banana", (tg_subword_range){ 3, 3 }, a), 6);
	ck_assert(a[2] == a[4]);
	ck_assert(a[1] != a[2]);
}
END_TEST

/*
** A text's score through the folded rows, word by word as the extension adds them
** (rows of known words summed, norm2 likewise, one division), against the learners'
** sparse features (the word and its n-grams, each count * idf / norm) times weights.
*/
static void check_fold(unsigned features, tg_subword_range subwords)
{
	tg_example_set docs;
	text_set(&docs);
	tg_vocab v;
	ck_assert_int_eq(tg_vocab_build(&v, &docs, features, subwords, 2), 0);
	const uint32_t rows = tg_vocab_rows(&v);
	ck_assert_uint_gt(rows, 2);
	if (subwords.min)
		ck_assert_uint_gt(v.n, rows);
	else
		ck_assert_uint_eq(v.n, rows);
	/* Weights per feature, idf folded in as tg_train does. */
	float *W = malloc(v.n * sizeof *W), *row = malloc(rows * sizeof *row), *norm2 = malloc(rows * sizeof *norm2);
	uint64_t *keys = malloc(rows * sizeof *keys);
	ck_assert(W && row && norm2 && keys);
	uint64_t rng = 12345;
	for (uint32_t f = 0; f < v.n; f++)
		W[f] = (float)((double)(tg_test_random(&rng) % 2001) / 1000.0 - 1.0);
	float *scaled = malloc(v.n * sizeof *scaled);
	ck_assert_ptr_nonnull(scaled);
	for (uint32_t f = 0; f < v.n; f++)
		scaled[f] = W[f] * v.idf[f];
	tg_vocab_fold(&v, scaled, 1, keys, row, norm2);
	tg_sparse X;
	ck_assert_int_eq(tg_vectorize(&v, &docs, &X), 0);
	for (size_t d = 0; d < n_texts; d++) {
		double by_features = 0;
		for (size_t j = X.row_start[d]; j < X.row_start[d + 1]; j++)
			by_features += (double)W[X.col[j]] * X.val[j];
		double sum = 0, n2 = 0;
		tg_feature_iter it;
		tg_token tok;
		uint64_t k[2];
		const unsigned char *prev;
		int nk;
		tg_features_init(&it, texts[d], strlen(texts[d]), features);
		while ((nk = tg_features_next(&it, &tok, k, &prev)) >= 0)
			for (int i = 0; i < nk; i++)
				for (uint32_t r = 0; r < rows; r++)
					if (keys[r] == k[i]) {
						sum += row[r];
						n2 += norm2[r];
					}
		const double by_rows = n2 > 0 ? sum / sqrt(n2) : 0;
		ck_assert_msg(fabs(by_rows - by_features) <= 1e-5 * (1 + fabs(by_features)),
		              "text %zu: %.9f through the rows, %.9f through the features", d, by_rows, by_features);
	}
	tg_sparse_free(&X);
	free(W), free(row), free(norm2), free(keys), free(scaled);
	tg_vocab_free(&v);
	tg_example_set_free(&docs);
}

START_TEST(test_fold_scores_as_features)
{
	check_fold(TG_FEAT_UNIGRAM, (tg_subword_range){ 4, 4 });
	check_fold(TG_FEAT_UNIGRAM, (tg_subword_range){ 2, 6 });
	check_fold(TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM, (tg_subword_range){ 3, 5 });
	check_fold(TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM, (tg_subword_range){ 0, 0 });
}
END_TEST

/* Cutting the vocabulary keeps the n-grams of the words kept, and only those. */
START_TEST(test_restrict_keeps_kept_words_ngrams)
{
	tg_example_set docs;
	text_set(&docs);
	tg_vocab v;
	ck_assert_int_eq(tg_vocab_build(&v, &docs, TG_FEAT_UNIGRAM, (tg_subword_range){ 4, 4 }, 2), 0);
	/* Keep the first word that has n-grams, alone. */
	uint32_t word = UINT32_MAX;
	for (uint32_t f = 0; f < v.n && word == UINT32_MAX; f++)
		if (!v.is_subword[f] && v.sub_start[f + 1] > v.sub_start[f])
			word = f;
	ck_assert_uint_ne(word, UINT32_MAX);
	const uint64_t key = v.keys[word];
	const uint32_t n_sub = v.sub_start[word + 1] - v.sub_start[word];
	ck_assert_int_eq(tg_vocab_restrict(&v, &word, 1), 0);
	ck_assert_uint_eq(tg_vocab_rows(&v), 1);
	ck_assert_int_eq(tg_keymap_find(&v.index, key) >= 0, 1);
	const uint32_t f = (uint32_t)tg_keymap_find(&v.index, key);
	ck_assert_uint_eq(v.sub_start[f + 1] - v.sub_start[f], n_sub);
	for (uint32_t j = v.sub_start[f]; j < v.sub_start[f + 1]; j++)
		ck_assert(v.sub[j] < v.n && v.is_subword[v.sub[j]]);
	ck_assert_uint_le(v.n, 1 + n_sub);
	tg_vocab_free(&v);
	tg_example_set_free(&docs);
}
END_TEST

static Suite *subword_suite(void)
{
	Suite *s = suite_create("subword");
	TCase *tc = tcase_create("subword");
	tcase_add_test(tc, test_counts_and_bounds);
	tcase_add_test(tc, test_case_folded);
	tcase_add_test(tc, test_keys_are_their_own);
	tcase_add_test(tc, test_fold_scores_as_features);
	tcase_add_test(tc, test_restrict_keeps_kept_words_ngrams);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(subword_suite());
}
