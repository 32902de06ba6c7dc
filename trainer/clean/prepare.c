#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "grow.h"
#include "keymap.h"
#include "prepare.h"
#include "film_text.h"

static const char *const rule_names[TG_RULE_COUNT + 1] = {
	"empty", "no-genre", "duplicate", "placeholder", "too-short", "too-long", "non-latin", "kept",
};

const char *tg_rule_name(tg_rule r)
{
	return r <= TG_RULE_COUNT ? rule_names[r] : "?";
}

int tg_rules_parse(const char *list, tg_prepare_options *o)
{
	int on[TG_RULE_COUNT] = { 0 };
	if (strcmp(list, "none") != 0) {
		const char *p = list;
		while (*p) {
			size_t n = strcspn(p, ",");
			int found = 0;
			for (int r = TG_FIRST_CLEANUP_RULE; r < TG_RULE_COUNT; r++)
				if (strlen(rule_names[r]) == n && strncmp(p, rule_names[r], n) == 0)
					on[r] = found = 1;
			if (!found)
				return -1;
			p += n;
			if (*p == ',')
				p++;
		}
	}
	memcpy(o->rule_on, on, sizeof on);
	return 0;
}

void tg_prepare_defaults(tg_prepare_options *o)
{
	memset(o, 0, sizeof *o);
	o->min_genre_rows = 10;
	/* On by default: the rules the ablation on the shared file does not reject.  Dropping
	** placeholder and short overviews lowered validation micro-F1 there (README.md). */
	o->rule_on[TG_RULE_TOO_LONG] = 1;
	o->rule_on[TG_RULE_NON_LATIN] = 1;
	o->min_tokens = 5;
	o->max_chars = 2000;
	o->max_non_ascii = 0.5;
}

int tg_is_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

int tg_is_placeholder(const char *s)
{
	static const char *const known[] = { "No overview found.", "No overview found", "No overview yet.",
		                             "No Overview", "Not available", "N/A", "TBA", "TBD" };
	while (isspace((unsigned char)*s))
		s++;
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcasecmp(s, known[i]) == 0)
			return 1;
	return 0;
}

size_t tg_count_tokens(const char *s, size_t len)
{
	tg_tokenizer t;
	tg_token tok;
	size_t n = 0;
	tg_tokenizer_init(&t, s, len);
	while (tg_next_token(&t, &tok))
		n++;
	return n;
}

/* Share of letters that are not ASCII: counts UTF-8 lead bytes as one letter each. */
static double non_ascii_share(const char *s, size_t len)
{
	size_t ascii = 0, other = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			ascii += isalpha(c) != 0;
		else if ((c & 0xC0) != 0x80)
			other++;
	}
	return ascii + other ? other / (double)(ascii + other) : 0;
}

typedef struct genre_count {
	const char *name;
	size_t rows;
} genre_count;

static int by_rows_desc(const void *a, const void *b)
{
	const genre_count *x = a, *y = b;
	if (x->rows != y->rows)
		return x->rows < y->rows ? 1 : -1;
	return strcmp(x->name, y->name);
}

static uint64_t name_key(const char *s)
{
	uint64_t h = TG_FNV_OFFSET;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * TG_FNV_PRIME;
	return tg_mix64(h);
}

/* Genres of training films with a usable overview, counted once per film. */
static int learn_labels(const tg_dataset *d, const tg_prepare_options *o, tg_prepared *out)
{
	tg_keymap names;
	genre_count *counts = NULL;
	size_t cap = 0;
	int rc = -1;
	if (tg_keymap_init(&names, 64) != 0)
		return -1;
	for (size_t i = 0; i < d->n; i++) {
		const tg_movie *m = &d->movies[i];
		if (tg_split_of(m->id) != TG_SPLIT_TRAIN || tg_is_blank(m->overview))
			continue;
		for (size_t g = 0; g < m->n_genres; g++) {
			uint32_t before = names.count;
			int64_t ix = tg_keymap_intern(&names, name_key(m->genres[g]));
			if (ix < 0)
				goto done;
			genre_count *c = tg_grow(counts, &cap, (size_t)ix + 1, sizeof *c, 64);
			if (!c)
				goto done;
			counts = c;
			if (names.count != before)
				counts[ix] = (genre_count){ m->genres[g], 0 };
			counts[ix].rows++;
		}
	}
	out->genre_names_seen = names.count;
	if (names.count)
		qsort(counts, names.count, sizeof *counts, by_rows_desc);
	for (size_t i = 0; i < names.count && out->n_labels < TG_MODEL_MAX_LABELS; i++) {
		if (counts[i].rows < o->min_genre_rows)
			break;
		out->labels[out->n_labels] = strdup(counts[i].name);
		if (!out->labels[out->n_labels])
			goto done;
		out->label_rows[out->n_labels++] = counts[i].rows;
	}
	rc = 0;
done:
	tg_keymap_free(&names);
	free(counts);
	return rc;
}

static tg_labelmask labels_of(const tg_prepared *p, const tg_movie *m)
{
	tg_labelmask mask = 0;
	for (size_t g = 0; g < m->n_genres; g++)
		for (uint32_t k = 0; k < p->n_labels; k++)
			if (strcmp(m->genres[g], p->labels[k]) == 0)
				mask |= (tg_labelmask)1 << k;
	return mask;
}

static tg_rule classify(const tg_movie *m, tg_labelmask labels, int duplicate, tg_split split,
                        const tg_prepare_options *o)
{
	if (tg_is_blank(m->overview))
		return TG_RULE_EMPTY;
	if (labels == 0)
		return TG_RULE_NO_GENRE;
	if (duplicate)
		return TG_RULE_DUPLICATE;
	if (split != TG_SPLIT_TRAIN)
		return TG_RULE_KEPT;
	if (o->rule_on[TG_RULE_PLACEHOLDER] && tg_is_placeholder(m->overview))
		return TG_RULE_PLACEHOLDER;
	if (o->rule_on[TG_RULE_TOO_SHORT] && tg_count_tokens(m->overview, m->overview_len) < o->min_tokens)
		return TG_RULE_TOO_SHORT;
	if (o->rule_on[TG_RULE_TOO_LONG] && m->overview_len > o->max_chars)
		return TG_RULE_TOO_LONG;
	if (o->rule_on[TG_RULE_NON_LATIN] && non_ascii_share(m->overview, m->overview_len) > o->max_non_ascii)
		return TG_RULE_NON_LATIN;
	return TG_RULE_KEPT;
}

void tg_prepared_free(tg_prepared *p)
{
	for (uint32_t k = 0; k < p->n_labels; k++)
		free(p->labels[k]);
	for (int s = 0; s < 3; s++)
		tg_example_set_free(&p->split[s]);
	memset(p, 0, sizeof *p);
}

/* The film's example: its overview in place, or its own copy of the title and the
** overview joined as every model with titles reads them. */
static int push_example(tg_example_set *s, const tg_movie *m, tg_labelmask labels, int with_title)
{
	if (!with_title)
		return tg_example_set_push(s, m->id, m->overview, m->overview_len, labels);
	size_t title_len = strlen(m->title);
	char *text = malloc(tg_film_text_len(title_len, m->overview_len) + 1);
	if (!text)
		return -1;
	size_t len = tg_film_text_join(text, m->title, title_len, m->overview, m->overview_len);
	text[len] = '\0';
	s->owns_texts = 1;
	if (tg_example_set_push(s, m->id, text, len, labels) != 0) {
		free(text);
		return -1;
	}
	return 0;
}

int tg_prepare(const tg_dataset *d, const tg_prepare_options *o, tg_prepared *out, char *err,
               size_t errlen)
{
	memset(out, 0, sizeof *out);
	tg_keymap ids;
	if (tg_keymap_init(&ids, (uint32_t)(d->n < UINT32_MAX / 2 ? d->n : UINT32_MAX / 2)) != 0 ||
	    learn_labels(d, o, out) != 0) {
		tg_errf(err, errlen, "out of memory preparing the data");
		tg_keymap_free(&ids);
		tg_prepared_free(out);
		return -1;
	}
	for (size_t i = 0; i < d->n; i++) {
		const tg_movie *m = &d->movies[i];
		uint32_t before = ids.count;
		if (tg_keymap_intern(&ids, (uint64_t)m->id) < 0)
			goto nomem;
		int duplicate = ids.count == before;
		tg_split split = tg_split_of(m->id);
		tg_labelmask labels = labels_of(out, m);
		tg_rule bucket = classify(m, labels, duplicate, split, o);
		out->funnel[split][bucket]++;
		if (bucket == TG_RULE_KEPT && push_example(&out->split[split], m, labels, o->with_title) != 0)
			goto nomem;
	}
	tg_keymap_free(&ids);
	if (out->n_labels == 0 || out->split[TG_SPLIT_TRAIN].n == 0) {
		tg_errf(err, errlen, "no usable training films (%u labels with at least %u films)",
		         out->n_labels, o->min_genre_rows);
		tg_prepared_free(out);
		return -1;
	}
	return 0;
nomem:
	tg_errf(err, errlen, "out of memory preparing the data");
	tg_keymap_free(&ids);
	tg_prepared_free(out);
	return -1;
}
