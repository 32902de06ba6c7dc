/*
** tg_genres(text [, name]): an eponymous table-valued function with one row per
** genre of the model, best first:
**
**   genre TEXT, score REAL (probability), tagged INTEGER (0/1, as tg_tags), rank INTEGER (1 = best)
**
** and the hidden columns text and name, which are its arguments.  Modelled on
** SQLite's ext/misc/series.c.  A cursor scores its text once in xFilter into a
** ranking on itself and keeps the model it used until it is closed, so the rows of
** one statement all come from one model and nothing is allocated per text.
*/
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "sql_functions.h"
#include "sql_call.h"
#include "ranking.h"

enum { COL_GENRE, COL_SCORE, COL_TAGGED, COL_RANK, COL_TEXT, COL_NAME };

/* idxNum bits. */
#define HAS_TEXT   1  /* argv[0] is the text */
#define HAS_NAME   2  /* argv[1] (or [0] without text) is the name */
#define KEEP_TEXT  4  /* the text column is read: keep a copy of the value */

typedef struct genres_vtab {
	sqlite3_vtab base;
	tg_context *ctx;          /* a reference */
} genres_vtab;

typedef struct genres_cursor {
	sqlite3_vtab_cursor base;
	tg_loaded *loaded;        /* a reference; the model of the last xFilter */
	sqlite3_value *text;      /* only with KEEP_TEXT */
	uint32_t pos;
	tg_ranking r;
} genres_cursor;

static int genres_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                          sqlite3_vtab **out, char **err)
{
	(void)argc;
	(void)argv;
	(void)err;
	int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(genre TEXT, score REAL, tagged INTEGER, rank INTEGER,"
	                                  " text HIDDEN, name HIDDEN)");
	if (rc != SQLITE_OK)
		return rc;
	genres_vtab *vt = sqlite3_malloc64(sizeof *vt);
	if (!vt)
		return SQLITE_NOMEM;
	memset(vt, 0, sizeof *vt);
	vt->ctx = aux;
	tg_context_ref(vt->ctx);
#ifdef SQLITE_VTAB_INNOCUOUS
	sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
#endif
	*out = &vt->base;
	return SQLITE_OK;
}

static int genres_disconnect(sqlite3_vtab *base)
{
	genres_vtab *vt = (genres_vtab *)base;
	tg_context_unref(vt->ctx);
	sqlite3_free(vt);
	return SQLITE_OK;
}

static int genres_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
	(void)base;
	genres_cursor *cur = sqlite3_malloc64(sizeof *cur);
	if (!cur)
		return SQLITE_NOMEM;
	memset(cur, 0, sizeof *cur);
	*out = &cur->base;
	return SQLITE_OK;
}

static int genres_close(sqlite3_vtab_cursor *base)
{
	genres_cursor *cur = (genres_cursor *)base;
	tg_loaded_release(cur->loaded);
	sqlite3_value_free(cur->text);
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int set_error(sqlite3_vtab *vt, int rc, char *msg)
{
	sqlite3_free(vt->zErrMsg);
	vt->zErrMsg = msg;
	return msg ? rc : SQLITE_NOMEM;
}

static int genres_filter(sqlite3_vtab_cursor *base, int idx_num, const char *idx_str, int argc,
                         sqlite3_value **argv)
{
	(void)idx_str;
	genres_cursor *cur = (genres_cursor *)base;
	genres_vtab *vt = (genres_vtab *)base->pVtab;
	cur->pos = 0;
	cur->r.n = 0;
	sqlite3_value_free(cur->text);
	cur->text = NULL;
	if (!(idx_num & HAS_TEXT) || argc < 1)
		return SQLITE_OK; /* xBestIndex never chooses such a plan */
	sqlite3_value *text_arg = argv[0];
	const char *name = TG_DEFAULT_MODEL;
	int name_len = (int)sizeof TG_DEFAULT_MODEL - 1;
	if ((idx_num & HAS_NAME) && argc >= 2) {
		char *err;
		name = tg_name_value(argv[1], "tg_genres", "the model name", &name_len, &err);
		if (!name)
			return set_error(&vt->base, SQLITE_ERROR, err);
	}
	/* The cursor keeps its model while the name asked for stays the same: one model per
	** name and statement. */
	if (!cur->loaded || !tg_loaded_is(cur->loaded, name, name_len)) {
		tg_loaded *m;
		char err[TG_ERR_MAX];
		int rc = tg_cache_acquire(vt->ctx, name, name_len, &m, err, sizeof err);
		if (rc != SQLITE_OK)   /* SQLite frees zErrMsg: it must be its own allocation */
			return set_error(&vt->base, rc, rc == SQLITE_NOMEM ? NULL : sqlite3_mprintf("%s", err));
		tg_loaded_release(cur->loaded);
		cur->loaded = m;
	}
	if (idx_num & KEEP_TEXT) {
		cur->text = sqlite3_value_dup(text_arg);
		if (!cur->text)
			return SQLITE_NOMEM;
	}
	const void *text;
	size_t len;
	int rc = tg_arg_text(text_arg, &text, &len);
	if (rc < 0)
		return SQLITE_NOMEM;
	if (rc > 0)
		tg_rank_text(cur->loaded->model, text, len, &cur->r);
	return SQLITE_OK;
}

static int genres_next(sqlite3_vtab_cursor *base)
{
	((genres_cursor *)base)->pos++;
	return SQLITE_OK;
}

static int genres_eof(sqlite3_vtab_cursor *base)
{
	const genres_cursor *cur = (const genres_cursor *)base;
	return cur->pos >= cur->r.n;
}

static int genres_column(sqlite3_vtab_cursor *base, sqlite3_context *c, int col)
{
	const genres_cursor *cur = (const genres_cursor *)base;
	const tg_model *m = cur->loaded->model;
	uint32_t k = cur->r.order[cur->pos];
	switch (col) {
	case COL_GENRE:
		sqlite3_result_text(c, m->labels[k], -1, SQLITE_TRANSIENT);
		break;
	case COL_SCORE:
		sqlite3_result_double(c, tg_sigmoid(cur->r.z[k]));
		break;
	case COL_TAGGED:
		sqlite3_result_int(c, tg_ranking_tagged(m, &cur->r, k));
		break;
	case COL_RANK:
		sqlite3_result_int64(c, (sqlite3_int64)cur->pos + 1);
		break;
	case COL_TEXT:
		if (cur->text)
			sqlite3_result_value(c, cur->text);
		break;
	default:
		sqlite3_result_text(c, cur->loaded->key, cur->loaded->key_len, SQLITE_TRANSIENT);   /* the argument */
		break;
	}
	return SQLITE_OK;
}

static int genres_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((const genres_cursor *)base)->pos + 1;
	return SQLITE_OK;
}

/*
** The text is required and the name optional, both as equality constraints (which is
** what the arguments of a table-valued function become).  A plan where either is
** present but not usable yet is refused with SQLITE_CONSTRAINT, so the planner puts
** tg_genres after the table that provides its text; no text at all is an error.
*/
static int genres_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
	int text_at = -1, name_at = -1;
	unsigned unusable = 0;
	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *con = &info->aConstraint[i];
		if (con->iColumn != COL_TEXT && con->iColumn != COL_NAME)
			continue;
		if (con->op != SQLITE_INDEX_CONSTRAINT_EQ)
			continue;
		unsigned bit = con->iColumn == COL_TEXT ? HAS_TEXT : HAS_NAME;
		if (!con->usable)
			unusable |= bit;
		else if (con->iColumn == COL_TEXT)
			text_at = i;
		else
			name_at = i;
	}
	unsigned have = (text_at >= 0 ? HAS_TEXT : 0) | (name_at >= 0 ? HAS_NAME : 0);
	if (unusable & ~have)
		return SQLITE_CONSTRAINT;
	if (text_at < 0)
		return set_error(base, SQLITE_ERROR,
		                 sqlite3_mprintf("tg: tg_genres() needs the text to classify: "
		                                 "tg_genres(text [, name]), e.g. FROM movies, tg_genres(movies.overview)"));
	int idx = HAS_TEXT;
	info->aConstraintUsage[text_at].argvIndex = 1;
	info->aConstraintUsage[text_at].omit = 1;
	if (name_at >= 0) {
		idx |= HAS_NAME;
		info->aConstraintUsage[name_at].argvIndex = 2;
		info->aConstraintUsage[name_at].omit = 1;
	}
	if (info->colUsed & ((sqlite3_uint64)1 << COL_TEXT))
		idx |= KEEP_TEXT;
	info->idxNum = idx;
	info->estimatedCost = 10;
	info->estimatedRows = 20;
	/* Rows come best first. */
	if (info->nOrderBy == 1) {
		const struct sqlite3_index_orderby *ob = &info->aOrderBy[0];
		if ((ob->iColumn == COL_RANK && !ob->desc) || (ob->iColumn == COL_SCORE && ob->desc))
			info->orderByConsumed = 1;
	}
	return SQLITE_OK;
}

static const sqlite3_module genres_module = {
	.iVersion = 0,
	.xCreate = NULL, /* eponymous only: no CREATE VIRTUAL TABLE */
	.xConnect = genres_connect,
	.xBestIndex = genres_best_index,
	.xDisconnect = genres_disconnect,
	.xDestroy = NULL,
	.xOpen = genres_open,
	.xClose = genres_close,
	.xFilter = genres_filter,
	.xNext = genres_next,
	.xEof = genres_eof,
	.xColumn = genres_column,
	.xRowid = genres_rowid,
};

int tg_genres_register(sqlite3 *db, tg_context *ctx)
{
	tg_context_ref(ctx);
	/* On failure SQLite calls the destructor itself. */
	return sqlite3_create_module_v2(db, "tg_genres", &genres_module, ctx, tg_context_unref);
}
