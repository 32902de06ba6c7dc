/*
** A small hand-made genre model for the hardening tests and fuzz seeds: a few words
** and bigrams per genre, written with the trainer's own tg_model_write, so the blob
** is exactly what the trainer would store.
*/
#ifndef TG_HARDENING_TESTMODEL_H
#define TG_HARDENING_TESTMODEL_H

#include <stddef.h>

/* Variants: 0 five genres, unigrams + bigrams; 1 one genre, unigrams only;
** 2 many labels (64), unigrams + bigrams; 3 no feature rows at all. */
#define TG_TESTMODEL_VARIANTS 4

/* Builds variant v; *blob from sqlite3_malloc64 (free with sqlite3_free).
** Returns 0, or -1 with a message on stderr. */
int tg_testmodel_build(unsigned v, unsigned char **blob, size_t *len);

/* Texts the tests score, NULL-terminated; each mentions words of the model. */
extern const char *const tg_testmodel_texts[];

#endif
