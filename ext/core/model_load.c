/*
** Model blob loader.  See model.h for the model, FORMAT.md for the bytes, and
** model_score.c for the scorer that runs on what this file accepts.
**
** The loader treats a blob as hostile: every count is bounded before it is used in
** arithmetic, every section must fit the blob exactly, the checksum must match, and
** every value the scorer will later trust (slot targets, floats, label text) is
** checked once here, so the per-row path needs no checks at all.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "glibc_compat.h"

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "model.h"
#include "checksum.h"
#include "error.h"
#include "endian_io.h"
#include "utf8.h"

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
	if (n == 0 || !tg_utf8_valid((const char *)s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int check_labels(tg_model *m, const unsigned char *p, uint32_t bytes, char *err, size_t errlen)
{
	uint32_t at = 0;
	for (uint32_t k = 0; k < m->n_labels; k++) {
		const unsigned char *nul = memchr(p + at, 0, bytes - at);
		if (!nul)
			return tg_errf(err, errlen, "label %u is not terminated", k);
		size_t n = (size_t)(nul - (p + at));
		if (n > TG_MODEL_MAX_LABEL_LEN || !label_is_valid(p + at, n))
			return tg_errf(err, errlen, "label %u is empty, too long or not valid UTF-8", k);
		m->labels[k] = (const char *)(p + at);
		m->label_len[k] = (uint8_t)n;
		for (uint32_t j = 0; j < k; j++)
			if (strcmp(m->labels[j], m->labels[k]) == 0)
				return tg_errf(err, errlen, "label '%s' appears twice", m->labels[k]);
		at += (uint32_t)n + 1;
	}
	for (; at < bytes; at++)
		if (p[at] != 0)
			return tg_errf(err, errlen, "label section has trailing bytes");
	return 0;
}

static int check_params(tg_model *m, char *err, size_t errlen)
{
	for (uint32_t k = 0; k < m->n_labels; k++) {
		const tg_label_params *lp = &m->params[k];
		if (!isfinite(lp->bias) || !isfinite(lp->platt_a) || !isfinite(lp->platt_b) ||
		    !(lp->platt_a > 0) || !(lp->threshold >= 0 && lp->threshold <= 1))
			return tg_errf(err, errlen, "parameters of label '%s' are out of range", m->labels[k]);
		m->bias[k] = lp->bias;
		m->platt_a[k] = lp->platt_a;
		m->platt_b[k] = lp->platt_b;
		double t = lp->threshold;
		/* Thresholds are compared as logits on the per-row path: no exp() per label. */
		m->logit_threshold[k] = t <= 0 ? -INFINITY : t >= 1 ? INFINITY : (float)log(t / (1 - t));
	}
	return 0;
}

/* A used slot must name a row: 1..n_rows in its low row_bits. */
static inline uint32_t slot_is_damaged(uint32_t e, uint32_t row_mask, uint32_t n_rows)
{
	return (uint32_t)(e != 0) & (uint32_t)((e & row_mask) == 0 || (e & row_mask) > n_rows);
}

static int check_slots(const tg_model *m, uint64_t n_slots, char *err, size_t errlen)
{
	/* One pass without a branch on the data (a third of the slots are used, at
	** random); the damaged slot is looked for only when there is one. */
	const uint32_t row_mask = (1u << m->row_bits) - 1, n_rows = m->n_rows;
	uint64_t used = 0;
	uint32_t bad = 0;
	for (uint64_t i = 0; i < n_slots; i++) {
		used += m->slots[i] != 0;
		bad |= slot_is_damaged(m->slots[i], row_mask, n_rows);
	}
	if (bad)
		for (uint64_t i = 0; i < n_slots; i++)
			if (slot_is_damaged(m->slots[i], row_mask, n_rows))
				return tg_errf(err, errlen, "hash slot %llu is damaged", (unsigned long long)i);
	if (used >= n_slots)
		return tg_errf(err, errlen, "hash table has no free slot");
	return 0;
}

/* What check_rows refuses in row r, by bits: 1 a half out of range, 2 padding not zero. */
static inline uint32_t row_faults(const tg_model *m, uint32_t r)
{
	const tg_model_row *row = (const tg_model_row *)(m->rows + (size_t)r * m->row_stride);
	uint32_t pad = 0;
	for (uint32_t k = m->n_labels; k < m->padded_labels; k++)
		pad |= (uint32_t)(row->q[k] != 0);
	return ((uint32_t)!tg_half_is_valid(row->scale) | (uint32_t)!tg_half_is_valid(row->norm2)) | pad << 1;
}

static int check_rows(const tg_model *m, char *err, size_t errlen)
{
	/* Branch-free over all rows; the faulty row is looked for only when there is one. */
	uint32_t bad = 0;
	for (uint32_t r = 0; r < m->n_rows; r++)
		bad |= row_faults(m, r);
	if (!bad)
		return 0;
	for (uint32_t r = 0; r < m->n_rows; r++) {
		const uint32_t f = row_faults(m, r);
		if (f & 1u)
			return tg_errf(err, errlen, "weights of row %u are out of range", r);
		if (f)
			return tg_errf(err, errlen, "padding of row %u is not zero", r);
	}
	return 0;
}

int tg_model_check_header(const void *blob, size_t len, char *err, size_t errlen)
{
	const unsigned char *b = blob;
	if (!b || len < TG_MODEL_HEADER_BYTES || memcmp(b, TG_MODEL_MAGIC, 8) != 0)
		return tg_errf(err, errlen, "not a tg model (bad magic)");
	uint32_t format = tg_read_le32(b + 8);
	if (format != TG_MODEL_FORMAT)
		return tg_errf(err, errlen, "model format %u is not supported (this build reads format %u)",
		            format, TG_MODEL_FORMAT);
	if (tg_read_le32(b + 12) != TG_MODEL_HEADER_BYTES || tg_read_le32(b + 56) != 0 ||
	    tg_read_le32(b + 60) != 0)
		return tg_errf(err, errlen, "model header is damaged");
	uint32_t tokenizer = tg_read_le32(b + 16);
	if (tokenizer != TG_TOKENIZER_VERSION)
		return tg_errf(err, errlen, "model was trained with tokenizer %u; this build has %u",
		            tokenizer, TG_TOKENIZER_VERSION);
	uint32_t features = tg_read_le32(b + 20);
	uint32_t n_labels = tg_read_le32(b + 24), labels_bytes = tg_read_le32(b + 28);
	uint32_t n_rows = tg_read_le32(b + 32), n_slots = tg_read_le32(b + 36);
	uint64_t blob_bytes = tg_read_le64(b + 40);
	if ((features & TG_FEAT_WORDS) == 0 || (features & ~(TG_FEAT_WORDS | TG_FEAT_TITLE)))
		return tg_errf(err, errlen, "model uses unknown features 0x%x (this build knows 0x%x: was it made by a"
		               " newer tg-train? upgrade tg)", features, TG_FEAT_WORDS | TG_FEAT_TITLE);
	if (blob_bytes != len)
		return tg_errf(err, errlen, "model blob is %llu bytes but its header says %llu (truncated?)",
		            (unsigned long long)len, (unsigned long long)blob_bytes);
	if (n_slots < 2 || (n_slots & (n_slots - 1)) != 0)
		return tg_errf(err, errlen, "model hash table size %u is not a power of two", n_slots);
	tg_model_layout lay;
	if (tg_model_compute_layout(n_labels, labels_bytes, n_rows, n_slots, &lay) != 0 || lay.total != len)
		return tg_errf(err, errlen, "model section sizes do not add up to the blob's length");
	return 0;
}

/* The model's one allocation: the struct, then (at a cache-line multiple) the blob. */
#define TG_MODEL_BLOB_AT ((sizeof(tg_model) + 63) & ~(size_t)63)

unsigned char *tg_model_buffer(size_t len)
{
	unsigned char *p = sqlite3_malloc64((sqlite3_uint64)TG_MODEL_BLOB_AT + len);
	return p ? p + TG_MODEL_BLOB_AT : NULL;
}

void tg_model_buffer_free(unsigned char *buf)
{
	if (buf)
		sqlite3_free(buf - TG_MODEL_BLOB_AT);
}

static int checksum_ok(const unsigned char *b, size_t len)
{
	return tg_checksum(b, len / 8, TG_MODEL_CHECKSUM_AT / 8) == tg_read_le64(b + TG_MODEL_CHECKSUM_AT);
}

/* The checks of tg_model_load_buffer after the header's and the checksum; on success
** mem becomes the model.  Returns -1 with the message on the first failure. */
static int make_model(unsigned char *mem, size_t len, tg_model **out, char *err, size_t errlen)
{
	const uint32_t n_labels = tg_read_le32(mem + 24), labels_bytes = tg_read_le32(mem + 28);
	const uint32_t n_rows = tg_read_le32(mem + 32), n_slots = tg_read_le32(mem + 36);
	tg_model_layout lay;
	if (tg_model_compute_layout(n_labels, labels_bytes, n_rows, n_slots, &lay) != 0)
		return tg_errf(err, errlen, "model section sizes do not add up to the blob's length");   /* checked already */
	if (!tg_host_is_little_endian()) {
		swap_to_host(mem + lay.params_at, (uint64_t)n_labels * sizeof(tg_label_params), 4);
		swap_to_host(mem + lay.slots_at, (uint64_t)n_slots * 4, 4);
		for (uint32_t r = 0; r < n_rows; r++)
			swap_to_host(mem + lay.rows_at + (uint64_t)r * lay.row_stride, 4, 2);
	}
	tg_model *m = (tg_model *)(void *)(mem - TG_MODEL_BLOB_AT);
	memset(m, 0, sizeof *m);
	m->mem = mem;
	m->mem_bytes = len;
	m->n_labels = n_labels;
	m->padded_labels = lay.padded_labels;
	m->n_rows = n_rows;
	m->slot_mask = n_slots - 1;
	m->row_bits = tg_row_bits(n_rows);
	m->row_stride = lay.row_stride;
	m->avx2 = tg_cpu_has_avx2_f16c();
	m->features = tg_read_le32(mem + 20);
	m->params = (const tg_label_params *)(mem + lay.params_at);
	m->slots = (const uint32_t *)(mem + lay.slots_at);
	m->rows = mem + lay.rows_at;
	if (check_labels(m, mem + lay.labels_at, labels_bytes, err, errlen) != 0 ||
	    check_params(m, err, errlen) != 0 || check_slots(m, n_slots, err, errlen) != 0 ||
	    check_rows(m, err, errlen) != 0)
		return -1;
	*out = m;
	return 0;
}

/* The checks a blob passes before any byte of it is copied or trusted. */
static int check_blob(const unsigned char *b, size_t len, char *err, size_t errlen)
{
	if (tg_model_check_header(b, len, err, errlen) != 0)
		return -1;
	if (!checksum_ok(b, len))
		return tg_errf(err, errlen, "model checksum mismatch (damaged blob)");
	return 0;
}

/* make_model for a buffer from tg_model_buffer, freed when refused. */
static int adopt_buffer(unsigned char *mem, size_t len, tg_model **out, char *err, size_t errlen)
{
	if (make_model(mem, len, out, err, errlen) == 0)
		return 0;
	tg_model_buffer_free(mem);
	return -1;
}

int tg_model_load_buffer(unsigned char *buf, size_t len, tg_model **out, char *err, size_t errlen)
{
	*out = NULL;
	if (check_blob(buf, len, err, errlen) != 0) {
		tg_model_buffer_free(buf);
		return -1;
	}
	return adopt_buffer(buf, len, out, err, errlen);
}

int tg_model_load(const void *blob, size_t len, tg_model **out, char *err, size_t errlen)
{
	*out = NULL;
	/* Refused blobs are not copied. */
	if (check_blob(blob, len, err, errlen) != 0)
		return -1;
	unsigned char *mem = tg_model_buffer(len);
	if (!mem)
		return tg_errf(err, errlen, "out of memory loading a %llu-byte model", (unsigned long long)len);
	memcpy(mem, blob, len);
	return adopt_buffer(mem, len, out, err, errlen);
}

void tg_model_free(tg_model *m)
{
	if (m)
		tg_model_buffer_free(m->mem);
}
