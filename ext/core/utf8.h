/*
** UTF-8 validation, one definition for the whole tree: the model loader checks label
** text with it, JSON output replaces what it refuses, and the trainer's CSV reader and
** genre-list parser reject rows with it.  Valid means RFC 3629: no overlong forms, no
** surrogates, nothing above U+10FFFF.
*/
#ifndef TG_UTF8_H
#define TG_UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence that starts s[0..n), n > 0; 0 when invalid
** or cut short by n. */
size_t tg_utf8_sequence_len(const unsigned char *s, size_t n);

/* 1 when s[0..n) is valid UTF-8 (the empty string is). */
int tg_utf8_valid(const char *s, size_t n);

#endif
