/*
** libFuzzer harness: the CSV reader (trainer/read/csv_reader.c over libcsv) on arbitrary
** file contents.
**
** The input (after a first mode byte) is written to an in-memory file (memfd) and read
** through its /proc/self/fd path with a small max_record_bytes, so the record-length
** limit, chunk boundaries (TG_CSV_CHUNK) and every return code get exercised.  Checks:
** rows hold valid UTF-8, NUL-terminated strings of the stated lengths and genre lists
** that obey genre_list.h; malformed records and errors give a reason; lines only move
** forward; EOF and ERROR are sticky; nothing leaks.  An odd mode byte also reads the
** file again with the first (mode >> 1) allocations succeeding and every later one
** failing: reading may then only end early, in a clean error.
*/
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "csv_reader.h"
#include "fault.h"
#include "genre_list.h"
#include "movie.h"
#include "fuzz_check.h"

#define MAX_RECORD 1024
#define MAX_CALLS 100000

static void check_str(const char *s)
{
	CHECK(s != NULL);
	CHECK(tg_utf8_valid(s, strlen(s)));
}

static void check_row(const tg_movie *m)
{
	CHECK(m->line >= 1);
	CHECK(m->id >= 0);
	check_str(m->title);
	check_str(m->overview);
	CHECK(m->overview_len == strlen(m->overview));
	CHECK(m->overview_len <= MAX_RECORD);
	check_str(m->release_date);
	check_str(m->original_language);
	CHECK(m->n_genres <= TG_GENRE_MAX_NAMES);
	CHECK((m->n_genres == 0) || m->genres != NULL);
	for (size_t i = 0; i < m->n_genres; i++) {
		check_str(m->genres[i]);
		CHECK(m->genres[i][0] != 0 && strlen(m->genres[i]) <= TG_GENRE_MAX_NAME);
	}
}

static int is_zero_movie(const tg_movie *m)
{
	return m->id == 0 && !m->title && !m->overview && m->overview_len == 0 && !m->release_date &&
	       !m->original_language && !m->genres && m->n_genres == 0;
}

/* Reads everything; returns the last code (TG_CSV_EOF or TG_CSV_ERROR) or -1 if open failed. */
static int read_all(const char *path, long *rows)
{
	char err[256], why[256];
	memset(err, 'x', sizeof err);
	tg_csv_reader *r = tg_csv_open(path, MAX_RECORD, err, sizeof err);
	CHECK(memchr(err, 0, sizeof err) != NULL);
	*rows = 0;
	if (!r) {
		CHECK(err[0] != 0);
		return -1;
	}
	CHECK(err[0] == 0);
	CHECK(tg_csv_columns(r) >= 4);
	long last_line = 0;
	int rc = TG_CSV_EOF;
	for (int calls = 0; calls < MAX_CALLS; calls++) {
		tg_movie m;
		memset(&m, 0xA5, sizeof m);
		memset(why, 'x', sizeof why);
		rc = tg_csv_next(r, &m, why, sizeof why);
		CHECK(memchr(why, 0, sizeof why) != NULL);
		if (rc == TG_CSV_ROW) {
			CHECK(why[0] == 0);
			check_row(&m);
			CHECK(m.line > last_line && m.line == tg_csv_line(r));
			last_line = m.line;
			(*rows)++;
			tg_movie_clear(&m);
			continue;
		}
		if (rc == TG_CSV_MALFORMED) {
			CHECK(why[0] != 0);
			CHECK(m.line > last_line && m.line == tg_csv_line(r));
			last_line = m.line;
			m.line = 0;
			CHECK(is_zero_movie(&m));
			continue;
		}
		CHECK(rc == TG_CSV_EOF || rc == TG_CSV_ERROR);
		if (rc == TG_CSV_ERROR)
			CHECK(why[0] != 0);
		/* Sticky: asking again gives the same answer. */
		tg_movie m2;
		memset(&m2, 0, sizeof m2);
		char why2[256];
		int rc2 = tg_csv_next(r, &m2, why2, sizeof why2);
		CHECK(rc2 == rc);
		if (rc == TG_CSV_ERROR)
			CHECK(strcmp(why, why2) == 0);
		tg_movie_clear(&m2);
		break;
	}
	tg_csv_close(r);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	unsigned mode = data[0];
	int fd = memfd_create("fuzz_csv", 0);
	CHECK(fd >= 0);
	size_t off = 1;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		CHECK(w > 0);
		off += (size_t)w;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);

	long rows = 0;
	int rc = read_all(path, &rows);
	if (mode & 1) {
		long rows2 = 0;
		tg_ingest_fail_allocs_after((long)(mode >> 1));
		int rc2 = read_all(path, &rows2);
		tg_ingest_fail_allocs_after(-1);
		/* Failing allocations can only cut reading short, with an error. */
		CHECK(rc2 == rc || rc2 == TG_CSV_ERROR || rc2 == -1);
		CHECK(rows2 <= rows);
	}
	close(fd);
	return 0;
}
