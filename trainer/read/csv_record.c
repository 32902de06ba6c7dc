/* A CSV record to a film: the id, UTF-8 and the genre list checked (csv_reader.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_parse.h"
#include "error.h"
#include "fault.h"
#include "genre_list.h"
#include "utf8.h"

const char *const tg_csv_col_names[NCOLS] = {
	"id", "title", "overview", "genres", "release_date", "original_language",
};

/* Copies up to 40 bytes of a field for a message, replacing unprintable bytes. */
static void quote_value(char *dst, size_t dstlen, const char *s, size_t n)
{
	size_t max = n > 40 ? 40 : n;
	size_t j = 0;
	for (size_t i = 0; i < max && j + 1 < dstlen; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[j++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (n > max && j + 4 < dstlen) {
		memcpy(dst + j, "...", 3);
		j += 3;
	}
	dst[j] = '\0';
}

static int parse_id(const char *s, size_t n, int64_t *out)
{
	if (n == 0 || n > 18)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static char *dup_field(const tg_csv_reader *r, int c)
{
	size_t n = r->have[c] ? r->len[c] : 0;
	char *s = tg_ingest_realloc(NULL, n + 1);
	if (!s)
		return NULL;
	if (n)
		memcpy(s, r->buf + r->off[c], n);
	s[n] = '\0';
	return s;
}

int tg_csv_record_movie(tg_csv_reader *r, tg_movie *movie, char *why, size_t whylen)
{
	long line = r->rec_line;
	r->last_line = line;
	movie->line = line;
	if (r->nfields != r->ncols) {
		tg_errf(why, whylen, "line %ld: expected %zu fields, found %zu", line, r->ncols,
		        r->nfields);
		return TG_CSV_MALFORMED;
	}
	const char *idf = r->buf + r->off[COL_ID];
	if (parse_id(idf, r->len[COL_ID], &movie->id) != 0) {
		char shown[48];
		quote_value(shown, sizeof shown, idf, r->len[COL_ID]);
		tg_errf(why, whylen, "line %ld: id is not a plain integer: '%s'", line, shown);
		movie->id = 0;
		return TG_CSV_MALFORMED;
	}
	for (int c = COL_TITLE; c < NCOLS; c++) {
		if (r->have[c] && !tg_utf8_valid(r->buf + r->off[c], r->len[c])) {
			tg_errf(why, whylen, "line %ld: invalid UTF-8 in column '%s'", line,
			        tg_csv_col_names[c]);
			movie->id = 0;
			return TG_CSV_MALFORMED;
		}
	}
	char gwhy[128];
	int g = tg_genre_list_parse(r->buf + r->off[COL_GENRES], r->len[COL_GENRES],
	                            &movie->genres, &movie->n_genres, gwhy, sizeof gwhy);
	if (g == TG_GENRES_NOMEM) {
		tg_csv_set_oom(r, line);
		tg_errf(why, whylen, "%s", r->fatal_msg);
		memset(movie, 0, sizeof *movie);
		return TG_CSV_ERROR;
	}
	if (g != TG_GENRES_OK) {
		tg_errf(why, whylen, "line %ld: genres: %s", line, gwhy);
		movie->id = 0;
		return TG_CSV_MALFORMED;
	}
	movie->title = dup_field(r, COL_TITLE);
	movie->overview = dup_field(r, COL_OVERVIEW);
	movie->overview_len = r->len[COL_OVERVIEW];
	movie->release_date = dup_field(r, COL_DATE);
	movie->original_language = dup_field(r, COL_LANG);
	if (!movie->title || !movie->overview || !movie->release_date ||
	    !movie->original_language) {
		tg_movie_clear(movie);
		tg_csv_set_oom(r, line);
		tg_errf(why, whylen, "%s", r->fatal_msg);
		return TG_CSV_ERROR;
	}
	return TG_CSV_ROW;
}
