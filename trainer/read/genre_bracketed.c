/*
** The bracketed spelling of a genre list (genre_list.h): recursive descent whose depth
** is bounded by TG_GENRE_MAX_DEPTH; every read goes through peek(), which checks the
** length.
*/
#include <stdint.h>
#include <string.h>

#include "genre_parse.h"

/* UTF-8 into a bounded sink. */
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
			return tg_gl_unexpected(P, "a hex digit in escape");
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
		return tg_gl_unexpected(P, "a string");
	int q = c;
	P->pos++;
	for (;;) {
		if (P->pos >= P->len)
			return tg_gl_fail(P, "unterminated string starting at byte %zu", start);
		c = P->s[P->pos++];
		if (c == q)
			return 0;
		if (c == '\n' || c == '\r')
			return tg_gl_fail(P, "unterminated string starting at byte %zu (line break inside)",
			            start);
		if (c != '\\') {
			sink_byte(k, (unsigned char)c);
			continue;
		}
		if (P->pos >= P->len)
			return tg_gl_fail(P, "unterminated string starting at byte %zu", start);
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
				return tg_gl_fail(P, "invalid code point escape at byte %zu", esc);
			sink_cp(k, cp);
			break;
		case 'u':
			if (hex_digits(P, 4, &cp))
				return -1;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return tg_gl_fail(P, "lone surrogate escape at byte %zu", esc);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				uint32_t lo = 0;
				if (P->len - P->pos < 6 || P->s[P->pos] != '\\' || P->s[P->pos + 1] != 'u')
					return tg_gl_fail(P, "lone surrogate escape at byte %zu", esc);
				P->pos += 2;
				if (hex_digits(P, 4, &lo))
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return tg_gl_fail(P, "lone surrogate escape at byte %zu", esc);
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
			return tg_gl_fail(P, "unknown escape at byte %zu", esc);
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
			return tg_gl_unexpected(P, "a value");
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
	return tg_gl_unexpected(P, "a value");
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
			return tg_gl_fail(P, "unbalanced brackets: missing '%c'", close);
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
			return tg_gl_fail(P, "unbalanced brackets: missing '%c'", close);
		return tg_gl_unexpected(P, close == ']' ? "',' or ']'" : "',' or '}'");
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
		return tg_gl_unexpected(P, "':'");
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
			return tg_gl_fail(P, "nesting deeper than %d levels", TG_GENRE_MAX_DEPTH);
		P->pos++;
		return parse_seq(P, c == '[' ? ']' : '}', depth + 1,
		                 c == '[' ? skip_item : skip_pair, NULL);
	}
	if (is_string_start(P))
		return parse_string(P, NULL);
	if (c == ']' || c == '}')
		return tg_gl_fail(P, "unbalanced brackets: unexpected '%c' at byte %zu", c, P->pos);
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
		return tg_gl_fail(P, "dict at byte %zu has two 'name' keys", d->dict_start);
	if (!is_string_start(P))
		return tg_gl_fail(P, "'name' at byte %zu is not a string", P->pos);
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
		return tg_gl_add_name(P, buf, k.len, k.overflow, k.has_nul);
	}
	if (c == '{') {
		if (depth > TG_GENRE_MAX_DEPTH)
			return tg_gl_fail(P, "nesting deeper than %d levels", TG_GENRE_MAX_DEPTH);
		dict_ctx d;
		d.have_name = 0;
		d.dict_start = P->pos;
		P->pos++;
		if (parse_seq(P, '}', depth + 1, dict_pair, &d))
			return -1;
		if (!d.have_name)
			return tg_gl_fail(P, "dict at byte %zu has no 'name' key", d.dict_start);
		return tg_gl_add_name(P, d.name, d.name_sink.len, d.name_sink.overflow,
		                d.name_sink.has_nul);
	}
	if (c == '[')
		return tg_gl_fail(P, "a list inside the genre list at byte %zu", P->pos);
	if (c == '}')
		return tg_gl_fail(P, "unbalanced brackets: unexpected '}' at byte %zu", P->pos);
	return tg_gl_unexpected(P, "a genre name or a dict");
}

int tg_gl_parse_bracketed(gl_parser *P)
{
	P->pos++; /* '[' */
	if (parse_seq(P, ']', 2, list_element, NULL))
		return -1;
	skip_ws(P);
	if (P->pos < P->len) {
		char tmp[48];
		return tg_gl_fail(P, "trailing garbage after the list: %s",
		            tg_gl_describe(P, P->pos, tmp, sizeof tmp));
	}
	return 0;
}
