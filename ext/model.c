/*
** Model blob loader and scorer.  See model.h for the model, FORMAT.md for the bytes.
**
** The loader treats a blob as hostile: every count is bounded before it is used in
** arithmetic, every section must fit the blob exactly, the checksum must match, and
** every value the scorer will later trust (slot targets, floats, label text) is
** checked once here, so the per-row path needs no checks at all.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "model.h"
#include "checksum.h"
#include "endian_io.h"

static uint64_t round_up8(uint64_t n)
{
	return (n + 7) & ~(uint64_t)7;
}

int tg_model_compute_layout(uint32_t n_labels, uint32_t labels_bytes, uint32_t n_rows,
                    uint32_t n_slots, tg_model_layout *out)
{
	if (n_labels == 0 || n_labels > TG_MODEL_MAX_LABELS || labels_bytes % 8 != 0 ||
	    labels_bytes > n_labels * (TG_MODEL_MAX_LABEL_LEN + 1) + 8 ||
	    n_rows > TG_MODEL_MAX_ROWS || n_slots > TG_MODEL_MAX_SLOTS)
		return -1;
	/* All counts are bounded above, so none of these sums can overflow 64 bits. */
	out->padded_labels = (n_labels + 3) & ~3u;
	out->row_stride = 4 + out->padded_labels;
	out->labels_at = TG_MODEL_HEADER_BYTES;
	out->params_at = out->labels_at + labels_bytes;
	out->slots_at = round_up8(out->params_at + (uint64_t)n_labels * sizeof(tg_label_params));
	out->rows_at = round_up8(out->slots_at + (uint64_t)n_slots * 4);
	out->total = round_up8(out->rows_at + (uint64_t)n_rows * out->row_stride);
	return 0;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Stored little-endian; a big-endian host swaps its copy once, here. */
static void swap_to_host(unsigned char *p, uint64_t bytes, unsigned width)
{
	for (uint64_t i = 0; i + width <= bytes; i += width)
		for (unsigned a = 0, b = width - 1; a < b; a++, b--) {
			unsigned char t = p[i + a];
			p[i + a] = p[i + b];
			p[i + b] = t;
		}
}

/* Valid, non-empty UTF-8 with no control characters. */
static int label_is_valid(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t need;
		uint32_t cp;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1, cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, cp = c & 0x07;
		} else {
			return 0;
		}
		for (size_t j = 1; j <= need; j++) {
			if (i + j >= n || (s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		static const uint32_t min_cp[4] = { 0, 0x80, 0x800, 0x10000 };
		if (cp < min_cp[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

static int check_labels(tg_model *m, const unsigned char *p, uint32_t bytes, char *err, size_t errlen)
{
	uint32_t at = 0;
	for (uint32_t k = 0; k < m->n_labels; k++) {
		const unsigned char *nul = memchr(p + at, 0, bytes - at);
		if (!nul)
			return fail(err, errlen, "label %u is not terminated", k);
		size_t n = (size_t)(nul - (p + at));
		if (n > TG_MODEL_MAX_LABEL_LEN || !label_is_valid(p + at, n))
			return fail(err, errlen, "label %u is empty, too long or not valid UTF-8", k);
		m->labels[k] = (const char *)(p + at);
		for (uint32_t j = 0; j < k; j++)
			if (strcmp(m->labels[j], m->labels[k]) == 0)
				return fail(err, errlen, "label '%s' appears twice", m->labels[k]);
		at += (uint32_t)n + 1;
	}
	for (; at < bytes; at++)
		if (p[at] != 0)
			return fail(err, errlen, "label section has trailing bytes");
	return 0;
}

static int check_params(tg_model *m, char *err, size_t errlen)
{
	for (uint32_t k = 0; k < m->n_labels; k++) {
		const tg_label_params *lp = &m->params[k];
		if (!isfinite(lp->bias) || !isfinite(lp->platt_a) || !isfinite(lp->platt_b) ||
		    !(lp->platt_a > 0) || !(lp->threshold >= 0 && lp->threshold <= 1))
			return fail(err, errlen, "parameters of label '%s' are out of range", m->labels[k]);
		double t = lp->threshold;
		/* Thresholds are compared as logits on the per-row path: no exp() per label. */
		m->logit_threshold[k] = t <= 0 ? -INFINITY : t >= 1 ? INFINITY : (float)log(t / (1 - t));
	}
	return 0;
}

static int check_slots(const tg_model *m, uint64_t n_slots, char *err, size_t errlen)
{
	uint64_t used = 0;
	const uint32_t row_mask = (1u << m->row_bits) - 1;
	for (uint64_t i = 0; i < n_slots; i++) {
		uint32_t e = m->slots[i];
		if (e == 0)
			continue;
		used++;
		if ((e & row_mask) == 0 || (e & row_mask) > m->n_rows)
			return fail(err, errlen, "hash slot %llu is damaged", (unsigned long long)i);
	}
	if (used >= n_slots)
		return fail(err, errlen, "hash table has no free slot");
	return 0;
}

static int check_rows(const tg_model *m, char *err, size_t errlen)
{
	for (uint32_t r = 0; r < m->n_rows; r++) {
		const tg_model_row *row = (const tg_model_row *)(m->rows + (size_t)r * m->row_stride);
		if (!tg_half_is_valid(row->scale) || !tg_half_is_valid(row->norm2))
			return fail(err, errlen, "weights of row %u are out of range", r);
		for (uint32_t k = m->n_labels; k < m->padded_labels; k++)
			if (row->q[k] != 0)
				return fail(err, errlen, "padding of row %u is not zero", r);
	}
	return 0;
}

int tg_model_load(const void *blob, size_t len, tg_model **out, char *err, size_t errlen)
{
	const unsigned char *b = blob;
	*out = NULL;
	if (!b || len < TG_MODEL_HEADER_BYTES || memcmp(b, TG_MODEL_MAGIC, 8) != 0)
		return fail(err, errlen, "not a tg model (bad magic)");
	uint32_t format = tg_read_le32(b + 8);
	if (format != TG_MODEL_FORMAT)
		return fail(err, errlen, "model format %u is not supported (this build reads format %u)",
		            format, TG_MODEL_FORMAT);
	if (tg_read_le32(b + 12) != TG_MODEL_HEADER_BYTES || tg_read_le32(b + 56) != 0 ||
	    tg_read_le32(b + 60) != 0)
		return fail(err, errlen, "model header is damaged");
	uint32_t tokenizer = tg_read_le32(b + 16);
	if (tokenizer != TG_TOKENIZER_VERSION)
		return fail(err, errlen, "model was trained with tokenizer %u; this build has %u",
		            tokenizer, TG_TOKENIZER_VERSION);
	uint32_t features = tg_read_le32(b + 20);
	uint32_t n_labels = tg_read_le32(b + 24), labels_bytes = tg_read_le32(b + 28);
	uint32_t n_rows = tg_read_le32(b + 32), n_slots = tg_read_le32(b + 36);
	uint64_t blob_bytes = tg_read_le64(b + 40);
	if (features == 0 || (features & ~(TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM)))
		return fail(err, errlen, "model uses unknown features 0x%x", features);
	if (blob_bytes != len)
		return fail(err, errlen, "model blob is %llu bytes but its header says %llu (truncated?)",
		            (unsigned long long)len, (unsigned long long)blob_bytes);
	if (n_slots < 2 || (n_slots & (n_slots - 1)) != 0)
		return fail(err, errlen, "model hash table size %u is not a power of two", n_slots);
	tg_model_layout lay;
	if (tg_model_compute_layout(n_labels, labels_bytes, n_rows, n_slots, &lay) != 0 || lay.total != len)
		return fail(err, errlen, "model section sizes do not add up to the blob's length");
	if (tg_checksum(b, len / 8, TG_MODEL_CHECKSUM_AT / 8) != tg_read_le64(b + TG_MODEL_CHECKSUM_AT))
		return fail(err, errlen, "model checksum mismatch (damaged blob)");

	tg_model *m = sqlite3_malloc64(sizeof *m);
	unsigned char *mem = sqlite3_malloc64(len);
	if (!m || !mem) {
		sqlite3_free(m);
		sqlite3_free(mem);
		return fail(err, errlen, "out of memory loading a %llu-byte model", (unsigned long long)len);
	}
	memset(m, 0, sizeof *m);
	memcpy(mem, b, len);
	if (!tg_host_is_little_endian()) {
		swap_to_host(mem + lay.params_at, (uint64_t)n_labels * sizeof(tg_label_params), 4);
		swap_to_host(mem + lay.slots_at, (uint64_t)n_slots * 4, 4);
		for (uint32_t r = 0; r < n_rows; r++)
			swap_to_host(mem + lay.rows_at + (uint64_t)r * lay.row_stride, 4, 2);
	}
	m->mem = mem;
	m->mem_bytes = len;
	m->n_labels = n_labels;
	m->padded_labels = lay.padded_labels;
	m->n_rows = n_rows;
	m->slot_mask = n_slots - 1;
	m->row_bits = tg_row_bits(n_rows);
	m->row_stride = lay.row_stride;
	m->features = features;
	m->params = (const tg_label_params *)(mem + lay.params_at);
	m->slots = (const uint32_t *)(mem + lay.slots_at);
	m->rows = mem + lay.rows_at;
	if (check_labels(m, mem + lay.labels_at, labels_bytes, err, errlen) != 0 ||
	    check_params(m, err, errlen) != 0 || check_slots(m, n_slots, err, errlen) != 0 ||
	    check_rows(m, err, errlen) != 0) {
		tg_model_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

void tg_model_free(tg_model *m)
{
	if (!m)
		return;
	sqlite3_free(m->mem);
	sqlite3_free(m);
}

void tg_model_accumulate(const tg_model *m, const void *text, size_t len, tg_sums *sums)
{
	float acc[TG_MODEL_MAX_LABELS] = { 0 };
	double norm2 = 0;
	uint64_t n_tokens = 0, n_known = 0;
	const uint32_t width = m->padded_labels;
	tg_feature_iter it;
	tg_token tok;
	uint64_t keys[2];
	const unsigned char *prev_start;
	int n;

	tg_features_init(&it, text, len, m->features);
	while ((n = tg_features_next(&it, &tok, keys, &prev_start)) >= 0) {
		n_tokens++;
		for (int i = 0; i < n; i++) {
			const tg_model_row *row = tg_model_lookup(m, keys[i]);
			if (!row)
				continue;
			n_known++;
			norm2 += tg_row_norm2(row);
			const float s = tg_row_scale(row);
			for (uint32_t k = 0; k < width; k += 4)
				for (uint32_t j = 0; j < 4; j++)
					acc[k + j] += s * (float)row->q[k + j];
		}
	}
	memcpy(sums->acc, acc, sizeof acc);
	sums->norm2 = norm2;
	sums->n_tokens = n_tokens;
	sums->n_known = n_known;
}

void tg_model_logits(const tg_model *m, const tg_sums *sums, float *z)
{
	double inv_norm = sums->norm2 > 0 ? 1.0 / sqrt(sums->norm2) : 0.0;
	for (uint32_t k = 0; k < m->n_labels; k++) {
		const tg_label_params *lp = &m->params[k];
		double margin = lp->bias + sums->acc[k] * inv_norm;
		z[k] = (float)(lp->platt_a * margin + lp->platt_b);
	}
}

uint32_t tg_model_top(const tg_model *m, const float *z)
{
	uint32_t best = 0;
	for (uint32_t k = 1; k < m->n_labels; k++)
		if (z[k] > z[best])
			best = k;
	return best;
}

double tg_sigmoid(double z)
{
	return z >= 0 ? 1.0 / (1.0 + exp(-z)) : exp(z) / (1.0 + exp(z));
}

float tg_model_contribution(const tg_model *m, const tg_model_row *row, uint32_t k, double norm2)
{
	if (norm2 <= 0)
		return 0;
	return (float)(m->params[k].platt_a * tg_row_scale(row) * row->q[k] / sqrt(norm2));
}
