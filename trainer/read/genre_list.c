/*
** Genre list parser: see genre_list.h for the accepted spellings and limits.
** The bracketed form has a file of its own, genre_bracketed.c.
*/
#include "genre_parse.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fault.h"
#include "grow.h"

int tg_gl_fail(gl_parser *P, const char *fmt, ...)
{
	if (!P->failed) {
		P->failed = 1;
		va_list ap;
		va_start(ap, fmt);
		tg_verrf(P->why, P->whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int tg_gl_nomem(gl_parser *P)
{
	P->nomem = 1;
	return tg_gl_fail(P, "out of memory");
}

const char *tg_gl_describe(const gl_parser *P, size_t pos, char *tmp, size_t tmplen)
{
	if (pos >= P->len)
		snprintf(tmp, tmplen, "end of input");
	else if (P->s[pos] >= 0x21 && P->s[pos] < 0x7f)
		snprintf(tmp, tmplen, "'%c' at byte %zu", P->s[pos], pos);
	else
		snprintf(tmp, tmplen, "byte 0x%02x at byte %zu", P->s[pos], pos);
	return tmp;
}

int tg_gl_unexpected(gl_parser *P, const char *expected)
{
	char tmp[48];
	return tg_gl_fail(P, "expected %s, found %s", expected, tg_gl_describe(P, P->pos, tmp, sizeof tmp));
}

/* ---- names ---- */

static int is_space_ctl(int c)
{
	return c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int tg_gl_add_name(gl_parser *P, char *raw, size_t n, int overflow, int has_nul)
{
	if (overflow)
		return tg_gl_fail(P, "genre name longer than %d bytes", TG_GENRE_MAX_NAME);
	if (has_nul)
		return tg_gl_fail(P, "NUL character in genre name");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (is_space_ctl(c))
			raw[i] = ' ';
		else if (c < 0x20 || c == 0x7f)
			return tg_gl_fail(P, "control character 0x%02x in genre name", c);
	}
	const char *b = raw;
	while (n && *b == ' ')
		b++, n--;
	while (n && b[n - 1] == ' ')
		n--;
	if (n > TG_GENRE_MAX_NAME)
		return tg_gl_fail(P, "genre name longer than %d bytes", TG_GENRE_MAX_NAME);
	if (n == 0)
		return tg_gl_fail(P, "empty genre name");
	if (!tg_utf8_valid(b, n))
		return tg_gl_fail(P, "invalid UTF-8 in genre name");
	for (size_t i = 0; i < P->n; i++)
		if (strlen(P->names[i]) == n && memcmp(P->names[i], b, n) == 0)
			return 0;
	if (P->n == TG_GENRE_MAX_NAMES)
		return tg_gl_fail(P, "more than %d genres", TG_GENRE_MAX_NAMES);
	char **nn = tg_grow_by(P->names, &P->cap, P->n + 1, sizeof *nn, 4, tg_ingest_realloc);
	if (!nn)
		return tg_gl_nomem(P);
	P->names = nn;
	char *copy = tg_ingest_realloc(NULL, n + 1);
	if (!copy)
		return tg_gl_nomem(P);
	memcpy(copy, b, n);
	copy[n] = '\0';
	P->names[P->n++] = copy;
	return 0;
}

/* ---- plain delimited form ---- */

static int parse_plain(gl_parser *P)
{
	const unsigned char *s = P->s;
	size_t len = P->len;
	if (len == 0)
		return 0;
	int delim = memchr(s, '|', len) ? '|' : ',';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '[' || s[i] == ']' || s[i] == '{' || s[i] == '}') {
			char tmp[48];
			return tg_gl_fail(P, "unexpected %s in a plain genre list",
			            tg_gl_describe(P, i, tmp, sizeof tmp));
		}
	}
	size_t start = 0;
	while (start <= len) {
		const unsigned char *end = start < len ? memchr(s + start, delim, len - start) : NULL;
		size_t stop = end ? (size_t)(end - s) : len;
		const char *piece = (const char *)s + start;
		size_t n = stop - start;
		while (n && is_blank((unsigned char)*piece))
			piece++, n--;
		while (n && is_blank((unsigned char)piece[n - 1]))
			n--;
		if (n) {
			char tmp[TG_GENRE_MAX_NAME];
			if (n > sizeof tmp)
				return tg_gl_fail(P, "genre name longer than %d bytes", TG_GENRE_MAX_NAME);
			memcpy(tmp, piece, n);
			if (tg_gl_add_name(P, tmp, n, 0, memchr(piece, 0, n) != NULL))
				return -1;
		}
		start = stop + 1;
	}
	return 0;
}

/* ---- entry points ---- */

void tg_genre_list_free(char **names, size_t n)
{
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int tg_genre_list_parse(const char *s, size_t len, char ***names_out, size_t *n_out,
                        char *why, size_t whylen)
{
	gl_parser P;
	memset(&P, 0, sizeof P);
	P.s = (const unsigned char *)s;
	P.len = s ? len : 0;
	P.why = why;
	P.whylen = whylen;
	*names_out = NULL;
	*n_out = 0;
	if (why && whylen)
		why[0] = '\0';

	int rc;
	if (P.len > TG_GENRE_MAX_INPUT) {
		rc = tg_gl_fail(&P, "genre list longer than %u bytes", TG_GENRE_MAX_INPUT);
	} else {
		skip_ws(&P);
		if (peek(&P) == '[')
			rc = tg_gl_parse_bracketed(&P);
		else if (peek(&P) == '{')
			rc = tg_gl_fail(&P, "expected a list '[...]', found a dict");
		else
			rc = parse_plain(&P);
	}
	if (rc) {
		tg_genre_list_free(P.names, P.n);
		return P.nomem ? TG_GENRES_NOMEM : TG_GENRES_INVALID;
	}
	if (P.n == 0) {
		free(P.names);
		P.names = NULL;
	}
	*names_out = P.names;
	*n_out = P.n;
	return TG_GENRES_OK;
}
