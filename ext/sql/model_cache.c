/*
** Per-connection context and model cache; see model_cache.h.  The registry lookup is
** registry_lookup.c, reading the blob model_read.c; here is the cache policy.
**
** Staleness.  SQLITE_FCNTL_DATA_VERSION changes whenever the database file changes,
** by this connection's commits or anyone else's, but SQLite only looks for other
** connections' changes when a read transaction starts.  So the counter can be
** trusted exactly when the calling statement holds a read transaction on main: then
** an unchanged counter means tg_models is as it was when the model was last checked.
** With no transaction open (a statement that reads no table) the counter may be
** old, and inside a write transaction this connection's own uncommitted deploy does
** not move it; in both cases the deployed id is queried again, once per statement.
**
** Prepared statements live for one call only: a statement kept between calls would
** make sqlite3_close() fail with SQLITE_BUSY.
*/
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "model_cache.h"
#include "model_read.h"
#include "registry_lookup.h"

typedef struct tg_cache_entry {
	struct tg_cache_entry *next;
	tg_loaded *loaded;          /* the cache's reference; its key is the entry's */
	unsigned main_version;      /* SQLITE_FCNTL_DATA_VERSION of main and of temp */
	unsigned temp_version;      /*   when last checked */
	int fast;                   /* unchanged() may trust them */
} tg_cache_entry;

struct tg_context {
	sqlite3 *db;
	int refs;
	tg_cache_entry *entries;
};

tg_context *tg_context_new(sqlite3 *db)
{
	tg_context *ctx = sqlite3_malloc64(sizeof *ctx);
	if (!ctx)
		return NULL;
	ctx->db = db;
	ctx->refs = 1;
	ctx->entries = NULL;
	return ctx;
}

void tg_context_ref(tg_context *ctx)
{
	ctx->refs++;
}

void tg_context_unref(void *p)
{
	tg_context *ctx = p;
	if (!ctx || --ctx->refs > 0)
		return;
	while (ctx->entries) {
		tg_cache_entry *e = ctx->entries;
		ctx->entries = e->next;
		tg_loaded_release(e->loaded);
		sqlite3_free(e);
	}
	sqlite3_free(ctx);
}

sqlite3 *tg_context_db(const tg_context *ctx)
{
	return ctx->db;
}

int tg_loaded_is(const tg_loaded *m, const char *key, int key_len)
{
	return m->key_len == key_len && memcmp(m->key, key, (size_t)key_len) == 0;
}

void tg_loaded_ref(tg_loaded *m)
{
	m->refs++;
}

void tg_loaded_release(tg_loaded *m)
{
	if (!m || --m->refs > 0)
		return;
	tg_model_free(m->model);
	sqlite3_free(m); /* name and label text live in the same allocation */
}

static tg_cache_entry **find_entry(tg_context *ctx, const char *key, int key_len)
{
	tg_cache_entry **pp = &ctx->entries;
	while (*pp && !tg_loaded_is((*pp)->loaded, key, key_len))
		pp = &(*pp)->next;
	return pp;
}

static int same_row(const tg_loaded *m, const tg_row *row)
{
	return m->id == row->id && m->bytes == row->bytes && m->checksum == row->checksum &&
	       sqlite3_stricmp(m->schema, row->schema) == 0;
}

/*
** The shortcut that skips the registry queries.  It holds for a model found in
** main while the statement holds main's read transaction and neither main nor
** temp (searched before main) changed: attached schemas come after main in the
** search order, so an ATTACH or DETACH cannot change which model main's wins.
** A model found elsewhere is looked up again at every statement.
*/
static int unchanged(sqlite3 *db, const tg_cache_entry *e)
{
	unsigned v_main, v_temp;
	return e->fast && sqlite3_txn_state(db, "main") == SQLITE_TXN_READ &&
	       sqlite3_txn_state(db, "temp") != SQLITE_TXN_WRITE && tg_data_version(db, "main", &v_main) &&
	       v_main == e->main_version && (tg_data_version(db, "temp", &v_temp), v_temp == e->temp_version);
}

static void remember_versions(sqlite3 *db, tg_cache_entry *e)
{
	unsigned v_temp;
	tg_data_version(db, "temp", &v_temp);
	e->temp_version = v_temp;
	/* Our queries began a read transaction if none was open, which refreshed the
	** counter; a write transaction's own changes do not move it, so no shortcut then. */
	e->fast = sqlite3_stricmp(e->loaded->schema, "main") == 0 && sqlite3_txn_state(db, "main") != SQLITE_TXN_WRITE &&
	          sqlite3_txn_state(db, "temp") != SQLITE_TXN_WRITE && tg_data_version(db, "main", &e->main_version);
}

static void drop_entry(tg_cache_entry **pp)
{
	tg_cache_entry *e = *pp;
	*pp = e->next;
	tg_loaded_release(e->loaded);
	sqlite3_free(e);
}

int tg_cache_acquire(tg_context *ctx, const char *name, int name_len, tg_loaded **out, char *err, size_t errlen)
{
	sqlite3 *db = ctx->db;
	*out = NULL;
	tg_cache_entry **pp = find_entry(ctx, name, name_len);
	tg_cache_entry *e = *pp;
	if (e && unchanged(db, e)) {
		tg_loaded_ref(e->loaded);
		*out = e->loaded;
		return SQLITE_OK;
	}
	tg_row row;
	int model_at;
	int rc = tg_registry_find(db, name, name_len, &row, &model_at, err, errlen);
	if (rc == SQLITE_OK && !(e && same_row(e->loaded, &row))) {
		/* Not cached, or another row (or another blob in the same row) is deployed now. */
		tg_loaded *fresh;
		rc = tg_row_load(db, &row, name, name_len, model_at, &fresh, err, errlen);
		if (rc == SQLITE_OK && !e) {
			e = sqlite3_malloc64(sizeof *e);
			if (e) {
				e->loaded = NULL;
				e->next = ctx->entries;
				ctx->entries = e;
				pp = &ctx->entries;
			} else {
				tg_loaded_release(fresh);
				rc = SQLITE_NOMEM;
			}
		}
		if (rc == SQLITE_OK) {
			tg_loaded_release(e->loaded);
			e->loaded = fresh;
		}
	}
	sqlite3_free(row.schema);
	if (rc != SQLITE_OK) {
		if (e)
			drop_entry(pp);   /* gone or broken: the next call looks again and says why */
		return rc;
	}
	remember_versions(db, e);
	tg_loaded_ref(e->loaded);
	*out = e->loaded;
	return SQLITE_OK;
}
