/*
** Parsing a film's genre list into owned genre names.
**
** Three spellings are accepted, detected from the first non-blank byte:
**
**   '['   a bracketed list, Python-literal or JSON:
**           [{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}]   (Kaggle)
**           [{"id": 16, "name": "Animation"}]   ["Drama", "Comedy"]   []
**         Elements are strings (the name itself) or dicts/objects holding a string
**         'name' (other keys, in any order, may hold any scalar, list or dict value).
**         Strings may be single- or double-quoted with the escapes of Python and JSON:
**         \\ \' \" \/ \n \t \r \b \f \v \a, octal \NNN, \xNN, \uNNNN (JSON surrogate pairs
**         joined), \UNNNNNNNN; code points become UTF-8.  Scalars: numbers, None, True,
**         False, null, true, false.  A trailing comma is allowed, as in Python.
**   other a plain delimited string, for users' own tables: "Drama|Comedy" splits on '|'
**         when the text holds one, otherwise on ',' ("Drama, Comedy"); names are trimmed
**         and empty pieces dropped.  An empty or blank string is an empty list.  A
**         bracket or brace anywhere in it is an error (a broken list, not names).
**
** In names, tabs and line breaks become spaces; names are trimmed of spaces and must be
** non-empty valid UTF-8 without other control characters or NUL; a repeated name is
** kept once (first occurrence).  Limits guard against absurd input: TG_GENRE_MAX_INPUT
** bytes in all, TG_GENRE_MAX_NAMES names, TG_GENRE_MAX_NAME bytes per name,
** TG_GENRE_MAX_DEPTH nested brackets.
**
** The parser reads exactly `len` bytes (no NUL terminator needed), never recurses
** deeper than TG_GENRE_MAX_DEPTH and checks every allocation: it is safe on any bytes.
*/
#ifndef TG_GENRE_LIST_H
#define TG_GENRE_LIST_H

#include <stddef.h>

#include "utf8.h"

#define TG_GENRE_MAX_INPUT (1u << 20)
#define TG_GENRE_MAX_NAMES 256
#define TG_GENRE_MAX_NAME 256
#define TG_GENRE_MAX_DEPTH 8

enum {
	TG_GENRES_OK = 0,      /* *names_out / *n_out set (n may be 0, names then NULL) */
	TG_GENRES_INVALID = 1, /* rejected; reason in why */
	TG_GENRES_NOMEM = 2    /* out of memory; "out of memory" in why */
};

/*
** Parses s[0..len).  On TG_GENRES_OK the caller owns *names_out (free with
** tg_genre_list_free); otherwise *names_out is NULL and *n_out 0.  `why` (may be NULL
** when whylen is 0) receives a one-line reason for anything but TG_GENRES_OK.
*/
int tg_genre_list_parse(const char *s, size_t len, char ***names_out, size_t *n_out,
                        char *why, size_t whylen);

/* Frees names[0..n) and the array; NULL is fine. */
void tg_genre_list_free(char **names, size_t n);

#endif
