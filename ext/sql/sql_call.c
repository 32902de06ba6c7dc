/* Arguments and per-statement models of the SQL functions; see sql_call.h. */
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "sql_call.h"

/* Auxiliary-data slot of the statement's pins.  Negative: tied to the statement,
** not to an argument.  Any number will do as long as no other extension picks it;
** the magic guards against one that does. */
#define TG_AUXDATA_ID    (-0x7467)
#define TG_PINS_MAGIC    0x7467706eu

typedef struct tg_pins {
	unsigned magic;
	int n, cap;
	tg_loaded **models;   /* one reference each */
} tg_pins;

int tg_arg_text(sqlite3_value *v, const void **text, size_t *len)
{
	const void *p;
	switch (sqlite3_value_type(v)) {
	case SQLITE_NULL:
		return 0;
	case SQLITE_BLOB:
		p = sqlite3_value_blob(v);
		*len = (size_t)sqlite3_value_bytes(v);
		*text = p ? p : (const void *)"";   /* an empty blob has no pointer */
		return 1;
	default:
		p = sqlite3_value_text(v);
		if (!p)
			return -1;
		*len = (size_t)sqlite3_value_bytes(v);
		*text = p;
		return 1;
	}
}

const char *tg_type_name(sqlite3_value *v)
{
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER: return "integer";
	case SQLITE_FLOAT:   return "real";
	case SQLITE_TEXT:    return "text";
	case SQLITE_BLOB:    return "blob";
	default:             return "null";
	}
}

const char *tg_call_name(sqlite3_context *c, int argc, sqlite3_value **argv, int name_arg,
                         const char *fn, int *len)
{
	if (argc <= name_arg) {
		*len = (int)sizeof TG_DEFAULT_MODEL - 1;
		return TG_DEFAULT_MODEL;
	}
	char *err;
	const char *name = tg_name_value(argv[name_arg], fn, "the model name", len, &err);
	if (!name)
		tg_result_error_free(c, SQLITE_ERROR, err);
	return name;
}

const char *tg_name_value(sqlite3_value *v, const char *fn, const char *what, int *len, char **err)
{
	*err = NULL;
	if (sqlite3_value_type(v) != SQLITE_TEXT) {
		*err = sqlite3_mprintf("tg: %s(): %s must be text, not %s", fn, what, tg_type_name(v));
		return NULL;
	}
	const char *name = (const char *)sqlite3_value_text(v);
	if (!name)
		return NULL;
	*len = sqlite3_value_bytes(v);
	if (memchr(name, 0, (size_t)*len)) {
		*err = sqlite3_mprintf("tg: %s(): %s contains a NUL byte (after '%q'), which no name can hold", fn,
		                       what, name);
		return NULL;
	}
	return name;
}

static void pins_free(void *p)
{
	tg_pins *pins = p;
	for (int i = 0; i < pins->n; i++)
		tg_loaded_release(pins->models[i]);
	sqlite3_free(pins->models);
	sqlite3_free(pins);
}

/* The statement's pins, attaching empty ones on first use; NULL if that fails. */
static tg_pins *statement_pins(sqlite3_context *c)
{
	tg_pins *pins = sqlite3_get_auxdata(c, TG_AUXDATA_ID);
	if (pins)
		return pins->magic == TG_PINS_MAGIC ? pins : NULL;
	pins = sqlite3_malloc64(sizeof *pins);
	if (!pins)
		return NULL;
	pins->magic = TG_PINS_MAGIC;
	pins->n = pins->cap = 0;
	pins->models = NULL;
	/* On failure SQLite frees the pins at once, so look them up again. */
	sqlite3_set_auxdata(c, TG_AUXDATA_ID, pins, pins_free);
	pins = sqlite3_get_auxdata(c, TG_AUXDATA_ID);
	return pins && pins->magic == TG_PINS_MAGIC ? pins : NULL;
}

void tg_result_error(sqlite3_context *c, int rc, const char *msg)
{
	if (rc == SQLITE_NOMEM || !msg) {
		sqlite3_result_error_nomem(c);
	} else {
		sqlite3_result_error(c, msg, -1);
		sqlite3_result_error_code(c, rc);
	}
}

void tg_result_error_free(sqlite3_context *c, int rc, char *msg)
{
	tg_result_error(c, rc, msg);
	sqlite3_free(msg);
}

tg_loaded *tg_call_model(sqlite3_context *c, const char *name, int name_len, tg_call *call)
{
	call->loaded = call->to_release = NULL;
	tg_pins *pins = sqlite3_get_auxdata(c, TG_AUXDATA_ID);
	if (pins && pins->magic == TG_PINS_MAGIC)
		for (int i = 0; i < pins->n; i++) {
			tg_loaded *m = pins->models[i];
			if (tg_loaded_is(m, name, name_len))
				return call->loaded = m;
		}

	/* First use of the name in this statement. */
	tg_loaded *m;
	char err[TG_ERR_MAX];
	int rc = tg_cache_acquire(sqlite3_user_data(c), name, name_len, &m, err, sizeof err);
	if (rc != SQLITE_OK) {
		tg_result_error(c, rc, err);
		return NULL;
	}
	call->loaded = m;
	pins = statement_pins(c);
	if (pins && pins->n == pins->cap) {
		int cap = pins->cap ? 2 * pins->cap : 4;
		tg_loaded **grown = sqlite3_realloc64(pins->models, (sqlite3_uint64)cap * sizeof *grown);
		if (grown) {
			pins->models = grown;
			pins->cap = cap;
		}
	}
	if (pins && pins->n < pins->cap)
		pins->models[pins->n++] = m;   /* the statement now owns the reference */
	else
		call->to_release = m;          /* unpinned: released when the call ends */
	return m;
}

void tg_call_end(tg_call *call)
{
	tg_loaded_release(call->to_release);
	call->to_release = NULL;
}

void tg_result_json(sqlite3_context *c, char *json, size_t len)
{
	sqlite3_result_text64(c, json, len, sqlite3_free, SQLITE_UTF8);
	sqlite3_result_subtype(c, TG_JSON_SUBTYPE);
}
