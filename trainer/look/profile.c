/* The data profile: see profile.h. */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "keymap.h"
#include "prepare.h"
#include "profile.h"
#include "tokenize.h"

static const char *const pct_names[TG_P_COUNT] = { "min", "p10", "p25", "p50",
	                                           "p75", "p90", "p99", "max" };
static const unsigned pct_values[TG_P_COUNT] = { 0, 10, 25, 50, 75, 90, 99, 100 };

const char *tg_profile_pct_name(int i)
{
	return i >= 0 && i < TG_P_COUNT ? pct_names[i] : "?";
}

/* ---- counting names (languages, genres): an open-addressed table of owned strings ---- */

typedef struct name_table {
	tg_name_count *items;
	size_t n, cap;
	uint32_t *slots;      /* index + 1, 0 = empty */
	size_t nslots;        /* power of two, > 2 * n */
} name_table;

static uint64_t hash_name(const char *s)
{
	uint64_t h = TG_FNV_OFFSET;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * TG_FNV_PRIME;
	return h ^ (h >> 29);
}

static int name_table_grow(name_table *t)
{
	size_t ns = t->nslots ? 2 * t->nslots : 64;
	uint32_t *slots = calloc(ns, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		size_t j = (size_t)hash_name(t->items[i].name) & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)(i + 1);
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
	return 0;
}

/* Adds one to name's count, inserting it at 0 first when new. */
static int name_table_add(name_table *t, const char *name)
{
	if (!name)
		name = "";
	if (2 * (t->n + 1) >= t->nslots && name_table_grow(t) != 0)
		return -1;
	size_t j = (size_t)hash_name(name) & (t->nslots - 1);
	while (t->slots[j]) {
		tg_name_count *c = &t->items[t->slots[j] - 1];
		if (strcmp(c->name, name) == 0) {
			c->count++;
			return 0;
		}
		j = (j + 1) & (t->nslots - 1);
	}
	tg_name_count *items = tg_grow(t->items, &t->cap, t->n + 1, sizeof *items, 32);
	if (!items)
		return -1;
	t->items = items;
	if (t->n >= UINT32_MAX - 1)
		return -1;
	char *copy = strdup(name);
	if (!copy)
		return -1;
	t->items[t->n] = (tg_name_count){ copy, 1 };
	t->slots[j] = (uint32_t)(++t->n);
	return 0;
}

static void free_names(tg_name_count *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i].name);
	free(items);
}

static int by_count_desc(const void *a, const void *b)
{
	const tg_name_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Hands the sorted items over to the caller and frees the rest of the table. */
static tg_name_count *name_table_finish(name_table *t, size_t *n)
{
	free(t->slots);
	if (t->n)
		qsort(t->items, t->n, sizeof *t->items, by_count_desc);
	*n = t->n;
	return t->items;
}

/* ---- lengths ---- */

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* The smallest "round" width (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten,
** whole numbers only) that is at least want. */
static size_t nice_width(size_t want)
{
	static const unsigned m10[] = { 10, 12, 15, 20, 25, 30, 40, 50, 60, 80 };
	if (want <= 1)
		return 1;
	for (size_t p = 1;; p *= 10) {
		for (size_t i = 0; i < sizeof m10 / sizeof *m10; i++) {
			size_t w = m10[i] * p;
			if (w % 10)
				continue;
			if (w / 10 >= want)
				return w / 10;
		}
		if (p > SIZE_MAX / 100)
			return want;
	}
}

/* Sorts v in place and fills *dist: nearest-rank percentiles, then TG_PROFILE_BINS bins
** of a round width chosen so that the regular bins reach past p99. */
static void length_dist(size_t *v, size_t n, tg_length_dist *dist)
{
	memset(dist, 0, sizeof *dist);
	dist->n = n;
	dist->bin_width = 1;
	if (n == 0)
		return;
	qsort(v, n, sizeof *v, size_cmp);
	for (size_t i = 0; i < n; i++)
		dist->total += v[i];
	for (int k = 0; k < TG_P_COUNT; k++) {
		size_t p = pct_values[k];
		size_t rank = p == 0 ? 1 : (p * n + 99) / 100;   /* ceil(p/100 * n), at least 1 */
		if (rank > n)
			rank = n;
		dist->pct[k] = v[rank - 1];
	}
	/* Bins that reach max (the last one open when max is exactly its lower edge), unless
	** the tail is so long that p99 would fall in the first half: then the first bins - 1
	** bins reach past p99 and the last one is open ("900+"). */
	size_t max = dist->pct[TG_P_MAX], p99 = dist->pct[TG_P_99];
	size_t w = nice_width((max + TG_PROFILE_BINS - 1) / TG_PROFILE_BINS);
	if (p99 / w < TG_PROFILE_BINS / 2)
		w = nice_width(p99 / (TG_PROFILE_BINS - 1) + 1);
	dist->bin_width = w;
	for (size_t i = 0; i < n; i++) {
		size_t b = v[i] / w;
		dist->bins[b < TG_PROFILE_BINS ? b : TG_PROFILE_BINS - 1]++;
	}
}

int tg_profile_bin_open(const tg_length_dist *d, int b)
{
	return b == TG_PROFILE_BINS - 1 && d->pct[TG_P_MAX] >= (size_t)TG_PROFILE_BINS * d->bin_width;
}

static size_t count_code_points(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

void tg_profile_free(tg_profile *p)
{
	free_names(p->languages, p->n_languages);
	free_names(p->genres, p->n_genres);
	memset(p, 0, sizeof *p);
}

int tg_profile_compute(const tg_dataset *d, tg_profile *out)
{
	memset(out, 0, sizeof *out);
	out->films = d->n;
	out->malformed = d->n_malformed;
	out->rows = d->n + d->n_malformed;
	for (size_t i = 0; i < d->n_malformed && i < TG_PROFILE_MAX_LINES; i++)
		out->malformed_lines[i] = d->malformed[i].line;

	size_t *chars = malloc((d->n ? d->n : 1) * sizeof *chars);
	size_t *tokens = malloc((d->n ? d->n : 1) * sizeof *tokens);
	name_table langs = { 0 }, genres = { 0 };
	tg_keymap ids;
	int ids_ok = tg_keymap_init(&ids, (uint32_t)(d->n < UINT32_MAX / 2 ? d->n : UINT32_MAX / 2)) == 0;
	if (!chars || !tokens || !ids_ok)
		goto nomem;

	size_t measured = 0;
	for (size_t i = 0; i < d->n; i++) {
		const tg_movie *m = &d->movies[i];
		const char *ov = m->overview ? m->overview : "";
		size_t len = m->overview ? m->overview_len : 0;

		uint32_t before = ids.count;
		if (tg_keymap_intern(&ids, (uint64_t)m->id) < 0)
			goto nomem;
		if (ids.count == before) {
			if (out->duplicate_ids < TG_PROFILE_MAX_DUP_IDS)
				out->dup_ids[out->duplicate_ids] = m->id;
			out->duplicate_ids++;
		}

		if (tg_is_blank(ov)) {
			out->empty_overviews++;
		} else {
			out->placeholder_overviews += tg_is_placeholder(ov) != 0;
			chars[measured] = count_code_points(ov, len);
			tokens[measured] = tg_count_tokens(ov, len);
			measured++;
		}
		size_t high = 0;
		for (size_t k = 0; k < len; k++)
			high += (unsigned char)ov[k] >= 0x80;
		out->non_ascii_overviews += high != 0;
		out->non_ascii_bytes += high;
		out->overview_bytes += len;

		if (name_table_add(&langs, m->original_language) != 0)
			goto nomem;
		size_t distinct = 0;
		for (size_t g = 0; g < m->n_genres; g++) {
			int seen = 0;
			for (size_t h = 0; h < g && !seen; h++)
				seen = strcmp(m->genres[g], m->genres[h]) == 0;
			if (seen)
				continue;
			distinct++;
			if (name_table_add(&genres, m->genres[g]) != 0)
				goto nomem;
		}
		out->genres_per_film[distinct < TG_PROFILE_MAX_GPF ? distinct : TG_PROFILE_MAX_GPF]++;
	}
	length_dist(chars, measured, &out->chars);
	length_dist(tokens, measured, &out->tokens);
	out->languages = name_table_finish(&langs, &out->n_languages);
	out->genres = name_table_finish(&genres, &out->n_genres);
	free(chars);
	free(tokens);
	tg_keymap_free(&ids);
	return 0;

nomem:
	free(chars);
	free(tokens);
	if (ids_ok)
		tg_keymap_free(&ids);
	free(langs.slots);
	free_names(langs.items, langs.n);
	free(genres.slots);
	free_names(genres.items, genres.n);
	tg_profile_free(out);
	return -1;
}

/* ---- printing ---- */

/* Writes at most max code points of s, with control bytes shown as '?' (the data may
** hold terminal escapes) and "…" when cut; pads with spaces to width code points. */
static void put_name(FILE *f, const char *s, size_t max, size_t width)
{
	size_t cps = count_code_points(s, strlen(s)), shown = 0;
	int cut = cps > max;
	size_t limit = cut ? max - 1 : cps;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int lead = (*p & 0xC0) != 0x80;
		if (lead && shown == limit)
			break;
		shown += lead;
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
	}
	if (cut) {
		fputs("\xE2\x80\xA6", f);
		shown++;
	}
	for (; shown < width; shown++)
		fputc(' ', f);
}

static double pct(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void bin_label(char *buf, size_t len, const tg_length_dist *d, int b)
{
	size_t lo = (size_t)b * d->bin_width;
	if (tg_profile_bin_open(d, b))
		snprintf(buf, len, "%zu+", lo);
	else if (d->bin_width == 1)
		snprintf(buf, len, "%zu", lo);
	else
		snprintf(buf, len, "%zu-%zu", lo, lo + d->bin_width - 1);
}

#define BAR 20

/* One histogram row: "   label ####### count", fixed width. */
static void hist_cell(FILE *f, const tg_length_dist *d, int b, size_t peak)
{
	char label[48];
	bin_label(label, sizeof label, d, b);
	size_t n = d->bins[b];
	size_t bar = peak ? (n * BAR + peak - 1) / peak : 0;
	fprintf(f, "%11s ", label);
	for (size_t i = 0; i < BAR; i++)
		fputc(i < bar ? '#' : ' ', f);
	fprintf(f, " %6zu", n);
}

static size_t peak_of(const tg_length_dist *d)
{
	size_t peak = 0;
	for (int b = 0; b < TG_PROFILE_BINS; b++)
		if (d->bins[b] > peak)
			peak = d->bins[b];
	return peak;
}

void tg_profile_print(const tg_profile *p, FILE *f)
{
	size_t films = p->films;
	fprintf(f, "data profile\n");
	fprintf(f, "  rows read              %7zu   %zu films + %zu malformed\n", p->rows, films, p->malformed);
	fprintf(f, "  malformed              %7zu", p->malformed);
	for (size_t i = 0; i < p->malformed && i < TG_PROFILE_MAX_LINES; i++)
		fprintf(f, "%s%ld", i == 0 ? "   lines " : (i % 10 == 0 ? ",\n                                   " : ", "),
		        p->malformed_lines[i]);
	if (p->malformed > TG_PROFILE_MAX_LINES)
		fprintf(f, " \xE2\x80\xA6" "and %zu more", p->malformed - TG_PROFILE_MAX_LINES);
	fputc('\n', f);
	fprintf(f, "  duplicate ids          %7zu", p->duplicate_ids);
	for (size_t i = 0; i < p->duplicate_ids && i < TG_PROFILE_MAX_DUP_IDS; i++)
		fprintf(f, "%s%lld", i == 0 ? "   first: " : ", ", (long long)p->dup_ids[i]);
	if (p->duplicate_ids > TG_PROFILE_MAX_DUP_IDS)
		fprintf(f, " \xE2\x80\xA6" "and %zu more", p->duplicate_ids - TG_PROFILE_MAX_DUP_IDS);
	fputc('\n', f);
	fprintf(f, "  empty overviews        %7zu   %.1f%%\n", p->empty_overviews, pct(p->empty_overviews, films));
	fprintf(f, "  placeholder overviews  %7zu   %.1f%%  (\"No overview found.\" and the like)\n",
	        p->placeholder_overviews, pct(p->placeholder_overviews, films));
	fprintf(f, "  non-ASCII overviews    %7zu   %.1f%% of films; %.2f%% of overview bytes\n",
	        p->non_ascii_overviews, pct(p->non_ascii_overviews, films),
	        pct(p->non_ascii_bytes, p->overview_bytes));

	fprintf(f, "\noverview length     films");
	for (int k = 0; k < TG_P_COUNT; k++)
		fprintf(f, " %6s", pct_names[k]);
	fputc('\n', f);
	const tg_length_dist *dists[2] = { &p->chars, &p->tokens };
	const char *dnames[2] = { "characters", "tokens" };
	for (int j = 0; j < 2; j++) {
		fprintf(f, "  %-14s %7zu", dnames[j], dists[j]->n);
		for (int k = 0; k < TG_P_COUNT; k++)
			fprintf(f, " %6zu", dists[j]->pct[k]);
		fputc('\n', f);
	}
	fprintf(f, "%12s%-29s%12s%s\n", "", "characters", "", "tokens");   /* over the bars */
	size_t peak_c = peak_of(&p->chars), peak_t = peak_of(&p->tokens);
	for (int b = 0; b < TG_PROFILE_BINS; b++) {
		hist_cell(f, &p->chars, b, peak_c);
		fputs("  ", f);
		hist_cell(f, &p->tokens, b, peak_t);
		fputc('\n', f);
	}

	fprintf(f, "\noriginal_language (%zu codes)\n", p->n_languages);
	size_t shown = p->n_languages < TG_PROFILE_TOP_LANGS ? p->n_languages : TG_PROFILE_TOP_LANGS;
	for (size_t i = 0; i < shown; i++) {
		fputs(i % 5 == 0 ? "  " : "   ", f);
		put_name(f, p->languages[i].name[0] ? p->languages[i].name : "(none)", 8, 6);
		fprintf(f, "%5zu %4.1f%%", p->languages[i].count, pct(p->languages[i].count, films));
		if (i % 5 == 4 || i + 1 == shown)
			fputc('\n', f);
	}
	if (p->n_languages > shown) {
		size_t other = 0;
		for (size_t i = shown; i < p->n_languages; i++)
			other += p->languages[i].count;
		fprintf(f, "  other %zu films in %zu codes (%.1f%%)\n", other, p->n_languages - shown,
		        pct(other, films));
	}

	fprintf(f, "\ngenres (%zu names; films per genre)\n", p->n_genres);
	size_t rows = (p->n_genres + 2) / 3;
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < 3; c++) {
			size_t i = c * rows + r;
			if (i >= p->n_genres)
				break;
			fputs(c ? "   " : "  ", f);
			put_name(f, p->genres[i].name, 16, 16);
			fprintf(f, "%6zu", p->genres[i].count);
		}
		fputc('\n', f);
	}

	fprintf(f, "\ngenres per film ");
	for (int k = 0; k <= TG_PROFILE_MAX_GPF; k++) {
		char head[16];
		snprintf(head, sizeof head, k == TG_PROFILE_MAX_GPF ? "%d+" : "%d", k);
		fprintf(f, " %7s", head);
	}
	fprintf(f, "\n  films         ");
	for (int k = 0; k <= TG_PROFILE_MAX_GPF; k++)
		fprintf(f, " %7zu", p->genres_per_film[k]);
	fputc('\n', f);
}
