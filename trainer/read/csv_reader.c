/*
** Streaming CSV reader: see csv_reader.h.
**
** The file is read in TG_CSV_CHUNK-byte chunks.  Each chunk is handed to libcsv one
** "segment" at a time, a segment ending just after the next CR or LF (or at the end of
** the chunk).  libcsv only ends a record on CR or LF, so a segment completes at most
** one record, and tg_csv_next() can stop right there: no queue of parsed records, and
** exact line numbers.  Before a segment is fed, its size is added to the current
** record's and checked against the cap, so an oversized record is refused before
** libcsv buffers it.  Only the fields the trainer uses are kept.
*/
#include "csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "fault.h"
#include "genre_list.h"

enum { COL_ID, COL_TITLE, COL_OVERVIEW, COL_GENRES, COL_DATE, COL_LANG, NCOLS };

static const char *const col_names[NCOLS] = {
	"id", "title", "overview", "genres", "release_date", "original_language",
};
#define NREQUIRED 4 /* the first four are required */

struct tg_csv_reader {
	FILE *fp;
	tg_sha256 sha;       /* of every byte read: the registry's data fingerprint */
	struct csv_parser p;
	size_t max_record;

	unsigned char chunk[TG_CSV_CHUNK];
	size_t chunk_len, chunk_pos;
	int at_start;        /* BOM not yet checked */
	int eof;             /* fread hit end of file */
	int finished;        /* csv_fini done */
	int fatal;
	char fatal_msg[256];

	long line;           /* physical line of the next byte to feed */
	int prev_cr;         /* last byte fed was CR */
	int skipping;        /* dropping the rest of a line after a quoting error */
	int in_record;
	long rec_line;
	size_t rec_bytes;
	long last_line;

	/* header */
	int header_mode;
	size_t ncols;
	long col_index[NCOLS];   /* column of each wanted field, -1 if absent */
	int dup_col;             /* index into col_names of a duplicated column, or -1 */

	/* current record */
	int rec_done;
	int oom;
	size_t nfields;
	char *buf;
	size_t buf_len, buf_cap;
	size_t off[NCOLS], len[NCOLS];
	int have[NCOLS];
};

/* ---- small helpers ---- */

static int set_fatal(tg_csv_reader *r, long line, const char *fmt, ...)
{
	if (!r->fatal) {
		r->fatal = 1;
		r->last_line = line;
		va_list ap;
		va_start(ap, fmt);
		tg_verrf(r->fatal_msg, sizeof r->fatal_msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int set_oom(tg_csv_reader *r, long line)
{
	return set_fatal(r, line, "out of memory reading the record at line %ld", line);
}

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

/* ---- libcsv glue ---- */

static int never_space(unsigned char c)
{
	(void)c;
	return 0; /* keep blanks around unquoted fields, as Python's csv does */
}

static void parser_setup(tg_csv_reader *r)
{
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&r->p, never_space);
	csv_set_realloc_func(&r->p, tg_ingest_realloc);
	csv_set_free_func(&r->p, free);
	csv_set_blk_size(&r->p, 16384);
}

static void header_field(tg_csv_reader *r, const char *s, size_t n, size_t idx)
{
	for (int c = 0; c < NCOLS; c++) {
		if (strlen(col_names[c]) == n && memcmp(col_names[c], s, n) == 0) {
			if (r->col_index[c] >= 0) {
				if (r->dup_col < 0)
					r->dup_col = c;
			} else {
				r->col_index[c] = (long)idx;
			}
		}
	}
}

static void on_field(void *data, size_t n, void *ctx)
{
	tg_csv_reader *r = ctx;
	size_t idx = r->nfields++;
	const char *s = data ? data : "";
	if (r->oom)
		return;
	if (r->header_mode) {
		header_field(r, s, n, idx);
		return;
	}
	for (int c = 0; c < NCOLS; c++) {
		if (r->col_index[c] != (long)idx)
			continue;
		if (r->buf_cap - r->buf_len < n + 1) {
			size_t ncap = r->buf_cap ? r->buf_cap : 4096;
			while (ncap - r->buf_len < n + 1)
				ncap *= 2;
			char *nb = tg_ingest_realloc(r->buf, ncap);
			if (!nb) {
				r->oom = 1;
				return;
			}
			r->buf = nb;
			r->buf_cap = ncap;
		}
		memcpy(r->buf + r->buf_len, s, n);
		r->off[c] = r->buf_len;
		r->len[c] = n;
		r->have[c] = 1;
		r->buf_len += n;
		r->buf[r->buf_len++] = '\0';
	}
}

static void on_row(int c, void *ctx)
{
	(void)c;
	tg_csv_reader *r = ctx;
	r->rec_done = 1;
}

static void record_reset(tg_csv_reader *r)
{
	r->rec_done = 0;
	r->nfields = 0;
	r->buf_len = 0;
	for (int c = 0; c < NCOLS; c++)
		r->have[c] = 0, r->off[c] = r->len[c] = 0;
}

/* Line accounting for a fed segment seg[0..n) ending (if term) with CR or LF. */
static void count_lines(tg_csv_reader *r, const unsigned char *seg, size_t n, int term)
{
	if (n > (size_t)term)
		r->prev_cr = 0;
	if (!term)
		return;
	if (seg[n - 1] == '\r') {
		r->line++;
		r->prev_cr = 1;
	} else {
		if (!r->prev_cr)
			r->line++;
		r->prev_cr = 0;
	}
}

/*
** Feeds the parser until a record is complete.  Returns 1 (record complete), 0 (end of
** file), -1 (fatal, message set), -2 (quoting error: record dropped, message in why).
*/
static int pump(tg_csv_reader *r, char *why, size_t whylen)
{
	for (;;) {
		if (r->chunk_pos == r->chunk_len) {
			if (r->eof) {
				if (r->finished)
					return 0;
				r->finished = 1;
				if (csv_fini(&r->p, on_field, on_row, r) != 0)
					return set_fatal(r, r->rec_line,
					                 "unterminated quoted field in the record starting at "
					                 "line %ld", r->rec_line);
				if (r->oom)
					return set_oom(r, r->rec_line);
				if (r->rec_done) {
					r->in_record = 0;
					return 1;
				}
				return 0;
			}
			errno = 0;
			size_t n = fread(r->chunk, 1, sizeof r->chunk, r->fp);
			tg_sha256_update(&r->sha, r->chunk, n);
			if (n < sizeof r->chunk) {
				if (ferror(r->fp))
					return set_fatal(r, r->line, "read error at line %ld: %s", r->line,
					                 errno ? strerror(errno) : "I/O error");
				r->eof = 1;
			}
			r->chunk_len = n;
			r->chunk_pos = 0;
			if (r->at_start) {
				r->at_start = 0;
				if (n >= 3 && memcmp(r->chunk, "\xef\xbb\xbf", 3) == 0)
					r->chunk_pos = 3;
			}
			continue;
		}

		const unsigned char *b = r->chunk + r->chunk_pos;
		size_t avail = r->chunk_len - r->chunk_pos;
		size_t i = 0;
		while (i < avail && b[i] != '\n' && b[i] != '\r' && b[i] != '\0')
			i++;
		if (i < avail && b[i] == '\0')
			return set_fatal(r, r->line, "NUL byte at line %ld: not a text CSV file",
			                 r->line);
		int term = i < avail;
		size_t seg = term ? i + 1 : i;

		if (r->skipping) {
			if (term)
				r->skipping = 0;
			r->chunk_pos += seg;
			count_lines(r, b, seg, term);
			continue;
		}
		if (!r->in_record && b[0] != '\n' && b[0] != '\r') {
			r->in_record = 1;
			r->rec_line = r->line;
			r->rec_bytes = 0;
		}
		if (r->in_record && (r->rec_bytes > r->max_record ||
		                     seg - (size_t)term > r->max_record - r->rec_bytes))
			return set_fatal(r, r->rec_line,
			                 "record starting at line %ld is longer than %zu bytes "
			                 "(unbalanced quote?)", r->rec_line, r->max_record);

		size_t used = csv_parse(&r->p, b, seg, on_field, on_row, r);
		if (r->oom)
			return set_oom(r, r->rec_line);
		if (used < seg) {
			if (csv_error(&r->p) != CSV_EPARSE)
				return set_oom(r, r->rec_line);
			long rec_line = r->rec_line;
			const char *what = r->p.quoted ? "text after a closing quote"
			                               : "a quote inside an unquoted field";
			tg_errf(why, whylen, "bad quoting at line %ld: %s", r->line, what);
			csv_free(&r->p);
			parser_setup(r);
			r->chunk_pos += seg;
			count_lines(r, b, seg, term);
			r->skipping = !term;
			r->in_record = 0;
			r->last_line = rec_line;
			return -2;
		}
		if (r->in_record)
			r->rec_bytes += seg;
		r->chunk_pos += seg;
		count_lines(r, b, seg, term);
		if (r->rec_done) {
			r->in_record = 0;
			return 1;
		}
	}
}

/* ---- public API ---- */

tg_csv_reader *tg_csv_open(const char *path, size_t max_record_bytes, char *err,
                           size_t errlen)
{
	tg_errf(err, errlen, "%s", "");
	if (!path) {
		tg_errf(err, errlen, "no path given");
		return NULL;
	}
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		tg_errf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(fp), &st) != 0) {
		tg_errf(err, errlen, "cannot stat '%s': %s", path, strerror(errno));
		fclose(fp);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		tg_errf(err, errlen, "'%s' is a directory, not a CSV file", path);
		fclose(fp);
		return NULL;
	}
	tg_csv_reader *r = tg_ingest_realloc(NULL, sizeof *r);
	if (!r) {
		tg_errf(err, errlen, "out of memory opening '%s'", path);
		fclose(fp);
		return NULL;
	}
	memset(r, 0, sizeof *r);
	r->fp = fp;
	tg_sha256_init(&r->sha);
	r->max_record = max_record_bytes ? max_record_bytes : TG_CSV_DEFAULT_MAX_RECORD;
	r->at_start = 1;
	r->line = 1;
	r->last_line = 1;
	r->header_mode = 1;
	r->dup_col = -1;
	for (int c = 0; c < NCOLS; c++)
		r->col_index[c] = -1;
	parser_setup(r);

	char why[160];
	int rc = pump(r, why, sizeof why);
	if (rc == 0) {
		tg_errf(err, errlen, "'%s' is empty: no header line", path);
	} else if (rc == -1) {
		tg_errf(err, errlen, "'%s': %s", path, r->fatal_msg);
	} else if (rc == -2) {
		tg_errf(err, errlen, "'%s': header: %s", path, why);
	} else if (r->dup_col >= 0) {
		tg_errf(err, errlen, "'%s': column '%s' appears twice in the header", path,
		        col_names[r->dup_col]);
		rc = -1;
	} else {
		char missing[128] = "";
		size_t nmiss = 0;
		for (int c = 0; c < NREQUIRED; c++) {
			if (r->col_index[c] < 0) {
				size_t used = strlen(missing);
				snprintf(missing + used, sizeof missing - used, "%s'%s'",
				         nmiss ? ", " : "", col_names[c]);
				nmiss++;
			}
		}
		if (nmiss) {
			tg_errf(err, errlen, "'%s': missing required column%s %s in the header",
			        path, nmiss > 1 ? "s" : "", missing);
			rc = -1;
		}
	}
	if (rc != 1) {
		tg_csv_close(r);
		return NULL;
	}
	r->ncols = r->nfields;
	r->header_mode = 0;
	r->last_line = r->rec_line;
	record_reset(r);
	return r;
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

int tg_csv_next(tg_csv_reader *r, tg_movie *movie, char *why, size_t whylen)
{
	memset(movie, 0, sizeof *movie);
	tg_errf(why, whylen, "%s", "");
	if (r->fatal) {
		tg_errf(why, whylen, "%s", r->fatal_msg);
		return TG_CSV_ERROR;
	}
	record_reset(r);
	int rc = pump(r, why, whylen);
	if (rc == 0)
		return TG_CSV_EOF;
	if (rc == -1) {
		tg_errf(why, whylen, "%s", r->fatal_msg);
		return TG_CSV_ERROR;
	}
	if (rc == -2) {
		movie->line = r->last_line;
		return TG_CSV_MALFORMED;
	}

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
			        col_names[c]);
			movie->id = 0;
			return TG_CSV_MALFORMED;
		}
	}
	char gwhy[128];
	int g = tg_genre_list_parse(r->buf + r->off[COL_GENRES], r->len[COL_GENRES],
	                            &movie->genres, &movie->n_genres, gwhy, sizeof gwhy);
	if (g == TG_GENRES_NOMEM) {
		set_oom(r, line);
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
		set_oom(r, line);
		tg_errf(why, whylen, "%s", r->fatal_msg);
		return TG_CSV_ERROR;
	}
	return TG_CSV_ROW;
}

long tg_csv_line(const tg_csv_reader *r)
{
	return r->last_line;
}

void tg_csv_sha256_hex(tg_csv_reader *r, char hex[TG_SHA256_HEX_LEN + 1])
{
	unsigned char digest[TG_SHA256_DIGEST_LEN];
	tg_sha256 copy = r->sha;
	tg_sha256_final(&copy, digest);
	tg_sha256_hex(digest, hex);
}

long long tg_csv_bytes_read(const tg_csv_reader *r)
{
	long long at = ftello(r->fp);
	return at < 0 ? 0 : at - (long long)(r->chunk_len - r->chunk_pos);
}

size_t tg_csv_columns(const tg_csv_reader *r)
{
	return r->ncols;
}

void tg_csv_close(tg_csv_reader *r)
{
	if (!r)
		return;
	csv_free(&r->p);
	if (r->fp)
		fclose(r->fp);
	free(r->buf);
	free(r);
}
