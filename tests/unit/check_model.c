/* The model blob: written by the trainer's writer, read by the shared loader, and
** refused, with a reason, whenever any part of it is damaged. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3ext.h"

#include "checksum.h"
#include "endian_io.h"
#include "model.h"
#include "model_write.h"

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
	tcase_add_test(tc, test_every_flipped_byte_is_refused);
	tcase_add_test(tc, test_truncated_and_padded);
	tcase_add_test(tc, test_damage_behind_a_valid_checksum);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(model_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
