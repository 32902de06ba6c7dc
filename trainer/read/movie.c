/* tg_movie: see movie.h. */
#include "movie.h"

#include <stdlib.h>
#include <string.h>

void tg_movie_clear(tg_movie *m)
{
	if (!m)
		return;
	free(m->title);
	free(m->overview);
	free(m->release_date);
	free(m->original_language);
	if (m->genres) {
		for (size_t i = 0; i < m->n_genres; i++)
			free(m->genres[i]);
		free(m->genres);
	}
	memset(m, 0, sizeof *m);
}
