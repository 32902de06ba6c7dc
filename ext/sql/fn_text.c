/*
** tg_text(TITLE, OVERVIEW [, NAME]): the text model NAME reads for a film.  A model
** trained with titles (tg-train --inputs title,overview) reads them joined by
** film_text.c, the code the trainer built its examples with; any other model reads the
** overview alone, and the title is left out.  So
**   tg_predict(tg_text(title, overview))
** gives every model the input it was trained on, and nobody glues strings by hand.
** A NULL or empty part is left out; nothing left gives NULL, not '', as a text with
** nothing to read gives NULL in the other functions.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "sql_functions.h"
#include "sql_call.h"
#include "film_text.h"

/* An argument's bytes; NULL reads as empty.  0, or -1 when out of memory. */
static int part(sqlite3_value *v, const void **text, size_t *len)
{
	int rc = tg_arg_text(v, text, len);
	if (rc == 0)
		*text = "", *len = 0;
	return rc < 0 ? -1 : 0;
}

void tg_text_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	int name_len;
	const char *name = tg_call_name(c, argc, argv, 2, "tg_text", &name_len);
	if (!name)
		return;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL && sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	tg_call call;
	tg_loaded *m = tg_call_model(c, name, name_len, &call);
	if (!m)
		return;
	const void *title, *overview;
	size_t title_len, overview_len;
	if (!(m->model->features & TG_FEAT_TITLE)) {
		/* The overview alone, whatever the title. */
		if (part(argv[1], &overview, &overview_len) != 0)
			sqlite3_result_error_nomem(c);
		else if (overview_len > 0)
			sqlite3_result_text64(c, overview, overview_len, SQLITE_TRANSIENT, SQLITE_UTF8);
	} else if (part(argv[0], &title, &title_len) != 0 || part(argv[1], &overview, &overview_len) != 0) {
		sqlite3_result_error_nomem(c);
	} else if (title_len + overview_len > 0) {
		size_t n = tg_film_text_len(title_len, overview_len);
		char *out = sqlite3_malloc64(n + 1);
		if (!out) {
			sqlite3_result_error_nomem(c);
		} else {
			tg_film_text_join(out, title, title_len, overview, overview_len);
			sqlite3_result_text64(c, out, n, sqlite3_free, SQLITE_UTF8);
		}
	}
	tg_call_end(&call);
}
