#include "utf8.h"

size_t tg_utf8_sequence_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		need = 1, cp = c & 0x1Fu;
	else if ((c & 0xF0) == 0xE0)
		need = 2, cp = c & 0x0Fu;
	else if ((c & 0xF8) == 0xF0)
		need = 3, cp = c & 0x07u;
	else
		return 0;
	if (need >= n)
		return 0;
	for (size_t j = 1; j <= need; j++) {
		if ((s[j] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[j] & 0x3Fu);
	}
	static const unsigned min_cp[4] = { 0, 0x80, 0x800, 0x10000 };
	if (cp < min_cp[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return need + 1;
}

int tg_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0, len; i < n; i += len)
		if ((len = tg_utf8_sequence_len(s + i, n - i)) == 0)
			return 0;
	return 1;
}
