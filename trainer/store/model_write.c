#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "model_write.h"
#include "checksum.h"
#include "endian_io.h"
#include "error.h"

/* Half full at most: misses, the common case for rare words, stop after a probe or two. */
static uint32_t table_slots_for(uint32_t n_rows)
{
	uint32_t slots = 16;
	while (slots < 2u * n_rows + 1)
		slots <<= 1;
	return slots;
}

/* The label section's size: each name and its NUL, padded to 8. */
static uint64_t labels_bytes_of(const char *const *labels, uint32_t n_labels)
{
	uint64_t bytes = 0;
	for (uint32_t k = 0; k < n_labels && k < TG_MODEL_MAX_LABELS; k++)
		bytes += strlen(labels[k]) + 1;
	return (bytes + 7) & ~(uint64_t)7;
}

/* The blob's length for n_rows rows, or 0 when the format cannot hold them. */
static uint64_t blob_bytes_for(uint32_t n_labels, uint64_t label_bytes, uint32_t n_rows)
{
	tg_model_layout lay;
	if (label_bytes > UINT32_MAX ||
	    tg_model_compute_layout(n_labels, (uint32_t)label_bytes, n_rows, table_slots_for(n_rows), &lay) != 0)
		return 0;
	return lay.total;
}

uint32_t tg_model_rows_within(const char *const *labels, uint32_t n_labels, uint64_t max_bytes)
{
	const uint64_t label_bytes = labels_bytes_of(labels, n_labels);
	/* The length grows with the rows (a step where the table doubles): the last count
	** that fits, by bisection over [0, the format's limit]. */
	uint32_t lo = 0, hi = TG_MODEL_MAX_ROWS;
	const uint64_t none = blob_bytes_for(n_labels, label_bytes, 0);
	if (none == 0 || none > max_bytes)
		return 0;
	while (lo < hi) {
		const uint32_t mid = lo + (hi - lo + 1) / 2;
		const uint64_t bytes = blob_bytes_for(n_labels, label_bytes, mid);
		if (bytes != 0 && bytes <= max_bytes)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static void write_row(unsigned char *p, const float *w, float norm2, uint32_t n_labels)
{
	float max_abs = 0;
	for (uint32_t k = 0; k < n_labels; k++)
		if (fabsf(w[k]) > max_abs)
			max_abs = fabsf(w[k]);
	uint16_t scale_h = tg_float_to_half(max_abs / 127.0f);
	/* Quantize against the scale the reader will see, so rounding the scale costs nothing. */
	float scale = tg_half_to_float(scale_h);
	/* scale then norm2, little-endian halves: one little-endian word. */
	tg_write_le32(p, (uint32_t)scale_h | (uint32_t)tg_float_to_half(norm2) << 16);
	for (uint32_t k = 0; k < n_labels; k++) {
		long q = scale > 0 ? lrintf(w[k] / scale) : 0;
		p[4 + k] = (unsigned char)(int8_t)(q > 127 ? 127 : q < -127 ? -127 : q);
	}
}

typedef struct row_rank {
	float norm2;
	uint32_t r;
} row_rank;

/* By norm2 (idf squared: the features most texts have first), then spec order. */
static int by_norm2(const void *a, const void *b)
{
	const row_rank *x = a, *y = b;
	if (x->norm2 != y->norm2)
		return x->norm2 < y->norm2 ? -1 : 1;
	return x->r < y->r ? -1 : x->r > y->r;
}

/*
** pos[r]: where row r of the spec goes.  The scorer reads the row of every feature a
** text has, and a few thousand common words make up most of those reads (in the
** movie overviews, the 2,000 most frequent features are 59 % of them): laid out first,
** they fill few cache lines and stay cached, where in the spec's order each would
** share its line with rare ones.  Only where rows lie changes, not which feature finds
** which row, so the scores are the same in any order.
*/
static int order_rows(const tg_model_spec *spec, uint32_t *pos)
{
	row_rank *rank = sqlite3_malloc64((uint64_t)(spec->n_rows ? spec->n_rows : 1) * sizeof *rank);
	if (!rank)
		return -1;
	for (uint32_t r = 0; r < spec->n_rows; r++)
		rank[r] = (row_rank){ spec->norm2[r], r };
	qsort(rank, spec->n_rows, sizeof *rank, by_norm2);
	for (uint32_t i = 0; i < spec->n_rows; i++)
		pos[rank[i].r] = i;
	sqlite3_free(rank);
	return 0;
}

int tg_model_write(const tg_model_spec *spec, unsigned char **blob, size_t *len, char *err, size_t errlen)
{
	*blob = NULL;
	*len = 0;
	const uint64_t label_bytes = labels_bytes_of(spec->labels, spec->n_labels);
	uint32_t n_slots = table_slots_for(spec->n_rows);
	tg_model_layout lay;
	if (label_bytes > UINT32_MAX ||
	    tg_model_compute_layout(spec->n_labels, (uint32_t)label_bytes, spec->n_rows, n_slots, &lay) != 0) {
		tg_errf(err, errlen, "model too large for the format (%u labels, %u features)",
		         spec->n_labels, spec->n_rows);
		return -1;
	}
	unsigned char *b = sqlite3_malloc64(lay.total);
	uint32_t *pos = sqlite3_malloc64((uint64_t)(spec->n_rows ? spec->n_rows : 1) * sizeof *pos);
	if (!b || !pos || order_rows(spec, pos) != 0) {
		sqlite3_free(b);
		sqlite3_free(pos);
		tg_errf(err, errlen, "out of memory writing a %llu-byte model", (unsigned long long)lay.total);
		return -1;
	}
	memset(b, 0, lay.total);
	memcpy(b, TG_MODEL_MAGIC, 8);
	tg_write_le32(b + 8, TG_MODEL_FORMAT);
	tg_write_le32(b + 12, TG_MODEL_HEADER_BYTES);
	tg_write_le32(b + 16, TG_TOKENIZER_VERSION);
	tg_write_le32(b + 20, spec->features);
	tg_write_le32(b + 24, spec->n_labels);
	tg_write_le32(b + 28, (uint32_t)label_bytes);
	tg_write_le32(b + 32, spec->n_rows);
	tg_write_le32(b + 36, n_slots);
	tg_write_le64(b + 40, lay.total);

	unsigned char *p = b + lay.labels_at;
	for (uint32_t k = 0; k < spec->n_labels; k++) {
		size_t n = strlen(spec->labels[k]) + 1;
		memcpy(p, spec->labels[k], n);
		p += n;
	}
	for (uint32_t k = 0; k < spec->n_labels; k++) {
		unsigned char *q = b + lay.params_at + (uint64_t)k * sizeof(tg_label_params);
		tg_write_lef32(q, spec->params[k].bias);
		tg_write_lef32(q + 4, spec->params[k].platt_a);
		tg_write_lef32(q + 8, spec->params[k].platt_b);
		tg_write_lef32(q + 12, spec->params[k].threshold);
	}
	const uint32_t row_bits = tg_row_bits(spec->n_rows);
	for (uint32_t r = 0; r < spec->n_rows; r++) {
		uint64_t key = spec->keys[r];
		uint32_t fp = tg_key_fingerprint(key, row_bits);
		uint32_t slot = (uint32_t)key & (n_slots - 1);
		for (;;) {
			unsigned char *s = b + lay.slots_at + (uint64_t)slot * 4;
			uint32_t e = tg_read_le32(s);
			if (e == 0) {
				tg_write_le32(s, fp << row_bits | (pos[r] + 1));
				break;
			}
			if (e >> row_bits == fp) {
				/* Two features the table cannot tell apart: the first one written wins. */
				break;
			}
			slot = (slot + 1) & (n_slots - 1);
		}
		write_row(b + lay.rows_at + (uint64_t)pos[r] * lay.row_stride,
		          spec->weights + (size_t)r * spec->n_labels, spec->norm2[r], spec->n_labels);
	}
	sqlite3_free(pos);
	tg_write_le64(b + TG_MODEL_CHECKSUM_AT, tg_checksum(b, lay.total / 8, TG_MODEL_CHECKSUM_AT / 8));
	*blob = b;
	*len = lay.total;
	return 0;
}
