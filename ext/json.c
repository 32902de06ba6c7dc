#include <math.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "json.h"

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is not valid. */
static size_t utf8_sequence_len(const unsigned char *s, size_t n)
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

void tg_json_string(sqlite3_str *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	sqlite3_str_appendchar(out, 1, '"');
	size_t run = 0; /* bytes copied verbatim, flushed in one append */
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = utf8_sequence_len(s + i, n - i);
		if (len > 1 || (len == 1 && c >= 0x20 && c != '"' && c != '\\')) {
			run += len;
			i += len;
			continue;
		}
		sqlite3_str_append(out, (const char *)s + i - run, (int)run);
		run = 0;
		if (len == 0)
			sqlite3_str_appendall(out, "\\ufffd");
		else if (c == '"' || c == '\\')
			sqlite3_str_appendf(out, "\\%c", c);
		else if (c == '\n')
			sqlite3_str_appendall(out, "\\n");
		else if (c == '\t')
			sqlite3_str_appendall(out, "\\t");
		else
			sqlite3_str_appendf(out, "\\u%04x", c);
		i++;
	}
	sqlite3_str_append(out, (const char *)s + n - run, (int)run);
	sqlite3_str_appendchar(out, 1, '"');
}

void tg_json_number(sqlite3_str *out, double v, int digits)
{
	if (isfinite(v))
		sqlite3_str_appendf(out, "%.*g", digits, v);
	else
		sqlite3_str_appendall(out, "null");
}
