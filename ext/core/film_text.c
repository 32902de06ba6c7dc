#include <string.h>

#include "film_text.h"

size_t tg_film_text_len(size_t title_len, size_t overview_len)
{
	size_t sep = title_len && overview_len ? sizeof TG_FILM_TEXT_SEP - 1 : 0;
	return title_len + sep + overview_len;
}

size_t tg_film_text_join(char *out, const char *title, size_t title_len, const char *overview,
                         size_t overview_len)
{
	size_t n = 0;
	if (title_len) {
		memcpy(out, title, title_len);
		n = title_len;
	}
	if (title_len && overview_len) {
		memcpy(out + n, TG_FILM_TEXT_SEP, sizeof TG_FILM_TEXT_SEP - 1);
		n += sizeof TG_FILM_TEXT_SEP - 1;
	}
	if (overview_len) {
		memcpy(out + n, overview, overview_len);
		n += overview_len;
	}
	return n;
}
