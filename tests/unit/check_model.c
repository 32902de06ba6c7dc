/* The model blob: written by the trainer's writer, read by the shared loader, and
** refused, with a reason, whenever any part of it is damaged. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3ext.h"

#include "checksum.h"
#include "endian_io.h"
#include "model.h"
#include "model_write.h"
#include "check_run.h"

static const char *const labels[3] = { "Horror", "Romance", "Comedy" };

static uint64_t word_key(const char *w)
{
	tg_tokenizer t;
	tg_token tok;
	tg_tokenizer_init(&t, w, strlen(w));
	ck_assert(tg_next_token(&t, &tok));
	return tg_unigram_key(tok.hash);
}

/* ghost -> Horror, love -> Romance, funny -> Comedy, plus the bigram "haunted house". */
static unsigned char *make_blob(size_t *len)
{
	static const tg_label_params params[3] = {
		{ -1.0f, 1.0f, 0.0f, 0.5f }, { -1.0f, 2.0f, 0.5f, 0.4f }, { -0.5f, 1.0f, 0.0f, 0.6f },
	};
	uint64_t keys[4];
	tg_tokenizer t;
	tg_token a, b;
	const char *bg = "haunted house";
	tg_tokenizer_init(&t, bg, strlen(bg));
	ck_assert(tg_next_token(&t, &a) && tg_next_token(&t, &b));
	keys[0] = word_key("ghost");
	keys[1] = word_key("love");
	keys[2] = word_key("funny");
	keys[3] = tg_bigram_key(a.hash, b.hash);
	static const float weights[4 * 3] = { 3, -1, 0, -0.5f, 2, 0.25f, 0, 0.5f, 2.5f, 1.5f, 0, 0 };
	static const float norm2[4] = { 1, 1, 4, 1 };
	tg_model_spec spec = { TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM, 3, labels, params, 4, keys, weights, norm2 };
	unsigned char *blob;
	char err[200];
	ck_assert_int_eq(tg_model_write(&spec, &blob, len, err, sizeof err), 0);
	return blob;
}

static void rechecksum(unsigned char *b, size_t len)
{
	tg_write_le64(b + TG_MODEL_CHECKSUM_AT, tg_checksum(b, len / 8, TG_MODEL_CHECKSUM_AT / 8));
}

/* Loads and expects failure with a message containing want. */
static void ck_refused(const unsigned char *b, size_t len, const char *want)
{
	tg_model *m = (tg_model *)1;
	char err[300] = "";
	int rc = tg_model_load(b, len, &m, err, sizeof err);
	if (rc == 0)
		tg_model_free(m);
	ck_assert_msg(rc == -1, "a blob that should fail with '%s' loaded", want);
	ck_assert_ptr_null(m);
	if (!strstr(err, want))
		ck_abort_msg("error '%s' does not mention '%s'", err, want);
}

START_TEST(test_round_trip)
{
	size_t len;
	unsigned char *blob = make_blob(&len);
	tg_model *m;
	char err[200];
	ck_assert_int_eq(tg_model_load(blob, len, &m, err, sizeof err), 0);
	ck_assert_uint_eq(m->n_labels, 3);
	ck_assert_uint_eq(m->n_rows, 4);
	ck_assert_str_eq(m->labels[1], "Romance");
	ck_assert_float_eq(m->params[1].platt_a, 2.0f);
	/* Each key finds its row; weights come back within int8 quantization of the largest. */
	const tg_model_row *r = tg_model_lookup(m, word_key("ghost"));
	ck_assert_ptr_nonnull(r);
	ck_assert_float_eq_tol(tg_row_scale(r) * r->q[0], 3.0f, 3.0f / 127);
	ck_assert_float_eq_tol(tg_row_scale(r) * r->q[1], -1.0f, 3.0f / 127);
	ck_assert_float_eq(tg_row_norm2(r), 1.0f);
	ck_assert_ptr_null(tg_model_lookup(m, word_key("zebra")));
	/* Scoring: "ghost ghost" = 2 occurrences, norm sqrt(2): Horror margin -1 + 6/sqrt(2). */
	tg_sums sums;
	float z[3];
	tg_model_accumulate(m, "Ghost, ghost!", 13, &sums);
	ck_assert_uint_eq(sums.n_tokens, 2);
	ck_assert_uint_eq(sums.n_known, 2);
	tg_model_logits(m, &sums, z);
	ck_assert_float_eq_tol(z[0], -1.0f + 6.0f / sqrtf(2.0f), 0.05f);
	ck_assert_uint_eq(tg_model_top(m, z), 0);
	/* The bigram is found through the text. */
	tg_model_accumulate(m, "a haunted house", 15, &sums);
	ck_assert_uint_eq(sums.n_known, 1);
	tg_model_free(m);
	sqlite3_free(blob);
}
END_TEST

/* A deterministic generator, so a failure can be replayed. */
static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

/* What tg_model_accumulate must equal: one key at a time through tg_features_next and
** tg_model_lookup, each found row added in text order with plain float arithmetic. */
static void reference_sums(const tg_model *m, const char *text, size_t len, tg_sums *s)
{
	tg_feature_iter it;
	tg_token tok;
	uint64_t keys[2];
	const unsigned char *prev;
	int n;
	memset(s, 0, sizeof *s);
	tg_features_init(&it, text, len, m->features);
	while ((n = tg_features_next(&it, &tok, keys, &prev)) >= 0) {
		s->n_tokens++;
		for (int j = 0; j < n; j++) {
			const tg_model_row *row = tg_model_lookup(m, keys[j]);
			if (!row)
				continue;
			s->n_known++;
			s->norm2 += tg_row_norm2(row);
			const float scale = tg_row_scale(row);
			for (uint32_t k = 0; k < m->padded_labels; k++)
				s->acc[k] += scale * (float)row->q[k];
		}
	}
}

static void ck_same_sums(const tg_sums *a, const tg_sums *b, const char *what)
{
	ck_assert_msg(memcmp(a->acc, b->acc, sizeof a->acc) == 0, "%s: label sums differ", what);
	ck_assert_msg(a->norm2 == b->norm2, "%s: norm2 %.17g != %.17g", what, a->norm2, b->norm2);
	ck_assert_uint_eq(a->n_tokens, b->n_tokens);
	ck_assert_uint_eq(a->n_known, b->n_known);
}

/*
** The batched path (hash scan, prefetched lookups, SIMD adds: the AVX2 kernel where the
** processor has it, else SSE2) gives the reference's sums bit for bit, for every label
** count up to 40 (row widths 4 to 40: each kernel's widths and the generic loop), on
** texts longer than a batch, with repeated, unknown and non-ASCII words.
*/
START_TEST(test_accumulate_matches_reference)
{
	static const char *const words[] = { "ghost", "love", "Funny", "haunted", "house", "war",
		"détective", "space", "SHIP", "zebra", "naïve", "1984", "x", "of", "the", "agent" };
	const size_t n_words = sizeof words / sizeof words[0];
	uint64_t state = 42;
	for (uint32_t n_labels = 1; n_labels <= 40; n_labels++) {
		const char *names[40];
		char name_text[40][8];
		tg_label_params params[40];
		for (uint32_t k = 0; k < n_labels; k++) {
			snprintf(name_text[k], sizeof name_text[k], "L%u", k);
			names[k] = name_text[k];
			params[k] = (tg_label_params){ 0.1f * (float)k, 1.0f, 0.0f, 0.5f };
		}
		/* Every word but the last three, and every bigram of the first eight, has a row. */
		uint64_t keys[16 + 64];
		float weights[(16 + 64) * 40], norm2[16 + 64];
		uint32_t n_rows = 0;
		tg_token tok, prev_tok;
		for (size_t w = 0; w + 3 < n_words; w++) {
			tg_tokenizer t;
			tg_tokenizer_init(&t, words[w], strlen(words[w]));
			if (tg_next_token(&t, &tok))   /* "x" is no token: too short */
				keys[n_rows++] = tg_unigram_key(tok.hash);
		}
		for (size_t a = 0; a < 8; a++)
			for (size_t b = 0; b < 8; b++) {
				tg_tokenizer t;
				tg_tokenizer_init(&t, words[a], strlen(words[a]));
				ck_assert(tg_next_token(&t, &prev_tok));
				tg_tokenizer_init(&t, words[b], strlen(words[b]));
				ck_assert(tg_next_token(&t, &tok));
				keys[n_rows++] = tg_bigram_key(prev_tok.hash, tok.hash);
			}
		for (uint32_t r = 0; r < n_rows; r++) {
			norm2[r] = 0.25f + (float)(next_random(&state) % 1000) / 100.0f;
			for (uint32_t k = 0; k < n_labels; k++)
				weights[r * n_labels + k] = ((float)(next_random(&state) % 2001) - 1000.0f) / 300.0f;
		}
		tg_model_spec spec = { TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM, n_labels, names, params, n_rows, keys, weights, norm2 };
		unsigned char *blob;
		size_t len;
		char err[200];
		ck_assert_int_eq(tg_model_write(&spec, &blob, &len, err, sizeof err), 0);
		tg_model *m;
		ck_assert_int_eq(tg_model_load(blob, len, &m, err, sizeof err), 0);
		const uint32_t avx2 = m->avx2;
		for (int t = 0; t < 20; t++) {
			char text[4096];
			size_t len_text = 0;
			const size_t n = next_random(&state) % 400;
			for (size_t i = 0; i < n && len_text + 16 < sizeof text; i++) {
				const char *w = words[next_random(&state) % n_words];
				len_text += (size_t)snprintf(text + len_text, sizeof text - len_text, "%s%s", w,
				                             i % 7 == 6 ? ". " : " ");
			}
			tg_sums want, got;
			reference_sums(m, text, len_text, &want);
			m->avx2 = avx2;
			tg_model_accumulate(m, text, len_text, &got);
			ck_same_sums(&got, &want, avx2 ? "AVX2 kernel" : "SSE2 kernel");
			m->avx2 = 0;
			tg_model_accumulate(m, text, len_text, &got);
			ck_same_sums(&got, &want, "SSE2 kernel");
		}
		tg_model_free(m);
		sqlite3_free(blob);
	}
}
END_TEST

START_TEST(test_every_flipped_byte_is_refused)
{
	size_t len;
	unsigned char *blob = make_blob(&len);
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			blob[i] ^= (unsigned char)(1u << bit);
			tg_model *m;
			char err[200];
			int rc = tg_model_load(blob, len, &m, err, sizeof err);
			if (rc == 0)
				ck_abort_msg("flipping bit %d of byte %zu was not noticed", bit, i);
			blob[i] ^= (unsigned char)(1u << bit);
		}
	}
	sqlite3_free(blob);
}
END_TEST

START_TEST(test_truncated_and_padded)
{
	size_t len;
	unsigned char *blob = make_blob(&len);
	ck_refused(blob, 0, "bad magic");
	ck_refused(blob, 63, "bad magic");
	ck_refused(blob, len - 8, "truncated");
	unsigned char *longer = calloc(1, len + 8);
	memcpy(longer, blob, len);
	ck_refused(longer, len + 8, "truncated");
	free(longer);
	ck_refused(NULL, 100, "bad magic");
	sqlite3_free(blob);
}
END_TEST

/* Damage with a valid checksum: the checks behind the checksum must still hold. */
START_TEST(test_damage_behind_a_valid_checksum)
{
	size_t len;
	unsigned char *blob = make_blob(&len);
	unsigned char *b = malloc(len);
	tg_model_layout lay;
	ck_assert_int_eq(tg_model_compute_layout(3, tg_read_le32(blob + 28), 4, tg_read_le32(blob + 36), &lay), 0);

#define DAMAGE(stmt, want)              \
	do {                            \
		memcpy(b, blob, len);   \
		stmt;                   \
		rechecksum(b, len);     \
		ck_refused(b, len, want); \
	} while (0)

	DAMAGE(tg_write_le32(b + 8, 2), "format 2 is not supported");
	DAMAGE(tg_write_le32(b + 16, 99), "tokenizer 99");
	DAMAGE(tg_write_le32(b + 20, 0x80), "unknown features");
	DAMAGE(tg_write_le32(b + 24, 0), "do not add up");
	DAMAGE(tg_write_le32(b + 24, 1000), "do not add up");
	DAMAGE(tg_write_le32(b + 32, 0xffffffffu), "do not add up");
	DAMAGE(tg_write_le32(b + 36, 48), "not a power of two");
	DAMAGE(b[56] = 1, "header is damaged");
	/* Labels: duplicate, empty, invalid UTF-8. */
	DAMAGE(memcpy(b + lay.labels_at + 7, "Horror", 7), "twice");
	DAMAGE(b[lay.labels_at] = 0, "label");
	DAMAGE(b[lay.labels_at + 1] = 0xff, "UTF-8");
	/* Label parameters: NaN bias, non-positive Platt slope, threshold above 1. */
	DAMAGE(tg_write_lef32(b + lay.params_at, NAN), "out of range");
	DAMAGE(tg_write_lef32(b + lay.params_at + 4, 0.0f), "out of range");
	DAMAGE(tg_write_lef32(b + lay.params_at + 12, 1.5f), "out of range");
	/* A slot that points past the rows, and a table with no free slot. */
	for (uint32_t s = 0; s < tg_read_le32(blob + 36); s++)
		if (tg_read_le32(blob + lay.slots_at + 4 * s) != 0) {
			DAMAGE(tg_write_le32(b + lay.slots_at + 4 * s, tg_read_le32(b + lay.slots_at + 4 * s) | 7), "slot");
			break;
		}
	DAMAGE(for (uint32_t s = 0; s < tg_read_le32(blob + 36); s++) tg_write_le32(b + lay.slots_at + 4 * s, 1),
	       "no free slot");
	/* Rows: an infinite or negative half, non-zero padding. */
	DAMAGE((b[lay.rows_at] = 0x00, b[lay.rows_at + 1] = 0x7c), "row 0");
	DAMAGE(b[lay.rows_at + 1] = 0x80, "row 0");
	DAMAGE(b[lay.rows_at + 4 + 3] = 1, "padding of row 0");
#undef DAMAGE
	free(b);
	sqlite3_free(blob);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("blob");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_accumulate_matches_reference);
	tcase_add_test(tc, test_every_flipped_byte_is_refused);
	tcase_add_test(tc, test_truncated_and_padded);
	tcase_add_test(tc, test_damage_behind_a_valid_checksum);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(model_suite());
}
