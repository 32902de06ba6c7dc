#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"
#include "dataset.h"

/* C's %, like SQL's: `WHERE id % 10 = 0` selects the same test films in any tool. */
tg_split tg_split_of(int64_t id)
{
	int64_t r = id % 10;
	return r == 0 ? TG_SPLIT_TEST : r == 1 ? TG_SPLIT_VALIDATION : TG_SPLIT_TRAIN;
}

const char *tg_split_name(tg_split s)
{
	return s == TG_SPLIT_TEST ? "test" : s == TG_SPLIT_VALIDATION ? "validation" : "train";
}

int tg_dataset_push(tg_dataset *d, tg_movie *m)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 4096;
		tg_movie *mv = realloc(d->movies, cap * sizeof *mv);
		if (!mv)
			return -1;
		d->movies = mv;
		d->cap = cap;
	}
	d->movies[d->n++] = *m;
	memset(m, 0, sizeof *m);
	return 0;
}

int tg_dataset_push_malformed(tg_dataset *d, long line, const char *why)
{
	if (d->n_malformed == d->cap_malformed) {
		size_t cap = d->cap_malformed ? 2 * d->cap_malformed : 16;
		tg_malformed *mf = realloc(d->malformed, cap * sizeof *mf);
		if (!mf)
			return -1;
		d->malformed = mf;
		d->cap_malformed = cap;
	}
	tg_malformed *x = &d->malformed[d->n_malformed++];
	x->line = line;
	snprintf(x->why, sizeof x->why, "%s", why);
	return 0;
}

void tg_dataset_free(tg_dataset *d)
{
	for (size_t i = 0; i < d->n; i++)
		tg_movie_clear(&d->movies[i]);
	free(d->movies);
	free(d->malformed);
	memset(d, 0, sizeof *d);
}

int tg_dataset_read_csv(tg_dataset *d, const char *path, size_t max_record_bytes,
                        tg_progress *progress, char sha256_hex[65], char *err, size_t errlen)
{
	tg_csv_reader *r = tg_csv_open(path, max_record_bytes, err, errlen);
	if (!r)
		return -1;
	tg_movie m = { 0 };
	char why[256];
	int rc;
	while ((rc = tg_csv_next(r, &m, why, sizeof why)) != TG_CSV_EOF) {
		if (rc == TG_CSV_ERROR) {
			snprintf(err, errlen, "%s", why);
			break;
		}
		if ((rc == TG_CSV_ROW ? tg_dataset_push(d, &m) : tg_dataset_push_malformed(d, m.line, why)) != 0) {
			snprintf(err, errlen, "out of memory after %zu films", d->n);
			rc = TG_CSV_ERROR;
			break;
		}
		tg_movie_clear(&m);
		if (progress && (d->n & 255) == 0)
			tg_progress_update(progress, (uint64_t)tg_csv_bytes_read(r));
	}
	tg_movie_clear(&m);
	tg_csv_sha256_hex(r, sha256_hex);
	tg_csv_close(r);
	return rc == TG_CSV_EOF ? 0 : -1;
}
