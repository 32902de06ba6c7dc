#include <math.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "json.h"
#include "utf8.h"

void tg_json_string(sqlite3_str *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	sqlite3_str_appendchar(out, 1, '"');
	size_t run = 0; /* bytes copied verbatim, flushed in one append */
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = tg_utf8_sequence_len(s + i, n - i);
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
