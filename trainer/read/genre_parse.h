/*
** The genre list parser's own parts (genre_list.h is its interface): the state both
** forms share, the helpers that record the first error, and the bracketed form, which
** has a file of its own (genre_bracketed.c).  Private to read/.
*/
#ifndef TG_GENRE_PARSE_H
#define TG_GENRE_PARSE_H

#include <stddef.h>

#include "genre_list.h"

typedef struct {
	const unsigned char *s;
	size_t len, pos;
	char **names;
	size_t n, cap;
	char *why;
	size_t whylen;
	int failed;              /* first error wins */
	int nomem;
} gl_parser;

/* Decoded string sink: bounded, overflow noted instead of written. */
typedef struct {
	char *buf;
	size_t cap, len;
	int overflow;
	int has_nul;
} gl_sink;

#define SINK_NAME_CAP (2 * TG_GENRE_MAX_NAME) /* room for blanks trimmed later */
#define SINK_KEY_CAP 16

/* Records the first error (later ones are consequences); returns -1. */
int tg_gl_fail(gl_parser *P, const char *fmt, ...);
int tg_gl_nomem(gl_parser *P);
/* Describes the byte at pos (or end of input) for messages. */
const char *tg_gl_describe(const gl_parser *P, size_t pos, char *tmp, size_t tmplen);
int tg_gl_unexpected(gl_parser *P, const char *expected);

/* Validates, trims and appends a name (deduplicated).  raw[0..n) is writable scratch:
** tabs and line breaks become spaces. */
int tg_gl_add_name(gl_parser *P, char *raw, size_t n, int overflow, int has_nul);

/* The list from its '[' on: strings and dicts with a 'name' key, any nesting skipped
** up to TG_GENRE_MAX_DEPTH. */
int tg_gl_parse_bracketed(gl_parser *P);

static inline int peek(const gl_parser *P)
{
	return P->pos < P->len ? P->s[P->pos] : -1;
}

static inline int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline void skip_ws(gl_parser *P)
{
	while (P->pos < P->len && is_blank(P->s[P->pos]))
		P->pos++;
}


#endif
