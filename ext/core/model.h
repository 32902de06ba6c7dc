/*
** The model: its blob format (ext/FORMAT.md), the loader that checks a blob before
** trusting any of it, and the scorer.  Shared by the extension, which loads blobs
** from the registry, and the trainer, which writes them and scores its test split
** with the very blob it stores.
**
** A loaded model is one allocation: this struct, then a copy of the blob, with every
** pointer below pointing into it.  Nothing is rebuilt at load time, so loading costs
** a copy (read straight into place by the extension, see tg_model_buffer), a checksum
** and a validation pass.
*/
#ifndef TG_MODEL_H
#define TG_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "feature_keys.h"
#include "half.h"

#define TG_MODEL_MAGIC          "TGMODEL"     /* 8 bytes with its NUL */
#define TG_MODEL_FORMAT         1u
/* The name of a model when none is given: tg-train stores under it, the SQL
** functions look it up. */
#define TG_DEFAULT_MODEL "genre"

#define TG_MODEL_HEADER_BYTES   64u
#define TG_MODEL_MAX_LABELS     64u
#define TG_MODEL_MAX_LABEL_LEN  255u
#define TG_MODEL_MAX_ROWS       ((1u << 24) - 1)
#define TG_MODEL_MAX_SLOTS      (1u << 26)
#define TG_MODEL_MIN_FP_BITS    8u            /* fingerprint bits left beside the row index */
#define TG_MODEL_MAX_BLOB       ((uint64_t)1 << 30)
#define TG_MODEL_CHECKSUM_AT    48u

/* Weights are quantized per row: w = scale * q[k].  Labels are padded to a multiple
** of 4 so the accumulation loop has a fixed width the compiler vectorizes. */
typedef struct tg_model_row {
	uint16_t scale;  /* half */
	uint16_t norm2;  /* half: this feature's share of the squared norm, per occurrence */
	int8_t q[];      /* padded_labels weights; the padding is zero */
} tg_model_row;

static inline float tg_row_scale(const tg_model_row *r)
{
	return tg_half_to_float(r->scale);
}

static inline float tg_row_norm2(const tg_model_row *r)
{
	return tg_half_to_float(r->norm2);
}

/* Per-label parameters: margin s = bias + sum/sqrt(norm2); calibrated logit
** z = platt_a * s + platt_b; probability sigmoid(z); tagged when prob >= threshold. */
typedef struct tg_label_params {
	float bias;
	float platt_a;   /* > 0, so ordering by z is ordering by probability */
	float platt_b;
	float threshold; /* probability in [0, 1] */
} tg_label_params;

/* Where each section lies, derived from the counts alone: writer and loader both
** call tg_model_compute_layout, so they cannot disagree. */
typedef struct tg_model_layout {
	uint64_t labels_at, params_at, slots_at, rows_at, total;
	uint32_t padded_labels, row_stride;
} tg_model_layout;

int tg_model_compute_layout(uint32_t n_labels, uint32_t labels_bytes, uint32_t n_rows,
                    uint32_t n_slots, tg_model_layout *out);

typedef struct tg_model {
	void *mem;                     /* the blob copy, in this struct's allocation; everything points into it */
	size_t mem_bytes;
	uint32_t n_labels, padded_labels, n_rows, slot_mask, row_stride, features;
	uint32_t row_bits;             /* a slot is fingerprint << row_bits | (row + 1) */
	uint32_t avx2;                 /* 1: add rows with the AVX2 and F16C kernel (set at load where the processor has both) */
	const char *labels[TG_MODEL_MAX_LABELS];
	uint8_t label_len[TG_MODEL_MAX_LABELS];   /* strlen of each label (at most 255) */
	const tg_label_params *params;
	float logit_threshold[TG_MODEL_MAX_LABELS];
	/* params[k].bias, .platt_a and .platt_b as doubles, side by side for tg_model_logits */
	double bias[TG_MODEL_MAX_LABELS], platt_a[TG_MODEL_MAX_LABELS], platt_b[TG_MODEL_MAX_LABELS];
	const uint32_t *slots;         /* 0 = empty */
	const unsigned char *rows;
} tg_model;

/* Runs CALL with TG_W a constant for each padded label count up to 32 (so that loops
** over the labels unroll and keep their values in registers), and equal to width
** beyond. */
#define TG_BY_WIDTH(width, CALL)                                                             \
	do {                                                                                 \
		switch (width) {                                                             \
		case 4: { enum { TG_W = 4 }; CALL; } break;                                  \
		case 8: { enum { TG_W = 8 }; CALL; } break;                                  \
		case 12: { enum { TG_W = 12 }; CALL; } break;                                \
		case 16: { enum { TG_W = 16 }; CALL; } break;                                \
		case 20: { enum { TG_W = 20 }; CALL; } break;                                \
		case 24: { enum { TG_W = 24 }; CALL; } break;                                \
		case 28: { enum { TG_W = 28 }; CALL; } break;                                \
		case 32: { enum { TG_W = 32 }; CALL; } break;                                \
		default: { const uint32_t TG_W = (width); CALL; } break;                     \
		}                                                                            \
	} while (0)

/* Checks and loads a blob.  Returns 0, or -1 with a message (from a static table
** or written into err) describing the first problem found; *out is NULL then.
** Memory comes from sqlite3_malloc64, so SQLite's allocator hooks see it. */
int tg_model_load(const void *blob, size_t len, tg_model **out, char *err, size_t errlen);
void tg_model_free(tg_model *m);

/*
** Loading without a copy, for a blob read piece by piece (sqlite3_blob_read):
** tg_model_check_header() runs the checks that need only the first 64 bytes (or
** fewer, when len is less) and the length, before anything is allocated;
** tg_model_buffer() gives len bytes, inside what will be the model's allocation, to
** fill with the blob; tg_model_load_buffer() then checks them all as tg_model_load
** does and makes them the model, or frees them.  tg_model_buffer_free() frees a
** buffer that never reached tg_model_load_buffer.
*/
int tg_model_check_header(const void *blob, size_t len, char *err, size_t errlen);

/* The kernels this process scores with, as tg_debug() reports them: "avx2+f16c",
** "sse2" or "portable C" (chosen from CPUID once per process). */
const char *tg_simd_path(void);
/* 1 where this processor (and OS) runs the AVX2+F16C kernel; asked once per process. */
uint32_t tg_cpu_has_avx2_f16c(void);
unsigned char *tg_model_buffer(size_t len);
void tg_model_buffer_free(unsigned char *buf);
int tg_model_load_buffer(unsigned char *buf, size_t len, tg_model **out, char *err, size_t errlen);

/* Bits a slot gives the row number (row + 1, so that 0 can mean empty). */
static inline uint32_t tg_row_bits(uint32_t n_rows)
{
	uint32_t bits = 1;
	while (bits < 32 && ((uint64_t)1 << bits) <= n_rows)
		bits++;
	return bits;
}

/* The key's fingerprint in the bits above the row number: its top bits, which the
** slot position (its low bits) does not already tell. */
static inline uint32_t tg_key_fingerprint(uint64_t key, uint32_t row_bits)
{
	return (uint32_t)(key >> (32 + row_bits));
}

static inline const tg_model_row *tg_model_lookup(const tg_model *m, uint64_t key)
{
	const uint32_t fp = tg_key_fingerprint(key, m->row_bits), row_mask = (1u << m->row_bits) - 1;
	uint32_t slot = (uint32_t)key & m->slot_mask;
	/* The loader guarantees an empty slot, so this ends.  A different key with the same
	** fingerprint on the probe path would be taken for this one: with >= 8 fingerprint
	** bits and a half-empty table that is rarer than 1 in 256 lookups of unknown words
	** (16 bits, 1 in 65536, for models under 65536 rows), the hashing trick's usual price. */
	for (;;) {
		uint32_t e = m->slots[slot];
		if (e == 0)
			return NULL;
		if (e >> m->row_bits == fp)
			return (const tg_model_row *)(m->rows + (size_t)((e & row_mask) - 1) * m->row_stride);
		slot = (slot + 1) & m->slot_mask;
	}
}

/* What a text adds up to; the per-row state of prediction, on the caller's stack. */
typedef struct tg_sums {
	float acc[TG_MODEL_MAX_LABELS];
	double norm2;
	uint64_t n_tokens;
	uint64_t n_known;   /* feature occurrences found in the model */
} tg_sums;

/*
** Sums the rows of the text's features: for each key found, in text order,
** acc[k] += scale * q[k] (floats) and norm2 += norm2 (double); acc beyond the labels
** is 0.  The same sums as a loop over tg_features_next and tg_model_lookup, computed
** faster (model.c): tokens by tg_hash_scan_next, keys in batches whose slots and then
** rows are prefetched, lookups and adds with SSE2 where there is SSE2.
*/
void tg_model_accumulate(const tg_model *m, const void *text, size_t len, tg_sums *sums);

/* Calibrated logits z[k] for every label from the sums. */
void tg_model_logits(const tg_model *m, const tg_sums *sums, float *z);

/* Index of the best label of z. */
uint32_t tg_model_top(const tg_model *m, const float *z);

static inline int tg_model_tagged(const tg_model *m, const float *z, uint32_t k)
{
	return z[k] >= m->logit_threshold[k];
}

double tg_sigmoid(double z);

/* The share of a calibrated logit that one feature row adds, for explanations. */
float tg_model_contribution(const tg_model *m, const tg_model_row *row, uint32_t k, double norm2);

#endif
