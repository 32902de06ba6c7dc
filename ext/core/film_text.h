/*
** The text a model reads for a film.  A model trained with titles (TG_FEAT_TITLE in
** its blob) reads "TITLE. OVERVIEW"; the trainer builds its examples with this
** function and tg_text() builds the same text in SQL, so the join cannot drift
** between training and prediction.  An empty part is left out with its separator.
*/
#ifndef TG_FILM_TEXT_H
#define TG_FILM_TEXT_H

#include <stddef.h>

#define TG_FILM_TEXT_SEP ". "

/* Bytes of the joined text (without a terminating NUL). */
size_t tg_film_text_len(size_t title_len, size_t overview_len);

/* Writes the joined text to out, which has room for tg_film_text_len bytes; returns
** that length.  No NUL is written. */
size_t tg_film_text_join(char *out, const char *title, size_t title_len, const char *overview,
                         size_t overview_len);

#endif
