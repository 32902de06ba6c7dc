#include <stdlib.h>

#include "grow.h"
#include "example.h"

int tg_example_set_push(tg_example_set *s, int64_t id, const char *text, size_t len, tg_labelmask labels)
{
	tg_example *items = tg_grow(s->items, &s->cap, s->n + 1, sizeof *items, 1024);
	if (!items)
		return -1;
	s->items = items;
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
