/*
** From films to examples: the label set learned from the data, the split by id,
** and the cleanup rules.  Every film falls into exactly one bucket of the funnel
** below, counted per split, so nothing is dropped without a number.
**
** Rules in the order they are tried.  The first three define which films can be
** evaluated at all and hold for every split; the rest are cleanup, applied to the
** training split only (validation and test are never filtered beyond the first three):
**   empty        the overview is empty or blank
**   no-genre     none of the film's genres is in the label set
**   duplicate    an earlier film has the same id (the first one wins)
**   placeholder  the overview is a placeholder such as "No overview found."
**   too-short    fewer than min_tokens tokens
**   too-long     more than max_chars bytes
**   non-latin    more than max_non_ascii of the overview's letters are non-ASCII
*/
#ifndef TG_PREPARE_H
#define TG_PREPARE_H

#include "dataset.h"
#include "example.h"

typedef enum {
	TG_RULE_EMPTY,
	TG_RULE_NO_GENRE,
	TG_RULE_DUPLICATE,
	TG_RULE_PLACEHOLDER,
	TG_RULE_TOO_SHORT,
	TG_RULE_TOO_LONG,
	TG_RULE_NON_LATIN,
	TG_RULE_COUNT,
	TG_RULE_KEPT = TG_RULE_COUNT
} tg_rule;

#define TG_FIRST_CLEANUP_RULE TG_RULE_PLACEHOLDER

const char *tg_rule_name(tg_rule r);

/* Tokens of a text, as the model's tokenizer counts them. */
size_t tg_count_tokens(const char *s, size_t len);

/* 1 when a text is empty or only white space (the profile's and cleanup's "blank"). */
int tg_is_blank(const char *s);

/* 1 when an overview is what TMDB shows for a film without one ("No overview found."). */
int tg_is_placeholder(const char *overview);

typedef struct tg_prepare_options {
	uint32_t min_genre_rows;     /* a genre is a label when this many training films have it */
	int rule_on[TG_RULE_COUNT];  /* cleanup rules can be turned off; the first three cannot */
	size_t min_tokens, max_chars;
	double max_non_ascii;
	int with_title;              /* examples read the title and the overview (film_text.h) */
} tg_prepare_options;

void tg_prepare_defaults(tg_prepare_options *o);

/* Sets which cleanup rules are on from "none" or a comma-separated list of their
** names ("placeholder,too-short"); -1 for an unknown name. */
int tg_rules_parse(const char *list, tg_prepare_options *o);

typedef struct tg_prepared {
	uint32_t n_labels;
	char *labels[TG_MODEL_MAX_LABELS];          /* most frequent first */
	size_t label_rows[TG_MODEL_MAX_LABELS];     /* training films per label */
	size_t genre_names_seen;                    /* distinct genre names in the data */
	tg_example_set split[3];                    /* indexed by tg_split; texts point into the
	                                               dataset, or are owned when with_title */
	size_t funnel[3][TG_RULE_COUNT + 1];        /* films per split and bucket */
} tg_prepared;

int tg_prepare(const tg_dataset *d, const tg_prepare_options *o, tg_prepared *out, char *err,
               size_t errlen);
void tg_prepared_free(tg_prepared *p);

#endif
