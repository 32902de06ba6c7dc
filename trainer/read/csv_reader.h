/*
** Streaming reader for movies_metadata.csv (Kaggle "The Movies Dataset") and files
** shaped like it, on top of libcsv.
**
** Format: RFC 4180-style CSV, ',' separated, '"' quoting with "" as an escaped quote,
** fields never trimmed, LF or CRLF (or CR) line ends, blank lines skipped, an optional
** UTF-8 BOM.  Quoting is checked strictly: a '"' inside an unquoted field, or text after
** a closing quote, makes that record malformed (the rest of its physical line is
** dropped and reading resumes on the next line).
**
** The first record is the header; columns are found by name, in any order:
**   required  id, title, overview, genres
**   optional  release_date, original_language  (left "" when absent)
** Other columns are ignored.
**
** Memory does not grow with the file: the file is read in fixed chunks and only the
** current record is buffered.  A record longer than max_record_bytes is a fatal error,
** detected before it is buffered.
*/
#ifndef TG_CSV_READER_H
#define TG_CSV_READER_H

#include <stddef.h>

#include "movie.h"
#include "sha256.h"

#define TG_CSV_CHUNK (64u * 1024u)              /* bytes read from the file at a time */
#define TG_CSV_DEFAULT_MAX_RECORD (1u << 20)    /* max_record_bytes when 0 is passed */

enum {
	TG_CSV_ROW = 0,       /* a film: *movie filled */
	TG_CSV_MALFORMED = 1, /* a record was skipped: reason in why, its line in movie->line */
	TG_CSV_EOF = 2,       /* no more records */
	TG_CSV_ERROR = 3      /* fatal, reading cannot go on: message in why */
};

typedef struct tg_csv_reader tg_csv_reader;

/*
** Opens `path` and reads its header.  max_record_bytes bounds one record's raw size
** (from its first byte up to, not including, the line break that ends it; quotes and
** embedded line breaks count); 0 means TG_CSV_DEFAULT_MAX_RECORD.
** Returns NULL with a one-line message in err (may be NULL if errlen is 0) when the
** file is missing, a directory, unreadable, empty, has a bad header (any missing
** required column is named, as is a duplicated one), or memory runs out.
*/
tg_csv_reader *tg_csv_open(const char *path, size_t max_record_bytes, char *err,
                           size_t errlen);

/*
** Reads the next record.  *movie is overwritten, never freed: pass a zeroed or cleared
** struct and call tg_movie_clear() on it after each TG_CSV_ROW.
**
**   TG_CSV_ROW        movie holds line, id, title, overview (+overview_len),
**                     release_date, original_language and genres (parsed by
**                     genre_list.h); the caller owns the strings.  why is "".
**   TG_CSV_MALFORMED  the record was skipped; movie is zeroed except movie->line, why
**                     says why: a field count different from the header's, an id that
**                     is not a plain decimal integer (e.g. the column-shifted Kaggle rows
**                     with a date in id), a genres value genre_list rejects, invalid
**                     UTF-8 in a used column, or bad quoting.
**   TG_CSV_EOF        end of file (again on every later call).
**   TG_CSV_ERROR      fatal: read error, NUL byte (binary data), a record longer than
**                     max_record_bytes, an unterminated quoted field at end of file, out
**                     of memory.  why names the line; later calls return it again.
** why may be NULL if whylen is 0.
*/
int tg_csv_next(tg_csv_reader *r, tg_movie *movie, char *why, size_t whylen);

/*
** 1-based physical line where the last record returned (row or malformed) starts; for
** TG_CSV_ERROR the line the error refers to; the header's line after open.  Line breaks
** inside quoted fields count.
*/
long tg_csv_line(const tg_csv_reader *r);

/* SHA-256 of the bytes read so far: after TG_CSV_EOF, of the whole file, read once,
** so the fingerprint is of exactly the data trained on (and pipes work). */
void tg_csv_sha256_hex(tg_csv_reader *r, char hex[TG_SHA256_HEX_LEN + 1]);

/* Bytes of the file consumed so far (for progress reports). */
long long tg_csv_bytes_read(const tg_csv_reader *r);

/* Number of columns in the header. */
size_t tg_csv_columns(const tg_csv_reader *r);

/* Closes the file and frees everything; NULL is fine. */
void tg_csv_close(tg_csv_reader *r);

#endif
