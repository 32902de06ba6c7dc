/*
** Serializes a trained linear model into the blob format of ext/FORMAT.md:
** quantizes each feature's weights to int8 with a per-row scale and lays the
** features out in an open-addressing table keyed by feature key.
*/
#ifndef TG_MODEL_WRITE_H
#define TG_MODEL_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

typedef struct tg_model_spec {
	uint32_t features;                 /* TG_FEAT_* bits */
	uint32_t n_labels;
	const char *const *labels;         /* n_labels names */
	const tg_label_params *params;     /* n_labels */
	uint32_t n_rows;
	const uint64_t *keys;              /* n_rows distinct feature keys */
	const float *weights;              /* n_rows x n_labels, row-major */
	const float *norm2;                /* n_rows */
} tg_model_spec;

/* The most rows a blob of these labels can have within max_bytes (0 when not even an
** empty one fits): how many rows a byte budget keeps (cli/pipeline.c). */
uint32_t tg_model_rows_within(const char *const *labels, uint32_t n_labels, uint64_t max_bytes);

/* Builds the blob in memory from sqlite3_malloc64 (free with sqlite3_free).
** Returns 0, or -1 with a message in err. */
int tg_model_write(const tg_model_spec *spec, unsigned char **blob, size_t *len, char *err, size_t errlen);

#endif
