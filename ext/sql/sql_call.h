/*
** What every tg SQL function does before scoring: read its text argument without
** copying it, check its model-name argument, and find its model for the statement.
**
** A statement uses one model per name, as asked ('tgm.genre' and 'genre' are two
** names, perhaps of two models), from its first call to its end: the first
** call acquires the model from the cache (model_cache.h) and pins it in auxiliary
** data attached to the statement itself (sqlite3_set_auxdata with a negative index,
** which SQLite keeps until the statement is reset or finalized).  Later calls in the
** same statement find it there without any staleness check, so a deploy is never
** seen mid-statement and a running statement keeps its model alive.
*/
#ifndef TG_SQL_CALL_H
#define TG_SQL_CALL_H

#include <stddef.h>
#include "sqlite3ext.h"
#include "model_cache.h"

/*
** The bytes of a text argument: returns 1 and sets *text and *len; 0 for NULL; -1
** when out of memory.  Text is read in place; numbers are read as their text; blobs
** as their bytes, in place.
*/
int tg_arg_text(sqlite3_value *v, const void **text, size_t *len);

/* "integer", "real", "text", "blob" or "null", for error messages. */
const char *tg_type_name(sqlite3_value *v);

/*
** A name given as an argument of the function fn, what it names being what ("the
** model name", "the genre"): returns it (NUL-terminated, *len bytes); or NULL with
** *err set to an sqlite3_malloc'd "tg: fn(): ..." message (NULL when out of memory)
** when v is not text or holds a NUL byte, which would end the name early in every
** comparison and message.
*/
const char *tg_name_value(sqlite3_value *v, const char *fn, const char *what, int *len, char **err);

/*
** The model name of a call: argv[name_arg] when argc > name_arg, else the default.
** Returns it (NUL-terminated, *len bytes), or NULL after setting an error result
** naming the function fn when the argument is not text.
*/
const char *tg_call_name(sqlite3_context *c, int argc, sqlite3_value **argv, int name_arg,
                         const char *fn, int *len);

typedef struct tg_call {
	tg_loaded *loaded;      /* the model of this call */
	tg_loaded *to_release;  /* set when the model could not be pinned to the statement */
} tg_call;

/* The statement's model for the name, or NULL after setting the error result. */
tg_loaded *tg_call_model(sqlite3_context *c, const char *name, int name_len, tg_call *call);

/* Ends a call begun by a successful tg_call_model. */
void tg_call_end(tg_call *call);

/* Sets the function's error result: msg with code rc, or out of memory when rc is
** SQLITE_NOMEM or msg is NULL.  _free takes an sqlite3_mprintf'd msg and frees it. */
void tg_result_error(sqlite3_context *c, int rc, const char *msg);
void tg_result_error_free(sqlite3_context *c, int rc, char *msg);

/* Hands a finished string to SQLite as the result, as JSON (subtype 'J'). */
void tg_result_json(sqlite3_context *c, char *json, size_t len);

#define TG_JSON_SUBTYPE 74 /* 'J', as SQLite's JSON functions expect */

#endif
