/*
** tg: movie-genre tagging inside SQLite.  This file is the extension's entry
** point; it registers the SQL functions below on a connection.
**
** Models are trained by tg-train and stored in the registry table tg_models
** (name, model blob, deployed flag, metadata).  Every function takes an optional
** model name, 'genre' by default, and uses the row of tg_models with that name and
** deployed = 1.  The registry may be in the database itself or in an attached one
** (ATTACH 'genre.db' AS tgm): like an unqualified table name, the name is looked
** up in temp, main, then each attached schema in the order of attachment, and the
** first schema whose tg_models deploys it wins (no table or view that a database
** file defines, such as one named pragma_database_list, can change that order:
** tg lists the schemas with sqlite3_db_name).  'tgm.genre' looks in tgm alone.  A model is loaded once per connection; a new deployment is seen
** by the connection's next statement, while a statement already running keeps the
** model it started with.  That is why the functions are not DETERMINISTIC: the
** same text may get another answer after a redeploy.
**
** Text arguments may be TEXT (read in place), numbers (read as their text) or
** BLOBs (their bytes, read in place).  A NULL text gives NULL (no rows for
** tg_genres), and so does a text without a single token.  Errors are SQL errors
** whose message starts with "tg: " and says what to do, for instance
**
**   tg: no model registry (table tg_models) in this database; train one with tg-train
**   tg: no deployed model named 'mood': tg_models has no model of that name; train one with tg-train
**   tg: model 7 ('genre') is damaged: model checksum mismatch (damaged blob)
**   tg: tg_predict(): the model name must be text, not integer
**   tg: several models named 'genre' are deployed in schema 'tgm' (ids 1 and 3); deploy
**       exactly one, e.g. UPDATE "tgm".tg_models SET deployed = (id = 3) WHERE name = 'genre'
**
** An UPDATE a message suggests names the registry it is about.  A model name holding
** a NUL byte is refused.
**
** Functions (the example outputs are those of the test models in
** tests/tools/fixture_model.h).  Each first line is a "-- reference:" line of the
** transcripts in tests/sql/, which tests/sql/reference.sh checks this list against:
**
**   tg_predict(TEXT [, NAME]) -> TEXT
**       The most likely genre (highest calibrated probability).
**         SELECT tg_predict('A haunted house and the ghost who will not leave.');
**           -> 'Horror'
**         UPDATE movies SET genre = tg_predict(overview);
**
**   tg_tags(TEXT [, NAME]) -> JSON array
**       The genres whose probability reaches that genre's threshold, best first;
**       always at least the top genre.
**         SELECT tg_tags('Love at the wedding');         -> '["Romance","Comedy"]'
**         SELECT title FROM movies, json_each(tg_tags(overview))
**          WHERE json_each.value = 'Comedy';
**
**   tg_scores(TEXT [, NAME]) -> JSON object
**       Every genre's calibrated probability, best first, 4 decimals.
**         SELECT tg_scores('A ghost story');
**           -> '{"Horror":0.9269,"Comedy":0.5000,"Romance":0.2689}'
**         SELECT tg_scores(overview) ->> '$.Horror' FROM movies;
**
**   tg_genres(TEXT [, NAME]) -> table (genre, score, tagged, rank)
**       A table-valued function: one row per genre, best first, with columns genre
**       TEXT, score REAL (the probability), tagged INTEGER (1 for the genres tg_tags
**       lists), rank INTEGER (1 = best); the arguments are the hidden columns text
**       and name.
**         SELECT genre, score FROM tg_genres('A ghost story') WHERE rank <= 2;
**         SELECT g.genre, count(*) FROM movies, tg_genres(movies.overview) g
**          WHERE g.tagged GROUP BY 1 ORDER BY 2 DESC;
**
**   tg_text(TITLE, OVERVIEW [, NAME]) -> TEXT
**       The text the model reads for a film with this title and overview: for a
**       model trained with titles (tg-train --inputs title,overview), the two
**       joined as 'TITLE. OVERVIEW', exactly as the trainer joined them; for any
**       other model, the overview alone.  A NULL or empty part is left out;
**       nothing left gives NULL.  Give it to the other functions:
**         SELECT title, tg_predict(tg_text(title, overview)) FROM movies;
**         SELECT tg_text('Ghostbusters', 'Three scientists open a ghost removal service.');
**           -> 'Ghostbusters. Three scientists open a ghost removal service.'
**              (with a title model; the overview alone with another)
**
**   tg_explain(TEXT, GENRE [, NAME]) -> JSON array
**       Why the text scores as it does for GENRE: at most 10 of its words (and word
**       pairs, in a model trained with --bigrams) known to the model, a word's own
**       weights and its n-grams' together, {"feature": TEXT, "contribution": REAL}, largest
**       |contribution| first.  A contribution is in calibrated-logit units, summed
**       over the feature's occurrences; all the features' contributions plus the
**       genre's calibrated bias add up to its logit.  An unknown GENRE is an error.
**         SELECT tg_explain('A ghost story about a ghost', 'Horror');
**           -> '[{"feature":"ghost","contribution":3.5929}]'
**
**   tg_model([NAME]) -> JSON object (id, name, schema, created_at, format, labels, thresholds, metrics, params, n_features, blob_bytes, data_sha256)
**       The model this connection would use now: its id in tg_models, name,
**       schema (where its registry is: 'main', 'tgm', ...), created_at, format, labels, thresholds (per label), metrics and params
**       (as stored by tg-train, embedded as JSON), n_features, blob_bytes and
**       data_sha256.
**         SELECT tg_model() ->> '$.id';
**         SELECT tg_model('genre') ->> '$.metrics';
**
**   tg_version() -> TEXT
**       The version of this extension, e.g. '0.5.0'.
**
**   tg_debug() -> TEXT
**       For bug reports, one "key: value" per line: the version, build date,
**       compiler, the scoring kernels chosen at run time (avx2+f16c, sse2 or
**       portable C), and the SQLite version tg was built against and runs on.
**
** The JSON results carry SQLite's JSON subtype, so json_each(), -> and ->> and the
** other JSON functions take them as JSON, not as strings.
**
** Build and load:
**   make tg.so
**   sqlite3 movies.db '.load ./tg' "SELECT tg_predict(overview) FROM movies LIMIT 5"
** or, linking the objects into a program, sqlite3_auto_extension(sqlite3_tg_init).
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1

#include "tg.h"
#include "model_cache.h"
#include "sql_functions.h"

typedef struct tg_function {
	const char *name;
	int n_args;
	int flags;
	void (*fn)(sqlite3_context *, int, sqlite3_value **);
} tg_function;

#ifdef SQLITE_RESULT_SUBTYPE
#define TG_JSON_RESULT SQLITE_RESULT_SUBTYPE /* SQLite 3.45 and later ask to be told */
#else
#define TG_JSON_RESULT 0
#endif

/* Not deterministic: a redeploy changes the answers. */
#define TG_MODEL_FN (SQLITE_UTF8 | SQLITE_INNOCUOUS)

static const tg_function tg_functions[] = {
	{ "tg_predict", 1, TG_MODEL_FN, tg_predict_func },
	{ "tg_predict", 2, TG_MODEL_FN, tg_predict_func },
	{ "tg_tags", 1, TG_MODEL_FN | TG_JSON_RESULT, tg_tags_func },
	{ "tg_tags", 2, TG_MODEL_FN | TG_JSON_RESULT, tg_tags_func },
	{ "tg_scores", 1, TG_MODEL_FN | TG_JSON_RESULT, tg_scores_func },
	{ "tg_scores", 2, TG_MODEL_FN | TG_JSON_RESULT, tg_scores_func },
	{ "tg_text", 2, TG_MODEL_FN, tg_text_func },
	{ "tg_text", 3, TG_MODEL_FN, tg_text_func },
	{ "tg_explain", 2, TG_MODEL_FN | TG_JSON_RESULT, tg_explain_func },
	{ "tg_explain", 3, TG_MODEL_FN | TG_JSON_RESULT, tg_explain_func },
	{ "tg_model", 0, TG_MODEL_FN | TG_JSON_RESULT, tg_model_func },
	{ "tg_model", 1, TG_MODEL_FN | TG_JSON_RESULT, tg_model_func },
	{ "tg_version", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC, tg_version_func },
	{ "tg_debug", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, tg_debug_func },
};

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_tg_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi)
{
	SQLITE_EXTENSION_INIT2(pApi);
	(void)pApi;
	/* sqlite3_db_name (3.39) lists the schemas without resolving a name that a
	** database file could define; an older SQLite's routine table has no such entry. */
	if (sqlite3_libversion_number() < 3039000) {
		if (pzErrMsg)
			*pzErrMsg = sqlite3_mprintf("tg: needs SQLite 3.39 or later; this is SQLite %s", sqlite3_libversion());
		return SQLITE_ERROR;
	}
	/* One context per load: every registration holds a reference, and a second load
	** replaces the first's registrations, whose destructors free the first context. */
	tg_context *ctx = tg_context_new(db);
	if (!ctx)
		return SQLITE_NOMEM;
	int rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK && i < sizeof tg_functions / sizeof tg_functions[0]; i++) {
		const tg_function *f = &tg_functions[i];
		tg_context_ref(ctx);
		/* On failure SQLite calls the destructor itself, dropping that reference. */
		rc = sqlite3_create_function_v2(db, f->name, f->n_args, f->flags, ctx, f->fn, NULL, NULL,
		                                tg_context_unref);
	}
	if (rc == SQLITE_OK)
		rc = tg_genres_register(db, ctx);
	tg_context_unref(ctx);
	if (rc != SQLITE_OK && pzErrMsg)
		*pzErrMsg = sqlite3_mprintf("tg: cannot register the SQL functions: %s", sqlite3_errmsg(db));
	return rc;
}
