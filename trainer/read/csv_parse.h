/*
** The CSV reader's own parts (csv_reader.h is its interface): the reader's state,
** which csv_reader.c fills from the file through libcsv, and csv_record.c turns into
** a film.  Private to read/.
*/
#ifndef TG_CSV_PARSE_H
#define TG_CSV_PARSE_H

#include <csv.h>
#include <stdio.h>

#include "csv_reader.h"

enum { COL_ID, COL_TITLE, COL_OVERVIEW, COL_GENRES, COL_DATE, COL_LANG, NCOLS };

extern const char *const tg_csv_col_names[NCOLS];
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

/* Records "out of memory" at line as the reader's fatal error; returns -1. */
int tg_csv_set_oom(tg_csv_reader *r, long line);

/* The record just read (its fields in r->buf) as a film: TG_CSV_ROW, TG_CSV_MALFORMED
** (why says which field) or TG_CSV_ERROR (out of memory). */
int tg_csv_record_movie(tg_csv_reader *r, tg_movie *movie, char *why, size_t whylen);

#endif
