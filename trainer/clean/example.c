#include <stdlib.h>

#include "example.h"

int tg_example_set_push(tg_example_set *s, int64_t id, const char *text, size_t len, tg_labelmask labels)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		tg_example *items = realloc(s->items, cap * sizeof *items);
		if (!items)
			return -1;
		s->items = items;
		s->cap = cap;
	}
	s->items[s->n++] = (tg_example){ id, text, len, labels };
	return 0;
}

void tg_example_set_free(tg_example_set *s)
{
	for (size_t i = 0; s->owns_texts && i < s->n; i++)
		free((char *)s->items[i].text);
	free(s->items);
	s->items = NULL;
	s->n = s->cap = 0;
	s->owns_texts = 0;
}
