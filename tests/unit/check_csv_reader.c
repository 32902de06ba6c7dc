/* Unit tests for trainer/read/csv_reader.c (run from the repository root). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_reader.h"
#include "fault.h"
#include "genre_list.h"
#include "movie.h"
#include "check_random.h"
#include "check_temp.h"
#include "check_run.h"

#define FIX "tests/fixtures/"

/* ---- helpers ---- */

static tg_csv_reader *open_ok(const char *path, size_t cap)
{
	char err[256];
	tg_csv_reader *r = tg_csv_open(path, cap, err, sizeof err);
	ck_assert_msg(r != NULL, "open %s: %s", path, err);
	ck_assert_str_eq(err, "");
	return r;
}

static void expect_open_fails(const char *path, size_t cap, const char *msg)
{
	char err[256];
	tg_csv_reader *r = tg_csv_open(path, cap, err, sizeof err);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(err, msg);
}

static void join_genres(const tg_movie *m, char *out, size_t outlen)
{
	out[0] = '\0';
	for (size_t i = 0; i < m->n_genres; i++) {
		size_t used = strlen(out);
		snprintf(out + used, outlen - used, "%s%s", i ? ";" : "", m->genres[i]);
	}
}

static void expect_row(tg_csv_reader *r, long line, int64_t id, const char *title,
                       const char *overview, const char *date, const char *lang,
                       const char *genres)
{
	tg_movie m;
	char why[256];
	int rc = tg_csv_next(r, &m, why, sizeof why);
	ck_assert_msg(rc == TG_CSV_ROW, "line %ld: rc %d: %s", line, rc, why);
	ck_assert_str_eq(why, "");
	ck_assert_int_eq(m.line, line);
	ck_assert_int_eq(tg_csv_line(r), line);
	ck_assert_int_eq(m.id, id);
	ck_assert_str_eq(m.title, title);
	ck_assert_str_eq(m.overview, overview);
	ck_assert_uint_eq(m.overview_len, strlen(overview));
	ck_assert_str_eq(m.release_date, date);
	ck_assert_str_eq(m.original_language, lang);
	char g[512];
	join_genres(&m, g, sizeof g);
	ck_assert_str_eq(g, genres);
	if (m.n_genres == 0)
		ck_assert_ptr_null(m.genres);
	tg_movie_clear(&m);
	ck_assert_ptr_null(m.title);
	ck_assert_uint_eq(m.n_genres, 0);
}

static void expect_status(tg_csv_reader *r, int status, long line, const char *why_want)
{
	tg_movie m;
	char why[256];
	int rc = tg_csv_next(r, &m, why, sizeof why);
	ck_assert_msg(rc == status, "wanted %d at line %ld, got %d: %s", status, line, rc, why);
	ck_assert_str_eq(why, why_want);
	if (status == TG_CSV_MALFORMED)
		ck_assert_int_eq(m.line, line);
	if (line)
		ck_assert_int_eq(tg_csv_line(r), line);
	ck_assert_ptr_null(m.title);
	ck_assert_ptr_null(m.overview);
	ck_assert_ptr_null(m.genres);
	ck_assert_int_eq(m.id, 0);
}

static void expect_eof(tg_csv_reader *r)
{
	expect_status(r, TG_CSV_EOF, 0, "");
}

static const char *write_temp_str(const char *s)
{
	return tg_test_write_temp(s, strlen(s));
}

/* Growable string for building big inputs. */
typedef struct {
	char *s;
	size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->cap - b->len < n + 1) {
		size_t ncap = b->cap ? b->cap : 1024;
		while (ncap - b->len < n + 1)
			ncap *= 2;
		b->s = realloc(b->s, ncap);
		ck_assert_ptr_nonnull(b->s);
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_fill(sbuf *b, char c, size_t n)
{
	char chunk[4096];
	memset(chunk, c, sizeof chunk);
	while (n) {
		size_t k = n < sizeof chunk ? n : sizeof chunk;
		sb_add(b, chunk, k);
		n -= k;
	}
}

/* ---- fixtures ---- */

START_TEST(test_basic_fixture)
{
	tg_csv_reader *r = open_ok(FIX "movies_basic.csv", 0);
	ck_assert_uint_eq(tg_csv_columns(r), 24);
	ck_assert_int_eq(tg_csv_line(r), 1);
	expect_row(r, 2, 101, "The Lantern Keeper",
	           "A lighthouse keeper waits for a ship that never comes.", "1990-04-01", "en",
	           "Drama");
	/* quoted title with a comma; overview with "" quotes, embedded and blank lines */
	expect_row(r, 3, 102, "Night, Again",
	           "The house says \"welcome\" twice.\nNobody answers, the second time.\n\n"
	           "Then the lights go out.",
	           "2001-10-31", "en", "Horror;Thriller");
	expect_row(r, 7, 103, "Untitled Reel", "", "", "en", "");
	/*
	** The Kaggle column shift: an overview cut by a line break (the row itself is valid,
	** its later columns empty), then its tail, shifted, with a date in the id column.
	*/
	expect_row(r, 8, 109, "", "A retired spy is pulled back for one last job", "", "en",
	           "Crime");
	expect_status(r, TG_CSV_MALFORMED, 9, "line 9: id is not a plain integer: '1997-08-20'");
	expect_status(r, TG_CSV_MALFORMED, 10, "line 10: expected 24 fields, found 23");
	expect_row(r, 11, 105, "Caf\xc3\xa9 des \xc3\x89toiles",
	           "Deux amis ouvrent un caf\xc3\xa9 \xc3\xa0 Montmartre \xe2\x80\x94 et tombent "
	           "amoureux.",
	           "2004-02-14", "fr", "Comedy;Romance;Drama");
	expect_status(r, TG_CSV_MALFORMED, 12, "line 12: genres: unbalanced brackets: missing ']'");
	expect_status(r, TG_CSV_MALFORMED, 13, "line 13: genres: dict at byte 1 has no 'name' key");
	expect_row(r, 14, 108, "Hoshi no Umi",
	           "\xe6\x98\x9f\xe3\x81\xae\xe6\xb5\xb7\xe3\x82\x92\xe6\xb8\xa1\xe3\x82\x8b"
	           "\xe5\xb0\x91\xe5\xb9\xb4\xe3\x81\xae\xe7\x89\xa9\xe8\xaa\x9e\xe3\x80\x82",
	           "1985-07-07", "ja", "Science Fiction");
	expect_eof(r);
	expect_eof(r);
	ck_assert_int_eq(tg_csv_line(r), 14);
	tg_csv_close(r);
}
END_TEST

START_TEST(test_crlf_bom_fixture)
{
	/* guard against the fixture losing its CRs or BOM in a checkout */
	FILE *fp = fopen(FIX "crlf_bom.csv", "rb");
	ck_assert_ptr_nonnull(fp);
	char raw[512];
	size_t n = fread(raw, 1, sizeof raw - 1, fp);
	fclose(fp);
	raw[n] = '\0';
	ck_assert_int_eq(memcmp(raw, "\xef\xbb\xbfgenres,", 10), 0);
	ck_assert_ptr_nonnull(strstr(raw, "First,1\r\n"));
	ck_assert(raw[n - 1] == '3'); /* no final line break */

	tg_csv_reader *r = open_ok(FIX "crlf_bom.csv", 0);
	ck_assert_uint_eq(tg_csv_columns(r), 5);
	expect_row(r, 2, 1, "First", "Plain text.", "", "", "Drama;Comedy");
	expect_row(r, 3, 22, "Second", "Line one\r\nline two", "", "", "Drama;Comedy");
	expect_row(r, 6, 333, "Third", "", "", "", "Western"); /* after a blank line */
	expect_eof(r);
	tg_csv_close(r);
}
END_TEST

START_TEST(test_bad_headers)
{
	expect_open_fails(FIX "missing_column.csv", 0,
	                  "'tests/fixtures/missing_column.csv': missing required columns "
	                  "'overview', 'genres' in the header");
}
END_TEST

START_TEST(test_header_variants)
{
	char want[256];
	const char *p = write_temp_str("title,overview,genres,release_date\nA,B,Drama,2000\n");
	snprintf(want, sizeof want, "'%s': missing required column 'id' in the header", p);
	expect_open_fails(p, 0, want);
	unlink(p);

	expect_open_fails(FIX "duplicate_column.csv", 0,
	                  "'tests/fixtures/duplicate_column.csv': column 'title' appears twice "
	                  "in the header");

	/* names are exact: " id" is not "id"; a header after blank lines is fine */
	p = write_temp_str("\n\n id,id,title,overview,genres\n1,2,T,O,Drama\n");
	tg_csv_reader *r = open_ok(p, 0);
	ck_assert_uint_eq(tg_csv_columns(r), 5);
	ck_assert_int_eq(tg_csv_line(r), 3);
	expect_row(r, 4, 2, "T", "O", "", "", "Drama");
	expect_eof(r);
	tg_csv_close(r);
	unlink(p);

	r = open_ok(FIX "header_only.csv", 0);
	expect_eof(r);
	tg_csv_close(r);
}
END_TEST

START_TEST(test_open_failures)
{
	expect_open_fails(FIX "empty.csv", 0, "'tests/fixtures/empty.csv' is empty: no header line");
	expect_open_fails(FIX "no_such_file.csv", 0,
	                  "cannot open 'tests/fixtures/no_such_file.csv': No such file or directory");
	expect_open_fails("tests/fixtures", 0, "'tests/fixtures' is a directory, not a CSV file");
	expect_open_fails(NULL, 0, "no path given");

	const char *p = write_temp_str("\n\r\n\n");
	char want[256];
	snprintf(want, sizeof want, "'%s' is empty: no header line", p);
	expect_open_fails(p, 0, want);
	unlink(p);

	/* unreadable: only testable when not running as root */
	if (geteuid() != 0) {
		p = write_temp_str("id,title,overview,genres\n");
		ck_assert_int_eq(chmod(p, 0), 0);
		snprintf(want, sizeof want, "cannot open '%s': Permission denied", p);
		expect_open_fails(p, 0, want);
		unlink(p);
	}
	/* err may be NULL */
	ck_assert_ptr_null(tg_csv_open(FIX "empty.csv", 0, NULL, 0));
	tg_csv_close(NULL);
}
END_TEST

START_TEST(test_unterminated_quote)
{
	tg_csv_reader *r = open_ok(FIX "unterminated_quote.csv", 0);
	expect_row(r, 2, 1, "A", "fine", "", "", "Drama");
	expect_status(r, TG_CSV_ERROR, 3,
	              "unterminated quoted field in the record starting at line 3");
	/* sticky */
	expect_status(r, TG_CSV_ERROR, 3,
	              "unterminated quoted field in the record starting at line 3");
	tg_csv_close(r);
}
END_TEST

START_TEST(test_bad_quoting)
{
	tg_csv_reader *r = open_ok(FIX "bad_quoting.csv", 0);
	expect_status(r, TG_CSV_MALFORMED, 2, "bad quoting at line 2: a quote inside an unquoted field");
	expect_status(r, TG_CSV_MALFORMED, 3, "bad quoting at line 3: text after a closing quote");
	expect_row(r, 4, 3, "C", "ok \"quoted\"", "", "", "Comedy");
	expect_eof(r);
	tg_csv_close(r);

	/* the error on the 2nd physical line of a record; the rest of that line is dropped */
	const char *p = write_temp_str("id,title,overview,genres\n"
	                               "1,A,\"two\nlines\"x,Drama\n"
	                               "2,B,ok,Drama\n");
	r = open_ok(p, 0);
	expect_status(r, TG_CSV_MALFORMED, 2, "bad quoting at line 3: text after a closing quote");
	expect_row(r, 4, 2, "B", "ok", "", "", "Drama");
	expect_eof(r);
	tg_csv_close(r);
	unlink(p);

	/* a bad line running past the end of a read chunk is dropped whole */
	sbuf b = {0};
	sb_str(&b, "id,title,overview,genres\n1,A,a \"stray");
	sb_fill(&b, 's', 2 * TG_CSV_CHUNK);
	sb_str(&b, ",x,y,z\n2,B,ok,Drama\n");
	p = tg_test_write_temp(b.s, b.len);
	r = open_ok(p, 0);
	expect_status(r, TG_CSV_MALFORMED, 2, "bad quoting at line 2: a quote inside an unquoted field");
	expect_row(r, 3, 2, "B", "ok", "", "", "Drama");
	expect_eof(r);
	tg_csv_close(r);
	unlink(p);
	free(b.s);
}
END_TEST

START_TEST(test_nul_bytes)
{
	static const char data[] = "id,title,overview,genres\n1,A,B,Drama\n2,A,B\0C,Drama\n";
	const char *p = tg_test_write_temp(data, sizeof data - 1);
	tg_csv_reader *r = open_ok(p, 0);
	expect_row(r, 2, 1, "A", "B", "", "", "Drama");
	expect_status(r, TG_CSV_ERROR, 3, "NUL byte at line 3: not a text CSV file");
	expect_status(r, TG_CSV_ERROR, 3, "NUL byte at line 3: not a text CSV file");
	tg_csv_close(r);
	unlink(p);

	/* binary junk in the header, e.g. a UTF-16 file */
	static const char utf16[] = "\xff\xfei\0d\0,\0t\0";
	p = tg_test_write_temp(utf16, sizeof utf16 - 1);
	char want[256];
	snprintf(want, sizeof want, "'%s': NUL byte at line 1: not a text CSV file", p);
	expect_open_fails(p, 0, want);
	unlink(p);
}
END_TEST

START_TEST(test_field_values)
{
	const char *p = write_temp_str(
	    "id,title,overview,genres,original_language,release_date\n"
	    "0,,,,,\n"                                  /* all empty but id */
	    ",T,O,Drama,en,2000\n"                      /* empty id */
	    " 5,T,O,Drama,en,2000\n"                    /* blank in id */
	    "+5,T,O,Drama,en,2000\n"
	    "5.0,T,O,Drama,en,2000\n"
	    "1234567890123456789,T,O,Drama,en,2000\n"   /* 19 digits */
	    "123456789012345678,\" spaced \",\" \",\"Drama|War\",xx,1999-12-31\n"
	    "7,\xff,O,Drama,en,2000\n"
	    "8,T,O\xc3,Drama,en,2000\n"
	    "9,T,O,Drama\xc3,en,2000\n"
	    "10,T,O,\"[\"\"Drama\"\", {\"\"name\"\": \"\"War\"\"}]\",en,2000\n");
	tg_csv_reader *r = open_ok(p, 0);
	expect_row(r, 2, 0, "", "", "", "", "");
	expect_status(r, TG_CSV_MALFORMED, 3, "line 3: id is not a plain integer: ''");
	expect_status(r, TG_CSV_MALFORMED, 4, "line 4: id is not a plain integer: ' 5'");
	expect_status(r, TG_CSV_MALFORMED, 5, "line 5: id is not a plain integer: '+5'");
	expect_status(r, TG_CSV_MALFORMED, 6, "line 6: id is not a plain integer: '5.0'");
	expect_status(r, TG_CSV_MALFORMED, 7,
	              "line 7: id is not a plain integer: '1234567890123456789'");
	expect_row(r, 8, INT64_C(123456789012345678), " spaced ", " ", "1999-12-31", "xx",
	           "Drama;War");
	expect_status(r, TG_CSV_MALFORMED, 9, "line 9: invalid UTF-8 in column 'title'");
	expect_status(r, TG_CSV_MALFORMED, 10, "line 10: invalid UTF-8 in column 'overview'");
	expect_status(r, TG_CSV_MALFORMED, 11, "line 11: invalid UTF-8 in column 'genres'");
	expect_row(r, 12, 10, "T", "O", "2000", "en", "Drama;War");
	expect_eof(r);
	tg_csv_close(r);
	unlink(p);

	/* a long id value is cut in the message */
	p = write_temp_str("id,title,overview,genres\n"
	                   "\"[{'name': 'Carousel Productions', 'id': 11176}]\",T,O,Drama\n");
	r = open_ok(p, 0);
	expect_status(r, TG_CSV_MALFORMED, 2,
	              "line 2: id is not a plain integer: "
	              "'[{'name': 'Carousel Productions', 'id': ...'");
	tg_csv_close(r);
	unlink(p);
}
END_TEST

START_TEST(test_line_endings)
{
	/* old Mac CR-only, and a file without a final line break */
	const char *p = write_temp_str("id,title,overview,genres\r1,A,\"x\ry\",Drama\r\r2,B,z,War");
	tg_csv_reader *r = open_ok(p, 0);
	expect_row(r, 2, 1, "A", "x\ry", "", "", "Drama");
	expect_row(r, 5, 2, "B", "z", "", "", "War");
	expect_eof(r);
	tg_csv_close(r);
	unlink(p);

	/* a BOM alone before a LF header; mixed line ends */
	p = write_temp_str("\xef\xbb\xbfid,title,overview,genres\n1,A,a,Drama\r\n2,B,b,War\n");
	r = open_ok(p, 0);
	expect_row(r, 2, 1, "A", "a", "", "", "Drama");
	expect_row(r, 3, 2, "B", "b", "", "", "War");
	expect_eof(r);
	tg_csv_close(r);
	unlink(p);

	/* a BOM in the middle of the file is data */
	p = write_temp_str("id,title,overview,genres\n1,\xef\xbb\xbfT,a,Drama\n");
	r = open_ok(p, 0);
	expect_row(r, 2, 1, "\xef\xbb\xbfT", "a", "", "", "Drama");
	tg_csv_close(r);
	unlink(p);
}
END_TEST

START_TEST(test_record_cap)
{
	/* header is 24 bytes; rows of exactly 40 bytes pass with cap 40, 41 fail */
	sbuf b = {0};
	sb_str(&b, "id,title,overview,genres\n");
	sb_str(&b, "1,T,");
	sb_fill(&b, 'a', 40 - 4 - 6);
	sb_str(&b, ",Drama\n");
	sb_str(&b, "2,T,\"");
	sb_fill(&b, 'b', 10);
	sb_str(&b, "\r\n");          /* embedded line breaks count */
	sb_fill(&b, 'b', 40 - 5 - 10 - 2 - 7);
	sb_str(&b, "\",Drama\r\n");  /* the final CR LF does not */
	sb_str(&b, "3,T,");
	sb_fill(&b, 'c', 40 - 4 - 6 + 1);
	sb_str(&b, ",Drama\n4,T,O,Drama\n");
	const char *p = tg_test_write_temp(b.s, b.len);
	tg_csv_reader *r = open_ok(p, 40);
	tg_movie m;
	char why[256];
	ck_assert_int_eq(tg_csv_next(r, &m, why, sizeof why), TG_CSV_ROW);
	ck_assert_uint_eq(m.overview_len, 30);
	tg_movie_clear(&m);
	ck_assert_int_eq(tg_csv_next(r, &m, why, sizeof why), TG_CSV_ROW);
	ck_assert_int_eq(m.line, 3);
	ck_assert_uint_eq(m.overview_len, 40 - 5 - 7);
	tg_movie_clear(&m);
	expect_status(r, TG_CSV_ERROR, 5,
	              "record starting at line 5 is longer than 40 bytes (unbalanced quote?)");
	tg_csv_close(r);

	/* the header is a record too */
	char want[256];
	snprintf(want, sizeof want,
	         "'%s': record starting at line 1 is longer than 10 bytes (unbalanced quote?)", p);
	expect_open_fails(p, 10, want);
	unlink(p);
	free(b.s);
}
END_TEST

START_TEST(test_huge_fields)
{
	/* just under the default cap, spanning many chunks: read whole */
	size_t big = TG_CSV_DEFAULT_MAX_RECORD - 100;
	sbuf b = {0};
	sb_str(&b, "id,title,overview,genres\n1,T,\"");
	sb_fill(&b, 'x', big / 2);
	sb_str(&b, "\"\"\n\"\"");
	sb_fill(&b, 'y', big / 2);
	sb_str(&b, "\",Drama\n2,T,small,War\n");
	const char *p = tg_test_write_temp(b.s, b.len);
	tg_csv_reader *r = open_ok(p, 0);
	tg_movie m;
	char why[256];
	ck_assert_int_eq(tg_csv_next(r, &m, why, sizeof why), TG_CSV_ROW);
	ck_assert_uint_eq(m.overview_len, big + 3);
	ck_assert_uint_eq(strlen(m.overview), big + 3);
	ck_assert(memcmp(m.overview + big / 2, "\"\n\"y", 4) == 0);
	tg_movie_clear(&m);
	expect_row(r, 4, 2, "T", "small", "", "", "War");
	expect_eof(r);
	tg_csv_close(r);
	unlink(p);

	/* a 5 MB line: fatal, naming the line, whatever the cap */
	b.len = 0;
	sb_str(&b, "id,title,overview,genres\n1,T,O,Drama\n2,T,");
	sb_fill(&b, 'z', 5u << 20);
	sb_str(&b, ",Drama\n3,T,O,Drama\n");
	p = tg_test_write_temp(b.s, b.len);
	r = open_ok(p, 0);
	expect_row(r, 2, 1, "T", "O", "", "", "Drama");
	expect_status(r, TG_CSV_ERROR, 3,
	              "record starting at line 3 is longer than 1048576 bytes (unbalanced quote?)");
	tg_csv_close(r);
	r = open_ok(p, 4096);
	expect_row(r, 2, 1, "T", "O", "", "", "Drama");
	expect_status(r, TG_CSV_ERROR, 3,
	              "record starting at line 3 is longer than 4096 bytes (unbalanced quote?)");
	tg_csv_close(r);

	unlink(p);

	/* an unbalanced quote swallowing a big file hits the cap */
	b.len = 0;
	sb_str(&b, "id,title,overview,genres\n1,T,\"O,Drama\n");
	for (int i = 0; i < 40000; i++)
		sb_str(&b, "2,T,some overview text here,Drama\n");
	p = tg_test_write_temp(b.s, b.len);
	r = open_ok(p, 0);
	expect_status(r, TG_CSV_ERROR, 2,
	              "record starting at line 2 is longer than 1048576 bytes (unbalanced quote?)");
	tg_csv_close(r);
	unlink(p);
	free(b.s);
}
END_TEST

/* Many records of varied sizes, CRLF and embedded line breaks across chunk boundaries. */
START_TEST(test_chunk_boundaries)
{
	sbuf b = {0};
	sb_str(&b, "id,title,overview,genres\r\n");
	long line = 2;
	long lines[3000];
	for (int i = 0; i < 3000; i++) {
		char head[64];
		lines[i] = line;
		snprintf(head, sizeof head, "%d,T%d,\"", i, i);
		sb_str(&b, head);
		size_t len = (size_t)(i * 7919 % 251);
		for (size_t k = 0; k < len; k++) {
			if (k % 50 == 49) {
				sb_str(&b, "\r\n");
				line++;
			} else {
				sb_add(&b, &"abcdefghij"[k % 10], 1);
			}
		}
		sb_str(&b, "\",Drama\r\n");
		line++;
	}
	ck_assert_uint_gt(b.len, 3 * TG_CSV_CHUNK);
	const char *p = tg_test_write_temp(b.s, b.len);
	tg_csv_reader *r = open_ok(p, 0);
	for (int i = 0; i < 3000; i++) {
		tg_movie m;
		char why[128], title[32];
		ck_assert_int_eq(tg_csv_next(r, &m, why, sizeof why), TG_CSV_ROW);
		ck_assert_int_eq(m.id, i);
		ck_assert_int_eq(m.line, lines[i]);
		snprintf(title, sizeof title, "T%d", i);
		ck_assert_str_eq(m.title, title);
		size_t len = (size_t)(i * 7919 % 251);
		ck_assert_uint_eq(m.overview_len, len + len / 50);
		tg_movie_clear(&m);
	}
	expect_eof(r);
	tg_csv_close(r);
	unlink(p);
	free(b.s);
}
END_TEST

/* Every allocation failure yields "out of memory", never a crash or a leak. */
START_TEST(test_out_of_memory)
{
	int failures = 0;
	long k;
	for (k = 0; k < 500; k++) {
		char err[256];
		int rows = 0, bad = 0, errors = 0;
		tg_ingest_fail_allocs_after(k);
		tg_csv_reader *r = tg_csv_open(FIX "movies_basic.csv", 0, err, sizeof err);
		if (!r) {
			tg_ingest_fail_allocs_after(-1);
			ck_assert_msg(strstr(err, "out of memory") != NULL, "k=%ld: %s", k, err);
			failures++;
			continue;
		}
		for (;;) {
			tg_movie m;
			char why[256];
			int rc = tg_csv_next(r, &m, why, sizeof why);
			if (rc == TG_CSV_EOF)
				break;
			if (rc == TG_CSV_ERROR) {
				ck_assert_msg(strstr(why, "out of memory") != NULL, "k=%ld: %s", k, why);
				ck_assert_ptr_null(m.title);
				errors++;
				break;
			}
			if (rc == TG_CSV_ROW) {
				rows++;
				tg_movie_clear(&m);
			} else {
				bad++;
			}
		}
		tg_csv_close(r);
		tg_ingest_fail_allocs_after(-1);
		if (errors) {
			failures++;
			continue;
		}
		ck_assert_int_eq(rows, 6);
		ck_assert_int_eq(bad, 4);
		break;
	}
	ck_assert_int_lt(k, 500);
	ck_assert_int_ge(failures, 20);
}
END_TEST

static uint64_t rng_state = 0x2545f4914f6cdd1du;
static uint32_t rnd(void)
{
	return tg_test_random(&rng_state);
}

/* Mutated copies of the basic fixture: any outcome but a crash, leak or bad state. */
START_TEST(test_mutations)
{
	FILE *fp = fopen(FIX "movies_basic.csv", "rb");
	ck_assert_ptr_nonnull(fp);
	char orig[4096];
	size_t n = fread(orig, 1, sizeof orig, fp);
	fclose(fp);
	ck_assert_uint_gt(n, 1000);
	static const char alphabet[] = "\"\"\",\n\r[]{}'\\\xc3\xff\x00";
	char buf[4096];
	for (int iter = 0; iter < 300; iter++) {
		memcpy(buf, orig, n);
		size_t len = n;
		for (int m = 1 + (int)(rnd() % 6); m > 0; m--) {
			size_t at = rnd() % len;
			if (rnd() % 8 == 0)
				len = at + 1;
			else
				buf[at] = alphabet[rnd() % (sizeof alphabet - 1)];
		}
		const char *p = tg_test_write_temp(buf, len);
		char err[256];
		tg_csv_reader *r = tg_csv_open(p, 256, err, sizeof err);
		if (r) {
			long last = 0;
			for (int guard = 0; guard < 100; guard++) {
				tg_movie m;
				char why[256];
				int rc = tg_csv_next(r, &m, why, sizeof why);
				if (rc == TG_CSV_EOF || rc == TG_CSV_ERROR)
					break;
				ck_assert_int_gt(tg_csv_line(r), last);
				last = tg_csv_line(r);
				if (rc == TG_CSV_ROW) {
					ck_assert_ptr_nonnull(m.title);
					ck_assert_ptr_nonnull(m.overview);
					ck_assert_uint_eq(strlen(m.overview), m.overview_len);
					ck_assert(tg_utf8_valid(m.overview, m.overview_len));
					tg_movie_clear(&m);
				} else {
					ck_assert_int_eq(rc, TG_CSV_MALFORMED);
					ck_assert_uint_gt(strlen(why), 0);
				}
			}
			tg_csv_close(r);
		} else {
			ck_assert_uint_gt(strlen(err), 0);
		}
		unlink(p);
	}
}
END_TEST

START_TEST(test_movie_clear)
{
	tg_movie m;
	memset(&m, 0, sizeof m);
	tg_movie_clear(&m);
	tg_movie_clear(NULL);
	m.title = strdup("t");
	m.overview = strdup("o");
	m.genres = calloc(2, sizeof *m.genres);
	ck_assert_ptr_nonnull(m.genres);
	m.genres[0] = strdup("Drama");
	m.genres[1] = strdup("War");
	m.n_genres = 2;
	m.id = 5;
	m.line = 9;
	tg_movie_clear(&m);
	ck_assert_ptr_null(m.title);
	ck_assert_ptr_null(m.overview);
	ck_assert_ptr_null(m.genres);
	ck_assert_uint_eq(m.n_genres, 0);
	ck_assert_int_eq(m.id, 0);
	ck_assert_int_eq(m.line, 0);
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv_reader");
	TCase *tc = tcase_create("reader");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_basic_fixture);
	tcase_add_test(tc, test_crlf_bom_fixture);
	tcase_add_test(tc, test_bad_headers);
	tcase_add_test(tc, test_header_variants);
	tcase_add_test(tc, test_open_failures);
	tcase_add_test(tc, test_unterminated_quote);
	tcase_add_test(tc, test_bad_quoting);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_field_values);
	tcase_add_test(tc, test_line_endings);
	tcase_add_test(tc, test_record_cap);
	tcase_add_test(tc, test_huge_fields);
	tcase_add_test(tc, test_chunk_boundaries);
	tcase_add_test(tc, test_out_of_memory);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_movie_clear);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(csv_suite());
}
