/*
** Genre list parser: see genre_list.h for the accepted spellings and limits.
**
** The bracketed form is parsed by recursive descent whose depth is bounded by
** TG_GENRE_MAX_DEPTH; every read goes through peek()/take(), which check the length.
*/
#include "genre_list.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* ---- allocation (with the testing hook) ---- */

static long fail_after = -1;

void tg_ingest_fail_allocs_after(long n)
{
	fail_after = n;
}

void *tg_ingest_realloc(void *p, size_t size)
{
	if (size == 0)
		size = 1;
	if (fail_after == 0)
		return NULL;
	void *q = realloc(p, size);
	if (q && fail_after > 0)
		fail_after--;
	return q;
}

/* ---- parser state ---- */

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

static int fail(gl_parser *P, const char *fmt, ...)
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

static int fail_nomem(gl_parser *P)
{
	P->nomem = 1;
	return fail(P, "out of memory");
}

/* Describes the byte at pos (or end of input) for messages. */
static const char *describe(const gl_parser *P, size_t pos, char *tmp, size_t tmplen)
{
	if (pos >= P->len)
		snprintf(tmp, tmplen, "end of input");
	else if (P->s[pos] >= 0x21 && P->s[pos] < 0x7f)
		snprintf(tmp, tmplen, "'%c' at byte %zu", P->s[pos], pos);
	else
		snprintf(tmp, tmplen, "byte 0x%02x at byte %zu", P->s[pos], pos);
	return tmp;
}

static int unexpected(gl_parser *P, const char *expected)
{
	char tmp[48];
	return fail(P, "expected %s, found %s", expected, describe(P, P->pos, tmp, sizeof tmp));
}

static int peek(const gl_parser *P)
{
	return P->pos < P->len ? P->s[P->pos] : -1;
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(gl_parser *P)
{
	while (P->pos < P->len && is_blank(P->s[P->pos]))
		P->pos++;
}

/* ---- UTF-8 ---- */

static void sink_byte(gl_sink *k, unsigned char c)
{
	if (!k)
		return;
	if (c == 0)
		k->has_nul = 1;
	if (k->len < k->cap)
		k->buf[k->len++] = (char)c;
	else
		k->overflow = 1;
}

static void sink_cp(gl_sink *k, uint32_t cp)
{
	if (cp < 0x80) {
		sink_byte(k, (unsigned char)cp);
	} else if (cp < 0x800) {
		sink_byte(k, (unsigned char)(0xc0 | (cp >> 6)));
		sink_byte(k, (unsigned char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sink_byte(k, (unsigned char)(0xe0 | (cp >> 12)));
		sink_byte(k, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		sink_byte(k, (unsigned char)(0x80 | (cp & 0x3f)));
	} else {
		sink_byte(k, (unsigned char)(0xf0 | (cp >> 18)));
		sink_byte(k, (unsigned char)(0x80 | ((cp >> 12) & 0x3f)));
		sink_byte(k, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		sink_byte(k, (unsigned char)(0x80 | (cp & 0x3f)));
	}
}

/* ---- names ---- */

static int is_space_ctl(int c)
{
	return c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
** Validates, trims and appends a name (deduplicated).  raw[0..n) is writable scratch:
** tabs and line breaks become spaces.
*/
static int add_name(gl_parser *P, char *raw, size_t n, int overflow, int has_nul)
{
	if (overflow)
		return fail(P, "genre name longer than %d bytes", TG_GENRE_MAX_NAME);
	if (has_nul)
		return fail(P, "NUL character in genre name");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (is_space_ctl(c))
			raw[i] = ' ';
		else if (c < 0x20 || c == 0x7f)
			return fail(P, "control character 0x%02x in genre name", c);
	}
	const char *b = raw;
	while (n && *b == ' ')
		b++, n--;
	while (n && b[n - 1] == ' ')
		n--;
	if (n > TG_GENRE_MAX_NAME)
		return fail(P, "genre name longer than %d bytes", TG_GENRE_MAX_NAME);
	if (n == 0)
		return fail(P, "empty genre name");
	if (!tg_utf8_valid(b, n))
		return fail(P, "invalid UTF-8 in genre name");
	for (size_t i = 0; i < P->n; i++)
		if (strlen(P->names[i]) == n && memcmp(P->names[i], b, n) == 0)
			return 0;
	if (P->n == TG_GENRE_MAX_NAMES)
		return fail(P, "more than %d genres", TG_GENRE_MAX_NAMES);
	if (P->n == P->cap) {
		size_t ncap = P->cap ? P->cap * 2 : 4;
		char **nn = tg_ingest_realloc(P->names, ncap * sizeof *nn);
		if (!nn)
			return fail_nomem(P);
		P->names = nn;
		P->cap = ncap;
	}
	char *copy = tg_ingest_realloc(NULL, n + 1);
	if (!copy)
		return fail_nomem(P);
	memcpy(copy, b, n);
	copy[n] = '\0';
	P->names[P->n++] = copy;
	return 0;
}

/* ---- bracketed form ---- */

static int hex_digits(gl_parser *P, int count, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < count; i++) {
		int c = peek(P);
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return unexpected(P, "a hex digit in escape");
		v = (v << 4) | (uint32_t)d;
		P->pos++;
	}
	*out = v;
	return 0;
}

/*
** Parses a quoted string at P->pos (optionally u-prefixed), decoding into k (NULL:
** validate only).
*/
static int parse_string(gl_parser *P, gl_sink *k)
{
	size_t start = P->pos;
	int c = peek(P);
	if (c == 'u' || c == 'U')
		c = (P->pos++, peek(P));
	if (c != '\'' && c != '"')
		return unexpected(P, "a string");
	int q = c;
	P->pos++;
	for (;;) {
		if (P->pos >= P->len)
			return fail(P, "unterminated string starting at byte %zu", start);
		c = P->s[P->pos++];
		if (c == q)
			return 0;
		if (c == '\n' || c == '\r')
			return fail(P, "unterminated string starting at byte %zu (line break inside)",
			            start);
		if (c != '\\') {
			sink_byte(k, (unsigned char)c);
			continue;
		}
		if (P->pos >= P->len)
			return fail(P, "unterminated string starting at byte %zu", start);
		size_t esc = P->pos - 1;
		c = P->s[P->pos++];
		uint32_t cp = 0;
		switch (c) {
		case '\\': case '\'': case '"': case '/':
			sink_byte(k, (unsigned char)c);
			break;
		case 'n': sink_byte(k, '\n'); break;
		case 't': sink_byte(k, '\t'); break;
		case 'r': sink_byte(k, '\r'); break;
		case 'b': sink_byte(k, '\b'); break;
		case 'f': sink_byte(k, '\f'); break;
		case 'v': sink_byte(k, '\v'); break;
		case 'a': sink_byte(k, '\a'); break;
		case '\n':                    /* Python line continuation */
			break;
		case '\r':
			if (peek(P) == '\n')
				P->pos++;
			break;
		case 'x':
			if (hex_digits(P, 2, &cp))
				return -1;
			sink_cp(k, cp);
			break;
		case 'U':
			if (hex_digits(P, 8, &cp))
				return -1;
			if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				return fail(P, "invalid code point escape at byte %zu", esc);
			sink_cp(k, cp);
			break;
		case 'u':
			if (hex_digits(P, 4, &cp))
				return -1;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return fail(P, "lone surrogate escape at byte %zu", esc);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				uint32_t lo = 0;
				if (P->len - P->pos < 6 || P->s[P->pos] != '\\' || P->s[P->pos + 1] != 'u')
					return fail(P, "lone surrogate escape at byte %zu", esc);
				P->pos += 2;
				if (hex_digits(P, 4, &lo))
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return fail(P, "lone surrogate escape at byte %zu", esc);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			sink_cp(k, cp);
			break;
		default:
			if (c >= '0' && c <= '7') {
				cp = (uint32_t)(c - '0');
				for (int i = 0; i < 2 && peek(P) >= '0' && peek(P) <= '7'; i++)
					cp = cp * 8 + (uint32_t)(P->s[P->pos++] - '0');
				sink_cp(k, cp);
				break;
			}
			P->pos = esc;
			return fail(P, "unknown escape at byte %zu", esc);
		}
	}
}

static int is_ident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (c >= '0' && c <= '9');
}

/* A number, None/True/False or null/true/false. */
static int parse_scalar(gl_parser *P)
{
	size_t start = P->pos;
	int c = peek(P);
	if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
		if (c == '-' || c == '+')
			P->pos++;
		size_t digits = 0;
		int prev = 0;
		while (P->pos < P->len) {
			c = P->s[P->pos];
			if (c >= '0' && c <= '9')
				digits++;
			else if (!(c == '.' || c == '_' || c == 'e' || c == 'E' ||
			           ((c == '+' || c == '-') && (prev == 'e' || prev == 'E'))))
				break;
			prev = c;
			P->pos++;
		}
		if (digits == 0) {
			P->pos = start;
			return unexpected(P, "a value");
		}
		return 0;
	}
	static const char *const words[] = {"None", "True", "False", "null", "true", "false"};
	size_t n = 0;
	while (P->pos + n < P->len && is_ident(P->s[P->pos + n]))
		n++;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strlen(words[i]) == n && memcmp(P->s + P->pos, words[i], n) == 0) {
			P->pos += n;
			return 0;
		}
	}
	return unexpected(P, "a value");
}

static int is_string_start(const gl_parser *P)
{
	int c = peek(P);
	if (c == 'u' || c == 'U')
		return P->pos + 1 < P->len && (P->s[P->pos + 1] == '\'' || P->s[P->pos + 1] == '"');
	return c == '\'' || c == '"';
}

/*
** Walks a comma-separated sequence up to `close`, calling item() for each element.
** P->pos is just after the opening bracket.  Trailing comma allowed.
*/
typedef int (*item_fn)(gl_parser *P, int depth, void *ctx);

static int parse_seq(gl_parser *P, int close, int depth, item_fn item, void *ctx)
{
	for (;;) {
		skip_ws(P);
		if (peek(P) == close) {
			P->pos++;
			return 0;
		}
		if (peek(P) < 0)
			return fail(P, "unbalanced brackets: missing '%c'", close);
		if (item(P, depth, ctx))
			return -1;
		skip_ws(P);
		if (peek(P) == ',') {
			P->pos++;
			continue;
		}
		if (peek(P) == close) {
			P->pos++;
			return 0;
		}
		if (peek(P) < 0)
			return fail(P, "unbalanced brackets: missing '%c'", close);
		return unexpected(P, close == ']' ? "',' or ']'" : "',' or '}'");
	}
}

static int skip_value(gl_parser *P, int depth);

static int skip_item(gl_parser *P, int depth, void *ctx)
{
	(void)ctx;
	return skip_value(P, depth);
}

/* A pair's key -- a string (into ks, if given) or a scalar -- and its ':'. */
static int parse_key(gl_parser *P, gl_sink *ks)
{
	if (is_string_start(P)) {
		if (parse_string(P, ks))
			return -1;
	} else if (parse_scalar(P)) {
		return -1;
	}
	skip_ws(P);
	if (peek(P) != ':')
		return unexpected(P, "':'");
	P->pos++;
	skip_ws(P);
	return 0;
}

static int skip_pair(gl_parser *P, int depth, void *ctx)
{
	(void)ctx;
	return parse_key(P, NULL) ? -1 : skip_value(P, depth);
}

/* Any value; depth is the nesting level a bracket here would open. */
static int skip_value(gl_parser *P, int depth)
{
	int c = peek(P);
	if (c == '[' || c == '{') {
		if (depth > TG_GENRE_MAX_DEPTH)
			return fail(P, "nesting deeper than %d levels", TG_GENRE_MAX_DEPTH);
		P->pos++;
		return parse_seq(P, c == '[' ? ']' : '}', depth + 1,
		                 c == '[' ? skip_item : skip_pair, NULL);
	}
	if (is_string_start(P))
		return parse_string(P, NULL);
	if (c == ']' || c == '}')
		return fail(P, "unbalanced brackets: unexpected '%c' at byte %zu", c, P->pos);
	return parse_scalar(P);
}

typedef struct {
	int have_name;
	size_t dict_start;
	char name[SINK_NAME_CAP];
	gl_sink name_sink;
} dict_ctx;

static int dict_pair(gl_parser *P, int depth, void *vctx)
{
	dict_ctx *d = vctx;
	char key[SINK_KEY_CAP];
	gl_sink ks = {key, sizeof key, 0, 0, 0};
	if (parse_key(P, &ks))
		return -1;
	/* A scalar key leaves ks empty. */
	if (ks.overflow || ks.len != 4 || memcmp(key, "name", 4) != 0)
		return skip_value(P, depth);
	if (d->have_name)
		return fail(P, "dict at byte %zu has two 'name' keys", d->dict_start);
	if (!is_string_start(P))
		return fail(P, "'name' at byte %zu is not a string", P->pos);
	d->name_sink = (gl_sink){d->name, sizeof d->name, 0, 0, 0};
	if (parse_string(P, &d->name_sink))
		return -1;
	d->have_name = 1;
	return 0;
}

static int list_element(gl_parser *P, int depth, void *ctx)
{
	(void)ctx;
	int c = peek(P);
	if (is_string_start(P)) {
		char buf[SINK_NAME_CAP];
		gl_sink k = {buf, sizeof buf, 0, 0, 0};
		if (parse_string(P, &k))
			return -1;
		return add_name(P, buf, k.len, k.overflow, k.has_nul);
	}
	if (c == '{') {
		if (depth > TG_GENRE_MAX_DEPTH)
			return fail(P, "nesting deeper than %d levels", TG_GENRE_MAX_DEPTH);
		dict_ctx d;
		d.have_name = 0;
		d.dict_start = P->pos;
		P->pos++;
		if (parse_seq(P, '}', depth + 1, dict_pair, &d))
			return -1;
		if (!d.have_name)
			return fail(P, "dict at byte %zu has no 'name' key", d.dict_start);
		return add_name(P, d.name, d.name_sink.len, d.name_sink.overflow,
		                d.name_sink.has_nul);
	}
	if (c == '[')
		return fail(P, "a list inside the genre list at byte %zu", P->pos);
	if (c == '}')
		return fail(P, "unbalanced brackets: unexpected '}' at byte %zu", P->pos);
	return unexpected(P, "a genre name or a dict");
}

static int parse_bracketed(gl_parser *P)
{
	P->pos++; /* '[' */
	if (parse_seq(P, ']', 2, list_element, NULL))
		return -1;
	skip_ws(P);
	if (P->pos < P->len) {
		char tmp[48];
		return fail(P, "trailing garbage after the list: %s",
		            describe(P, P->pos, tmp, sizeof tmp));
	}
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
			return fail(P, "unexpected %s in a plain genre list",
			            describe(P, i, tmp, sizeof tmp));
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
				return fail(P, "genre name longer than %d bytes", TG_GENRE_MAX_NAME);
			memcpy(tmp, piece, n);
			if (add_name(P, tmp, n, 0, memchr(piece, 0, n) != NULL))
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
		rc = fail(&P, "genre list longer than %u bytes", TG_GENRE_MAX_INPUT);
	} else {
		skip_ws(&P);
		if (peek(&P) == '[')
			rc = parse_bracketed(&P);
		else if (peek(&P) == '{')
			rc = fail(&P, "expected a list '[...]', found a dict");
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
