/* The small texts the learners' unit tests train on (check_subword, check_wordvec):
** words that share n-grams, a word under --min-df 2, case that folds. */
#ifndef TG_CHECK_TEXTS_H
#define TG_CHECK_TEXTS_H

#include <check.h>
#include <string.h>

#include "example.h"

static const char *const texts[] = {
	"The murderer murdered a murdering mob.",
	"A murder mystery in the village; the detective murders nobody.",
	"Murders and mysteries: a village detective story.",
	"The detective story of a mob village.",
	"Nobody murdered the mystery.",
};
static const size_t n_texts = sizeof texts / sizeof *texts;

/* The texts as training examples (they stay the caller's). */
static inline void text_set(tg_example_set *docs)
{
	memset(docs, 0, sizeof *docs);
	for (size_t i = 0; i < n_texts; i++)
		ck_assert_int_eq(tg_example_set_push(docs, (int64_t)i, texts[i], strlen(texts[i]), 1), 0);
}

#endif
