/*
** The per-connection context of the extension and its model cache.
**
** Each connection that loads tg gets one tg_context, shared by every function and
** module tg registers on it and freed when the last of those registrations goes
** away (connection closed, or the extension loaded again over itself).  Nothing is
** shared between connections, so there is no locking: SQLite runs the callbacks of
** one connection one at a time.
**
** The cache maps a model name to the model deployed under that name, loaded once.
** The registry is found as SQLite finds an unqualified table: in temp, then main,
** then each attached schema in the order of attachment; the first schema whose
** tg_models deploys the name wins.  A name "schema.model" looks in that schema
** alone (when the part before the dot names one of the connection's schemas).
**
** tg_cache_acquire checks that the cached model is still the deployed one at the
** cost of two file-control calls when the model is in main and the statement holds
** main's read transaction, and of a few small indexed queries otherwise; the blob is
** read and loaded again only when the deployed row changed: another schema, another
** id, or the same id with another blob (its length and header checksum differ; the
** checksum is read through SQL, reading the whole blob, when tg_models is a view or a
** WITHOUT ROWID table).
**
** A tg_loaded is reference counted: the cache holds one reference and every
** statement using it holds one (see sql_call.h), so a statement that is running
** when a new model is deployed keeps the model it started with.
*/
#ifndef TG_MODEL_CACHE_H
#define TG_MODEL_CACHE_H

#include "sqlite3ext.h"
#include "error.h"
#include "model.h"

#define TG_LABEL_SLACK 16

typedef struct tg_loaded {
	int refs;
	sqlite3_int64 id;              /* tg_models.id of the row it came from */
	const char *schema;            /* the schema whose tg_models holds that row */
	sqlite3_int64 bytes;           /* with checksum, tells that row's blob from */
	uint64_t checksum;             /*   another stored later under the same id */
	tg_model *model;
	/* The name it was asked for, perhaps "schema.name": a statement's calls and the
	** cache tell their models apart by it, since 'tgm.genre' and 'genre' may be two
	** models.  NUL-terminated, key_len bytes. */
	const char *key;
	int key_len;
	const char *name;              /* the model's own name: the end of key, name_len bytes */
	int name_len;
	/* Each label as a JSON string, quotes included, for building results; the last
	** is followed by TG_LABEL_SLACK zero bytes, so that builders may copy a label
	** TG_LABEL_SLACK bytes at a time. */
	const char *label_json[TG_MODEL_MAX_LABELS];
	unsigned label_json_len[TG_MODEL_MAX_LABELS];
} tg_loaded;

typedef struct tg_context tg_context;

/* A new context holding one reference, or NULL when out of memory. */
tg_context *tg_context_new(sqlite3 *db);
void tg_context_ref(tg_context *ctx);
/* Drops a reference (void * so it serves as the xDestroy of registrations). */
void tg_context_unref(void *ctx);
sqlite3 *tg_context_db(const tg_context *ctx);

/*
** The model to use now for the name (name_len bytes at name, NUL-terminated), as a
** new reference the caller releases with tg_loaded_release.  Returns SQLITE_OK;
** SQLITE_NOMEM; or another error code with err set to a message starting with "tg: "
** (error.h's convention: the caller's buffer, TG_ERR_MAX bytes).
*/
int tg_cache_acquire(tg_context *ctx, const char *name, int name_len, tg_loaded **out, char *err,
                     size_t errlen);

/* Whether m is the model acquired for the name (key_len bytes at key). */
int tg_loaded_is(const tg_loaded *m, const char *key, int key_len);

void tg_loaded_ref(tg_loaded *m);
void tg_loaded_release(tg_loaded *m);

#endif
