/* The `movies` table; see movies_table.h. */
#include "dataset.h"
#include "movies_table.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "registry.h"


/* Growable byte buffer; ok goes to 0 on allocation failure. */
typedef struct buf {
	char *p;
	size_t n, cap;
	int ok;
} buf;

static void buf_reserve(buf *b, size_t extra)
{
	if (!b->ok)
		return;
	char *p = tg_grow(b->p, &b->cap, b->n + extra, 1, 64);
	if (!p) {
		b->ok = 0;
		return;
	}
	b->p = p;
}

static void buf_put(buf *b, const char *s, size_t len)
{
	buf_reserve(b, len);
	if (b->ok) {
		memcpy(b->p + b->n, s, len);
		b->n += len;
	}
}

/* Appends s as a JSON string literal (RFC 8259: escape '"', '\\' and U+0000..U+001F). */
static void json_string(buf *b, const char *s)
{
	static const char xd[] = "0123456789abcdef";
	buf_put(b, "\"", 1);
	const char *run = s;
	for (;; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_put(b, run, (size_t)(s - run));
		if (c == 0)
			break;
		char e[6] = { '\\', 0 };
		size_t len = 2;
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			e[1] = 'u'; e[2] = '0'; e[3] = '0'; e[4] = xd[c >> 4]; e[5] = xd[c & 15];
			len = 6;
		}
		buf_put(b, e, len);
		run = s + 1;
	}
	buf_put(b, "\"", 1);
}

/* Sets b's content (NUL-terminated) to the genres array of m. */
static void genres_json(buf *b, const tg_movie *m)
{
	b->n = 0;
	buf_put(b, "[", 1);
	for (size_t i = 0; m->genres && i < m->n_genres; i++) {
		if (i > 0)
			buf_put(b, ",", 1);
		json_string(b, m->genres[i] ? m->genres[i] : "");
	}
	buf_put(b, "]", 2); /* with the terminating NUL, not counted */
	if (b->ok)
		b->n--;
}

char *tg_movie_genres_json(const tg_movie *m, size_t *len)
{
	buf b = { NULL, 0, 0, 1 };
	genres_json(&b, m);
	if (!b.ok) {
		free(b.p);
		return NULL;
	}
	if (len)
		*len = b.n;
	return b.p;
}

static int bind_str(sqlite3_stmt *st, int i, const char *s, size_t len)
{
	if (!s)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text64(st, i, s, (sqlite3_uint64)len, SQLITE_STATIC, SQLITE_UTF8);
}

int tg_movies_table_write(sqlite3 *db, const tg_movie *movies, size_t n, char *err, size_t errlen)
{
	static const char what[] = "writing the movies table";
	if (!db || (!movies && n > 0))
		return tg_reg_errf(err, errlen, TG_REG_MISUSE, "no database or movies given: %s", what);
	tg_txn t;
	int code = tg_txn_begin(db, &t, what, err, errlen);
	if (code)
		return code;
	sqlite3_stmt *st = NULL;
	/* (split's CHECK is spelled with OR: "IN (list)" in a CHECK costs SQLite 3.40 as much
	** again as the whole insert.) */
	buf b = { NULL, 0, 0, 1 };
	int rc = sqlite3_exec(db,
	                      "CREATE TABLE IF NOT EXISTS movies (\n"
	                      "\tid INTEGER NOT NULL,\n"
	                      "\ttitle TEXT,\n"
	                      "\toverview TEXT,\n"
	                      "\tgenres TEXT NOT NULL,\n"
	                      "\trelease_date TEXT,\n"
	                      "\toriginal_language TEXT,\n"
	                      "\tsplit TEXT NOT NULL"
	                      " CHECK (split = 'train' OR split = 'validation' OR split = 'test')\n"
	                      ")",
	                      NULL, NULL, NULL);
	/* Prepared before the DELETE: an incompatible existing table fails here, untouched. */
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
		                        "INSERT INTO movies (id, title, overview, genres, release_date,"
		                        " original_language, split) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "DELETE FROM movies", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		const tg_movie *m = &movies[i];
		genres_json(&b, m);
		if (!b.ok) {
			code = tg_reg_errf(err, errlen, TG_REG_ERROR, "out of memory: %s", what);
			goto fail;
		}
		rc = sqlite3_bind_int64(st, 1, m->id);
		if (rc == SQLITE_OK)
			rc = bind_str(st, 2, m->title, m->title ? strlen(m->title) : 0);
		if (rc == SQLITE_OK)
			rc = bind_str(st, 3, m->overview,
			              !m->overview ? 0 : m->overview_len ? m->overview_len : strlen(m->overview));
		if (rc == SQLITE_OK)
			rc = bind_str(st, 4, b.p, b.n);
		if (rc == SQLITE_OK)
			rc = bind_str(st, 5, m->release_date, m->release_date ? strlen(m->release_date) : 0);
		if (rc == SQLITE_OK)
			rc = bind_str(st, 6, m->original_language,
			              m->original_language ? strlen(m->original_language) : 0);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 7, tg_split_name(tg_split_of(m->id)), -1, SQLITE_STATIC);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(st);
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		if (rc != SQLITE_OK) {
			code = tg_reg_sqlerr(db, rc, err, errlen, "%s (film id %lld, record %zu)", what,
			                     (long long)m->id, i + 1);
			goto fail;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	free(b.p);
	return tg_txn_commit(db, &t, what, err, errlen);

fail:
	sqlite3_finalize(st);
	free(b.p);
	tg_txn_rollback(db, &t);
	return code;
}
