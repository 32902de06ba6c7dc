/*
** The films read from a source, kept in memory (only what training and the movies
** table need: the text and a few short fields), with the records that could not be
** used.  Their strings live in one arena (arena.h), not in allocations of their own.
*/
#ifndef TG_DATASET_H
#define TG_DATASET_H

#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "movie.h"
#include "progress.h"

typedef struct tg_malformed {
	long line;
	char why[120];
} tg_malformed;

typedef struct tg_dataset {
	tg_movie *movies;
	size_t n, cap;
	tg_malformed *malformed;
	size_t n_malformed, cap_malformed;
	tg_arena strings;   /* every string of movies[] */
} tg_dataset;

/* Reads every record of a movies_metadata-shaped CSV.  Malformed records are
** skipped and listed; a fatal error returns -1 with a message naming the line.
** progress (may be NULL) hears the bytes read so far.
** sha256_hex receives the fingerprint of the bytes read. */
int tg_dataset_read_csv(tg_dataset *d, const char *path, size_t max_record_bytes,
                        const tg_progress *progress, char sha256_hex[65], char *err, size_t errlen);
/* Copies *m's strings into the dataset and clears *m (its strings are freed, the
** struct zeroed), also when out of memory (-1). */
int tg_dataset_push(tg_dataset *d, tg_movie *m);
int tg_dataset_push_malformed(tg_dataset *d, long line, const char *why);
void tg_dataset_free(tg_dataset *d);

/* The split is a function of the TMDB id alone, so any tool can reproduce it. */
typedef enum { TG_SPLIT_TRAIN, TG_SPLIT_VALIDATION, TG_SPLIT_TEST } tg_split;
tg_split tg_split_of(int64_t id);
const char *tg_split_name(tg_split s);

#endif
