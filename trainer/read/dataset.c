#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"
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

/* m's strings, copied into the arena. */
static int copy_strings(tg_arena *a, const tg_movie *m, tg_movie *out)
{
	int ok = 1;
	*out = *m;
	out->title = tg_arena_strdup(a, m->title, m->title ? strlen(m->title) : 0, &ok);
	out->overview = tg_arena_strdup(a, m->overview, m->overview ? m->overview_len : 0, &ok);
	out->release_date = tg_arena_strdup(a, m->release_date, m->release_date ? strlen(m->release_date) : 0, &ok);
	out->original_language = tg_arena_strdup(a, m->original_language,
	                                         m->original_language ? strlen(m->original_language) : 0, &ok);
	if (m->genres) {
		out->genres = tg_arena_alloc(a, m->n_genres * sizeof *out->genres);
		ok &= out->genres != NULL;
		for (size_t g = 0; ok && g < m->n_genres; g++)
			out->genres[g] = tg_arena_strdup(a, m->genres[g], m->genres[g] ? strlen(m->genres[g]) : 0, &ok);
	}
	return ok ? 0 : -1;
}

int tg_dataset_push(tg_dataset *d, tg_movie *m)
{
	tg_movie *mv = tg_grow(d->movies, &d->cap, d->n + 1, sizeof *mv, 4096);
	int rc = mv ? 0 : -1;
	if (mv) {
		d->movies = mv;
		rc = copy_strings(&d->strings, m, &d->movies[d->n]);
	}
	d->n += rc == 0;
	tg_movie_clear(m);
	return rc;
}

int tg_dataset_push_malformed(tg_dataset *d, long line, const char *why)
{
	tg_malformed *mf = tg_grow(d->malformed, &d->cap_malformed, d->n_malformed + 1, sizeof *mf, 16);
	if (!mf)
		return -1;
	d->malformed = mf;
	tg_malformed *x = &d->malformed[d->n_malformed++];
	x->line = line;
	snprintf(x->why, sizeof x->why, "%s", why);
	return 0;
}

void tg_dataset_free(tg_dataset *d)
{
	free(d->movies);
	tg_arena_free(&d->strings);
	free(d->malformed);
	memset(d, 0, sizeof *d);
}

int tg_dataset_read_csv(tg_dataset *d, const char *path, size_t max_record_bytes,
                        const tg_progress *progress, char sha256_hex[65], char *err, size_t errlen)
{
	tg_csv_reader *r = tg_csv_open(path, max_record_bytes, err, errlen);
	if (!r)
		return -1;
	tg_movie m = { 0 };
	char why[256];
	int rc;
	while ((rc = tg_csv_next(r, &m, why, sizeof why)) != TG_CSV_EOF) {
		if (rc == TG_CSV_ERROR) {
			tg_errf(err, errlen, "%s", why);
			break;
		}
		if ((rc == TG_CSV_ROW ? tg_dataset_push(d, &m) : tg_dataset_push_malformed(d, m.line, why)) != 0) {
			tg_errf(err, errlen, "out of memory after %zu films", d->n);
			rc = TG_CSV_ERROR;
			break;
		}
		tg_movie_clear(&m);
		if ((d->n & 255) == 0)
			tg_progress_report(progress, (uint64_t)tg_csv_bytes_read(r));
	}
	tg_movie_clear(&m);
	tg_csv_sha256_hex(r, sha256_hex);
	tg_csv_close(r);
	return rc == TG_CSV_EOF ? 0 : -1;
}
