/* What the learner sees of a film: its text and its genres as a bit set. */
#ifndef TG_EXAMPLE_H
#define TG_EXAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

typedef uint64_t tg_labelmask;   /* bit k: the film has label k (TG_MODEL_MAX_LABELS <= 64) */

typedef struct tg_example {
	int64_t id;          /* TMDB id: decides the cross-validation fold */
	const char *text;
	size_t len;
	tg_labelmask labels;
} tg_example;

typedef struct tg_example_set {
	tg_example *items;
	size_t n;
	size_t cap;
	int owns_texts;      /* free() each item's text with the set */
} tg_example_set;

int tg_example_set_push(tg_example_set *s, int64_t id, const char *text, size_t len, tg_labelmask labels);
void tg_example_set_free(tg_example_set *s);

static inline int tg_has_label(tg_labelmask m, uint32_t k)
{
	return (int)((m >> k) & 1u);
}

#endif
