#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "genre_list.h"
#include "query_source.h"

static int column_named(sqlite3_stmt *st, const char *name)
{
	for (int i = 0; i < sqlite3_column_count(st); i++)
		if (sqlite3_stricmp(sqlite3_column_name(st, i), name) == 0)
			return i;
	return -1;
}

static char *copy_column(sqlite3_stmt *st, int col, size_t *len)
{
	const unsigned char *t = col >= 0 ? sqlite3_column_text(st, col) : NULL;
	size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
	char *s = malloc(n + 1);
	if (s) {
		if (n)
			memcpy(s, t, n);
		s[n] = 0;
	}
	if (len)
		*len = n;
	return s;
}

/* A field into the data fingerprint, its length first, so that no two fields (or rows)
** can trade bytes and hash alike. */
static void fingerprint_field(tg_sha256 *fp, const char *s, size_t len)
{
	uint64_t n = len;
	tg_sha256_update(fp, &n, sizeof n);
	tg_sha256_update(fp, s, len);
}

/* Whether s holds only whitespace, semicolons and comments (SQL after the first statement). */
static int only_filler(const char *s)
{
	for (;;) {
		s += strspn(s, " \t\r\n\f\v;");
		if (!*s)
			return 1;
		if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
		} else if (s[0] == '/' && s[1] == '*') {
			const char *end = strstr(s + 2, "*/");
			if (!end)
				return 1; /* SQLite reads an unterminated comment to the end */
			s = end + 2;
		} else {
			return 0;
		}
	}
}

/*
** The training query must only read: it runs on the user's database before the store
** transaction, so a write (DELETE ... RETURNING, a second statement) would stay
** committed even when training fails.  Returns the prepared statement or NULL (err set).
*/
static sqlite3_stmt *prepare_read_only(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK) {
		tg_errf(err, errlen, "--query: %s", sqlite3_errmsg(db));
		return NULL;
	}
	const char *why = !st ? "it holds no SQL statement"
	                : !sqlite3_stmt_readonly(st) ? "it would write to the database; only a read-only query (SELECT) trains"
	                : !only_filler(tail) ? "it holds more than one statement; give one SELECT"
	                : NULL;
	if (why) {
		tg_errf(err, errlen, "--query refused, nothing was run: %s", why);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int tg_dataset_read_query(tg_dataset *d, sqlite3 *db, const char *sql, int need_title, tg_sha256 *fp,
                          char *err, size_t errlen)
{
	sqlite3_stmt *st = prepare_read_only(db, sql, err, errlen);
	if (!st)
		return -1;
	int c_overview = column_named(st, "overview"), c_genres = column_named(st, "genres");
	int c_id = column_named(st, "id"), c_title = column_named(st, "title");
	if (c_overview < 0 || c_genres < 0) {
		tg_errf(err, errlen, "--query must return columns named overview and genres (use AS)");
		sqlite3_finalize(st);
		return -1;
	}
	if (need_title && c_title < 0) {
		tg_errf(err, errlen, "--inputs title,overview needs a column named title in --query's rows");
		sqlite3_finalize(st);
		return -1;
	}
	tg_sha256_update(fp, sql, strlen(sql) + 1);
	int rc;
	long row = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row++;
		tg_movie m = { 0 };
		m.line = row;
		m.id = c_id >= 0 ? sqlite3_column_int64(st, c_id) : row;
		m.overview = copy_column(st, c_overview, &m.overview_len);
		m.title = copy_column(st, c_title, NULL);
		m.release_date = copy_column(st, -1, NULL);
		m.original_language = copy_column(st, -1, NULL);
		size_t glen;
		char *genres = copy_column(st, c_genres, &glen);
		char why[160];
		if (!m.overview || !m.title || !m.release_date || !m.original_language || !genres) {
			free(genres);
			tg_movie_clear(&m);
			tg_errf(err, errlen, "out of memory at row %ld of --query", row);
			sqlite3_finalize(st);
			return -1;
		}
		/* What the model reads of the row: its id (the split), overview, genres, and
		** its title when it reads titles (up to a NUL, as prepare.c reads it). */
		tg_sha256_update(fp, &m.id, sizeof m.id);
		fingerprint_field(fp, m.overview, m.overview_len);
		fingerprint_field(fp, genres, glen);
		if (need_title)
			fingerprint_field(fp, m.title, strlen(m.title));
		int g = tg_genre_list_parse(genres, glen, &m.genres, &m.n_genres, why, sizeof why);
		free(genres);
		int pushed = g == TG_GENRES_OK ? tg_dataset_push(d, &m)
		                               : tg_dataset_push_malformed(d, row, why);
		tg_movie_clear(&m);
		if (pushed != 0 || g == TG_GENRES_NOMEM) {
			tg_errf(err, errlen, "out of memory at row %ld of --query", row);
			sqlite3_finalize(st);
			return -1;
		}
	}
	if (rc != SQLITE_DONE) {
		tg_errf(err, errlen, "--query failed at row %ld: %s", row + 1, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}
