/*
** "Look at the data before training": what a dataset holds, counted once, before
** any cleanup rule runs.  tg_profile_print writes a compact aligned text report;
** report_html.c draws the same numbers.
**
** Conventions (so that the numbers are exact and reproducible):
**   - rows are the records read: the films (d->n) plus the malformed records.
**   - empty means blank (only whitespace); placeholder is tg_is_placeholder(), the
**     rule prepare.c applies.  Both are counted over all rows.
**   - length distributions cover the films whose overview is not blank; characters
**     are UTF-8 code points (bytes that are not continuation bytes), tokens are what
**     ext/core/tokenize.h's tg_next_token yields, i.e. what the model sees.
**   - percentiles are nearest-rank: pXX is the smallest value v such that at least
**     XX% of the films have length <= v.
**   - name counts are sorted by count, descending, then by name (bytewise).
** Memory is proportional to the number of films (two arrays of lengths while
** computing), plus the distinct language and genre names.
*/
#ifndef TG_PROFILE_H
#define TG_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dataset.h"

#define TG_PROFILE_MAX_LINES 20     /* malformed line numbers kept */
#define TG_PROFILE_MAX_DUP_IDS 5    /* duplicate ids kept (in file order) */
#define TG_PROFILE_BINS 10          /* histogram bins */
#define TG_PROFILE_TOP_LANGS 10     /* languages printed before "other" */
#define TG_PROFILE_MAX_GPF 5        /* genres-per-film buckets 0..4 and 5+ */

enum { TG_P_MIN, TG_P_10, TG_P_25, TG_P_50, TG_P_75, TG_P_90, TG_P_99, TG_P_MAX, TG_P_COUNT };

/* Percentile names in the order of the enum above ("min", "p10", ... "max"). */
const char *tg_profile_pct_name(int i);

typedef struct tg_length_dist {
	size_t n;                        /* films measured */
	size_t total;                    /* sum of the lengths */
	size_t pct[TG_P_COUNT];          /* min, p10 .. p99, max */
	size_t bin_width;                /* bin b holds [b*w, (b+1)*w); the last bin may be open */
	size_t bins[TG_PROFILE_BINS];
} tg_length_dist;

typedef struct tg_name_count {
	char *name;                      /* owned; "" for an empty language code */
	size_t count;
} tg_name_count;

typedef struct tg_profile {
	size_t rows;                     /* films + malformed */
	size_t films;                    /* d->n: the rows every other count is about */
	size_t malformed;
	long malformed_lines[TG_PROFILE_MAX_LINES];   /* the first min(malformed, 20) */
	size_t duplicate_ids;            /* rows whose id an earlier row already had */
	int64_t dup_ids[TG_PROFILE_MAX_DUP_IDS];      /* first ones, in file order */
	size_t empty_overviews, placeholder_overviews;
	tg_length_dist chars, tokens;
	size_t non_ascii_overviews;      /* overviews with at least one byte >= 0x80 */
	size_t non_ascii_bytes, overview_bytes;
	tg_name_count *languages;        /* all of them, sorted */
	size_t n_languages;
	tg_name_count *genres;           /* all of them, sorted; a genre counts once per film */
	size_t n_genres;
	size_t genres_per_film[TG_PROFILE_MAX_GPF + 1];  /* [5] is 5 or more */
} tg_profile;

/* 1 when bin b is the last and holds every length >= b * bin_width ("900+"). */
int tg_profile_bin_open(const tg_length_dist *d, int b);

/* Fills *out (which needs no initialisation).  Returns 0, or -1 when memory runs out
** (then *out is empty and can still be freed). */
int tg_profile_compute(const tg_dataset *d, tg_profile *out);
void tg_profile_print(const tg_profile *p, FILE *out);
/* Frees the names; safe on a zeroed or already freed profile. */
void tg_profile_free(tg_profile *p);

#endif
