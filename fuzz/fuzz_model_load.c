/*
** libFuzzer harness: tg_model_load on arbitrary bytes (ext/core/model_load.c).
**
** The first input byte picks a mode, the rest is the blob:
**   bit 0  fix blob_bytes and the checksum, so mutations get past them and reach
**          the section, label, parameter, slot and row checks;
**   bit 1  also fix magic, format, header size, tokenizer version and reserved words.
** With bit 0 clear, or a blob shorter than a header or not a multiple of 8 bytes,
** the bytes are loaded exactly as given.
**
** When a blob loads, its invariants are checked and a few texts (and the input
** itself, as text) are scored: lookups must end, sums and logits must stay within
** what the checked blob allows, and the best label must be a label.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "checksum.h"
#include "endian_io.h"
#include "feature_keys.h"
#include "fuzz_check.h"

static size_t count_tokens(const void *text, size_t len)
{
	tg_tokenizer t;
	tg_token tok;
	size_t n = 0;
	tg_tokenizer_init(&t, text, len);
	while (tg_next_token(&t, &tok))
		n++;
	return n;
}

static void score(const tg_model *m, const void *text, size_t len)
{
	tg_sums s;
	float z[TG_MODEL_MAX_LABELS];
	tg_model_accumulate(m, text, len, &s);
	CHECK(s.n_tokens == count_tokens(text, len));
	unsigned per_token = ((m->features & TG_FEAT_UNIGRAM) ? 1u : 0u) + ((m->features & TG_FEAT_BIGRAM) ? 1u : 0u);
	CHECK(s.n_known <= s.n_tokens * per_token);
	CHECK(s.norm2 >= 0 && !isnan(s.norm2));
	for (uint32_t k = m->n_labels; k < TG_MODEL_MAX_LABELS; k++)
		CHECK(s.acc[k] == 0);
	tg_model_logits(m, &s, z);
	uint32_t top = tg_model_top(m, z);
	CHECK(top < m->n_labels);
	for (uint32_t k = 0; k < m->n_labels; k++) {
		double p = tg_sigmoid(z[k]);
		/* NaN logits are possible only from hostile weights (inf - inf); they must not
		** make the best label an out-of-range index, checked above. */
		if (!isnan(p))
			CHECK(p >= 0 && p <= 1);
		(void)tg_model_tagged(m, z, k);
	}
	if (s.n_known == 0) {
		/* Nothing found: logits come from the biases alone. */
		for (uint32_t k = 0; k < m->n_labels; k++) {
			float want = (float)(m->params[k].platt_a * (double)m->params[k].bias + m->params[k].platt_b);
			CHECK(z[k] == want || (isnan(z[k]) && isnan(want)));
		}
	}
}

static void check_loaded(const tg_model *m, size_t len)
{
	CHECK(m->mem != NULL && m->mem_bytes == len);
	CHECK(m->n_labels >= 1 && m->n_labels <= TG_MODEL_MAX_LABELS);
	CHECK(m->padded_labels >= m->n_labels && m->padded_labels < m->n_labels + 8);
	CHECK(m->row_stride >= m->padded_labels);
	CHECK((m->features & TG_FEAT_WORDS) != 0 && (m->features & ~(TG_FEAT_WORDS | TG_FEAT_TITLE)) == 0);
	const unsigned char *lo = m->mem, *hi = lo + m->mem_bytes;
	for (uint32_t k = 0; k < m->n_labels; k++) {
		const unsigned char *l = (const unsigned char *)m->labels[k];
		CHECK(l >= lo && l < hi);
		size_t n = strnlen(m->labels[k], (size_t)(hi - l));
		CHECK(l + n < hi);                       /* terminated inside the blob */
		CHECK(n >= 1 && n <= TG_MODEL_MAX_LABEL_LEN);
		const tg_label_params *p = &m->params[k];
		CHECK(isfinite(p->bias) && isfinite(p->platt_a) && isfinite(p->platt_b));
		CHECK(p->platt_a > 0 && p->threshold >= 0 && p->threshold <= 1);
	}
	CHECK((const unsigned char *)m->params >= lo && (const unsigned char *)(m->params + m->n_labels) <= hi);
	uint64_t n_slots = (uint64_t)m->slot_mask + 1;
	CHECK((const unsigned char *)m->slots >= lo && (const unsigned char *)(m->slots + n_slots) <= hi);
	CHECK(m->rows >= lo && m->rows + (size_t)m->n_rows * m->row_stride <= hi);
	CHECK(m->row_bits >= 1 && m->row_bits <= 32 - TG_MODEL_MIN_FP_BITS);
	CHECK(((uint64_t)1 << m->row_bits) > m->n_rows);
	const uint32_t row_mask = (1u << m->row_bits) - 1;
	uint64_t empty = 0;
	for (uint64_t i = 0; i < n_slots; i++) {
		uint32_t e = m->slots[i];
		if (e == 0) {
			empty++;
			continue;
		}
		CHECK((e & row_mask) >= 1 && (e & row_mask) <= m->n_rows);
		/* A key with this slot's fingerprint, homed at this slot, finds a row. */
		uint64_t key = (uint64_t)(e >> m->row_bits) << (32 + m->row_bits) | i;
		const tg_model_row *row = tg_model_lookup(m, key);
		CHECK(row != NULL);
		CHECK((const unsigned char *)row >= m->rows &&
		      (const unsigned char *)row + m->row_stride <= m->rows + (size_t)m->n_rows * m->row_stride);
	}
	CHECK(empty > 0);
	for (uint32_t r = 0; r < m->n_rows; r++) {
		const tg_model_row *row = (const tg_model_row *)(m->rows + (size_t)r * m->row_stride);
		float scale = tg_row_scale(row), norm2 = tg_row_norm2(row);
		CHECK(isfinite(scale) && isfinite(norm2) && scale >= 0 && norm2 >= 0);
		for (uint32_t k = 0; k < m->n_labels; k++)
			(void)tg_model_contribution(m, row, k, row->norm2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	unsigned mode = data[0];
	size_t len = size - 1;
	/* An exact-size heap copy: ASan catches a read one byte past the blob. */
	unsigned char *blob = malloc(len ? len : 1);
	if (!blob)
		return 0;
	memcpy(blob, data + 1, len);
	if ((mode & 1) && len >= TG_MODEL_HEADER_BYTES && len % 8 == 0) {
		if (mode & 2) {
			memcpy(blob, TG_MODEL_MAGIC, 8);
			tg_write_le32(blob + 8, TG_MODEL_FORMAT);
			tg_write_le32(blob + 12, TG_MODEL_HEADER_BYTES);
			tg_write_le32(blob + 16, TG_TOKENIZER_VERSION);
			tg_write_le32(blob + 56, 0);
			tg_write_le32(blob + 60, 0);
		}
		tg_write_le64(blob + 40, len);
		tg_write_le64(blob + TG_MODEL_CHECKSUM_AT, tg_checksum(blob, len / 8, TG_MODEL_CHECKSUM_AT / 8));
	}

	char err[256];
	memset(err, 'x', sizeof err);
	tg_model *m = (tg_model *)1;
	int rc = tg_model_load(blob, len, &m, err, sizeof err);
	if (rc != 0) {
		CHECK(rc == -1);
		CHECK(m == NULL);
		CHECK(memchr(err, 0, sizeof err) != NULL && err[0] != 0);
		free(blob);
		return 0;
	}
	CHECK(m != NULL);
	check_loaded(m, len);

	static const char *const texts[] = {
		"",
		"A young boy discovers he is a wizard and goes to a school of magic.",
		"Two detectives hunt a serial killer through the rain; the killer hunts them back.",
		"\xC3\x89T\xC3\x89 \xE2\x80\x94 caf\xC3\xA9 na\xC3\xAFve \xC2\xA0 \xE2\x80\x9Cquoted\xE2\x80\x9D ZZ zz",
		"aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa",
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		score(m, texts[i], strlen(texts[i]));
	score(m, data, size);

	/* Loading is a pure function of the bytes. */
	tg_model *again = NULL;
	CHECK(tg_model_load(blob, len, &again, err, sizeof err) == 0 && again != NULL);
	CHECK(again->n_labels == m->n_labels && again->n_rows == m->n_rows && again->slot_mask == m->slot_mask);
	CHECK(memcmp(again->mem, m->mem, len) == 0);
	tg_model_free(again);
	tg_model_free(m);
	free(blob);
	return 0;
}
