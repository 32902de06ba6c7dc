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
#include "csv_parse.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "fault.h"
#include "grow.h"

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

int tg_csv_set_oom(tg_csv_reader *r, long line)
{
	return set_fatal(r, line, "out of memory reading the record at line %ld", line);
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
		if (strlen(tg_csv_col_names[c]) == n && memcmp(tg_csv_col_names[c], s, n) == 0) {
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
		char *nb = tg_grow_by(r->buf, &r->buf_cap, r->buf_len + n + 1, 1, 4096, tg_ingest_realloc);
		if (!nb) {
			r->oom = 1;
			return;
		}
		r->buf = nb;
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
					return tg_csv_set_oom(r, r->rec_line);
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
			return tg_csv_set_oom(r, r->rec_line);
		if (used < seg) {
			if (csv_error(&r->p) != CSV_EPARSE)
				return tg_csv_set_oom(r, r->rec_line);
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
		        tg_csv_col_names[r->dup_col]);
		rc = -1;
	} else {
		char missing[128] = "";
		size_t nmiss = 0;
		for (int c = 0; c < NREQUIRED; c++) {
			if (r->col_index[c] < 0) {
				size_t used = strlen(missing);
				snprintf(missing + used, sizeof missing - used, "%s'%s'",
				         nmiss ? ", " : "", tg_csv_col_names[c]);
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

	return tg_csv_record_movie(r, movie, why, whylen);
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
