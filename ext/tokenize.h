/*
** The tokenizer shared by training and prediction: one pass over the bytes that
** finds token boundaries, folds case and hashes, so no copy of the text is made.
**
** A token is a maximal run of ASCII letters and digits and of non-ASCII UTF-8
** bytes, so words of any script stay whole.  Separators are every other ASCII byte,
** U+0080..U+00BF (no-break space, guillemets, inverted marks) and U+2000..U+203F
** (typographic spaces, dashes, curly quotes, ellipsis): those are what real overviews
** put between words.  ASCII and Latin-1 capitals are folded to lower case.  Tokens of
** one byte are dropped ("a", the "s" of "hero's"): they carry no genre.  Invalid UTF-8
** is not an error: its bytes are word bytes like any other.
*/
#ifndef TG_TOKENIZE_H
#define TG_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

typedef struct tg_token {
	const unsigned char *start;  /* first byte of the token in the caller's text */
	size_t len;                  /* bytes, as in the text (before folding) */
	uint64_t hash;               /* FNV-1a of the case-folded bytes */
} tg_token;

typedef struct tg_tokenizer {
	const unsigned char *p;
	const unsigned char *end;
} tg_tokenizer;

#define TG_FNV_OFFSET 0xcbf29ce484222325ULL
#define TG_FNV_PRIME  0x100000001b3ULL

static inline void tg_tokenizer_init(tg_tokenizer *t, const void *text, size_t len)
{
	t->p = (const unsigned char *)text;
	t->end = t->p + len;
}

/* Length of the separator starting at p (0 when p starts a word byte). */
static inline size_t tg_separator_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	if (c < 0x80) {
		unsigned char lower = (unsigned char)(c | 0x20);
		int alnum = (lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9');
		return alnum ? 0 : 1;
	}
	if (c == 0xC2 && end - p >= 2 && p[1] >= 0x80 && p[1] <= 0xBF)
		return 2;
	if (c == 0xE2 && end - p >= 3 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0xBF)
		return 3;
	return 0;
}

/* Returns 1 and fills *tok with the next token, or 0 at the end of the text. */
static inline int tg_next_token(tg_tokenizer *t, tg_token *tok)
{
	const unsigned char *p = t->p, *end = t->end;
	for (;;) {
		size_t sep;
		while (p < end && (sep = tg_separator_len(p, end)) != 0)
			p += sep;
		if (p >= end) {
			t->p = p;
			return 0;
		}
		const unsigned char *start = p;
		uint64_t h = TG_FNV_OFFSET;
		while (p < end && tg_separator_len(p, end) == 0) {
			unsigned char c = *p;
			if (c >= 'A' && c <= 'Z') {
				c = (unsigned char)(c | 0x20);
			} else if (c == 0xC3 && end - p >= 2 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
				/* Latin-1 capital: hash the lead byte, then the lower-case trail. */
				h = (h ^ c) * TG_FNV_PRIME;
				c = (unsigned char)(p[1] + 0x20);
				p++;
			}
			h = (h ^ c) * TG_FNV_PRIME;
			p++;
		}
		if (p - start >= 2) {
			tok->start = start;
			tok->len = (size_t)(p - start);
			tok->hash = h;
			t->p = p;
			return 1;
		}
	}
}

#endif
