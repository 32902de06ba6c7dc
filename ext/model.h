/*
** The model: its blob format (ext/FORMAT.md), the loader that checks a blob before
** trusting any of it, and the scorer.  Shared by the extension, which loads blobs
** from the registry, and the trainer, which writes them and scores its test split
** with the very blob it stores.
**
** A loaded model is one allocation: a copy of the blob, with every pointer below
** pointing into it.  Nothing is rebuilt at load time, so loading costs a copy, a
** checksum and a validation pass.
*/
#ifndef TG_MODEL_H
#define TG_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "feature_keys.h"

#define TG_MODEL_MAGIC          "TGMODEL"     /* 8 bytes with its NUL */
#define TG_MODEL_FORMAT         1u
#define TG_MODEL_HEADER_BYTES   64u
#define TG_MODEL_MAX_LABELS     64u
#define TG_MODEL_MAX_LABEL_LEN  255u
#define TG_MODEL_MAX_ROWS       (1u << 24)
#define TG_MODEL_MAX_SLOTS      (1u << 26)
#define TG_MODEL_MAX_BLOB       ((uint64_t)1 << 30)
#define TG_MODEL_CHECKSUM_AT    48u

/* Weights are quantized per row: w = scale * q[k].  Labels are padded to a multiple
** of 8 so the accumulation loop has a fixed width the compiler vectorizes. */
typedef struct tg_model_row {
	float scale;
	float norm2;     /* this feature's share of the squared norm, per occurrence */
	int8_t q[];      /* padded_labels weights; the padding is zero */
} tg_model_row;

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
	void *mem;                     /* the blob copy; everything points into it */
	size_t mem_bytes;
	uint32_t n_labels, padded_labels, n_rows, slot_mask, row_stride, features;
	const char *labels[TG_MODEL_MAX_LABELS];
	const tg_label_params *params;
	float logit_threshold[TG_MODEL_MAX_LABELS];
	const uint64_t *slots;         /* 0 = empty, else fingerprint << 32 | row */
	const unsigned char *rows;
} tg_model;

/* Checks and loads a blob.  Returns 0, or -1 with a message (from a static table
** or written into err) describing the first problem found; *out is NULL then.
** Memory comes from sqlite3_malloc64, so SQLite's allocator hooks see it. */
int tg_model_load(const void *blob, size_t len, tg_model **out, char *err, size_t errlen);
void tg_model_free(tg_model *m);

/* The stored fingerprint of a key; never 0, so 0 marks an empty slot. */
static inline uint32_t tg_key_fingerprint(uint64_t key)
{
	return (uint32_t)(key >> 32) | 1u;
}

static inline const tg_model_row *tg_model_lookup(const tg_model *m, uint64_t key)
{
	uint32_t fp = tg_key_fingerprint(key);
	uint32_t slot = (uint32_t)key & m->slot_mask;
	/* The loader guarantees an empty slot, so this ends. */
	for (;;) {
		uint64_t e = m->slots[slot];
		if (e == 0)
			return NULL;
		if ((uint32_t)(e >> 32) == fp)
			return (const tg_model_row *)(m->rows + (size_t)(uint32_t)e * m->row_stride);
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
