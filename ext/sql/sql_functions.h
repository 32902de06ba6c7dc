/* The SQL functions and the table-valued function that tg.c registers. */
#ifndef TG_SQL_FUNCTIONS_H
#define TG_SQL_FUNCTIONS_H

#include "sqlite3ext.h"
#include "model_cache.h"

/* fn_classify.c: the per-row classifiers. */
void tg_predict_func(sqlite3_context *c, int argc, sqlite3_value **argv);
void tg_tags_func(sqlite3_context *c, int argc, sqlite3_value **argv);
void tg_scores_func(sqlite3_context *c, int argc, sqlite3_value **argv);

/* fn_text.c */
void tg_text_func(sqlite3_context *c, int argc, sqlite3_value **argv);

/* fn_explain.c */
void tg_explain_func(sqlite3_context *c, int argc, sqlite3_value **argv);

/* fn_model.c */
void tg_model_func(sqlite3_context *c, int argc, sqlite3_value **argv);
void tg_version_func(sqlite3_context *c, int argc, sqlite3_value **argv);
void tg_debug_func(sqlite3_context *c, int argc, sqlite3_value **argv);

/* genres_vtab.c: registers tg_genres; the module holds a reference on ctx. */
int tg_genres_register(sqlite3 *db, tg_context *ctx);

#endif
