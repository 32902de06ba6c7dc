/* JSON text for SQL results and registry metadata, built on sqlite3_str. */
#ifndef TG_JSON_H
#define TG_JSON_H

#include <stddef.h>
#include "sqlite3ext.h"

/* Appends s as a JSON string: quotes and escapes added, and any byte sequence that
** is not valid UTF-8 replaced by U+FFFD, so the result is always valid JSON. */
void tg_json_string(sqlite3_str *out, const char *s, size_t n);

/* Appends a finite number with the given significant digits; null otherwise. */
void tg_json_number(sqlite3_str *out, double v, int digits);

#endif
