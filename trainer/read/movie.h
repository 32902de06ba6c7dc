/*
** One film as the trainer sees it, whatever it was read from (the Kaggle CSV or a
** user's SQL query).  Every string is an owned, NUL-terminated UTF-8 copy.
*/
#ifndef TG_MOVIE_H
#define TG_MOVIE_H

#include <stddef.h>
#include <stdint.h>

typedef struct tg_movie {
	long line;                 /* 1-based CSV line where the record starts (0: not from a file) */
	int64_t id;                /* TMDB id */
	char *title;
	char *overview;
	size_t overview_len;
	char *release_date;        /* as in the source, may be "" */
	char *original_language;   /* as in the source, may be "" */
	char **genres;             /* genre names in source order */
	size_t n_genres;
} tg_movie;

/* Frees the strings a movie owns (not the struct itself); safe on a zeroed movie. */
void tg_movie_clear(tg_movie *m);

#endif
