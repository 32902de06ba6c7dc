#include "feature_keys.h"
#include "subword.h"

/* Mixed into an n-gram's hash so that its key differs from a word's: the n-gram
** "dead" and the word "dead" hash the same bytes. */
#define TG_SUBWORD_TAG 0x5bd1e9955bd1e995ULL

size_t tg_subword_keys(const unsigned char *token, size_t len, tg_subword_range r, uint64_t *keys)
{
	if (r.min == 0 || len > TG_SUBWORD_MAX_WORD)
		return 0;
	/* Inside a token no byte is a separator, so each byte's value is its folded form
	** (a Latin-1 capital's lead byte is kept, and it is never the token's last). */
	unsigned char w[TG_SUBWORD_MAX_WORD + 2];
	size_t n = 0;
	w[n++] = '<';
	for (size_t i = 0; i < len; i++)
		w[n++] = (unsigned char)tg_byte_value(token, len, i);
	w[n++] = '>';
	size_t k = 0;
	for (size_t g = r.min; g <= r.max && g < n; g++)
		for (size_t at = 0; at + g <= n; at++) {
			uint64_t h = TG_FNV_OFFSET;
			for (size_t j = at; j < at + g; j++)
				h = (h ^ w[j]) * TG_FNV_PRIME;
			keys[k++] = tg_mix64(h ^ TG_SUBWORD_TAG);
		}
	return k;
}
