/* The report's data section: what was read, before any cleanup (profile.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_parts.h"

static void write_length_hist(FILE *f, const char *title, const char *unit, const tg_length_dist *d)
{
	char edges[TG_PROFILE_BINS + 1][24], tips[TG_PROFILE_BINS][48];
	const char *labels[TG_PROFILE_BINS + 1], *tip[TG_PROFILE_BINS];
	double values[TG_PROFILE_BINS];
	int open = 0;
	for (int b = 0; b <= TG_PROFILE_BINS; b++) {
		snprintf(edges[b], sizeof edges[b], "%zu", (size_t)b * d->bin_width);
		labels[b] = edges[b];
	}
	for (int b = 0; b < TG_PROFILE_BINS; b++) {
		size_t lo = (size_t)b * d->bin_width;
		if (tg_profile_bin_open(d, b)) {
			open = 1;
			snprintf(tips[b], sizeof tips[b], "%zu or more %s", lo, unit);
		} else {
			snprintf(tips[b], sizeof tips[b], "%zu to %zu %s", lo, lo + d->bin_width - 1, unit);
		}
		tip[b] = tips[b];
		values[b] = (double)d->bins[b];
	}
	char xt[96];
	if (open) {
		labels[TG_PROFILE_BINS] = NULL;
		snprintf(xt, sizeof xt, "%s per overview (last bar: %zu or more)", unit,
		         (size_t)(TG_PROFILE_BINS - 1) * d->bin_width);
	} else {
		snprintf(xt, sizeof xt, "%s per overview", unit);
	}
	tg_svg_columns c = { .title = title, .labels = labels, .edge_labels = 1, .tips = tip, .values = values,
		             .n = TG_PROFILE_BINS, .color = C_BLUE, .x_title = xt };
	fprintf(f, "<div><h3>%s</h3>\n", title);
	tg_svg_write_columns(f, &c);
	fputs("</div>\n", f);
}

void tg_report_data(FILE *f, const tg_report_input *in)
{
	const tg_profile *p = in->profile;
	if (!p)
		return;
	fputs("<section id=\"data\"><h2>The data</h2>\n<p class=\"lead\">What the source holds before any "
	      "cleanup rule runs.</p>\n<div class=\"two\"><div>\n<table>\n", f);
	fprintf(f, "<tr><th>finding</th><th>rows</th><th>share</th></tr>\n");
	fprintf(f, "<tr><td>rows read</td><td>%zu</td><td></td></tr>\n", p->rows);
	fprintf(f, "<tr><td>malformed (skipped)</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->malformed,
	        100 * tg_report_share(p->malformed, p->rows));
	fprintf(f, "<tr><td>films</td><td>%zu</td><td></td></tr>\n", p->films);
	fprintf(f, "<tr><td>duplicate ids</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->duplicate_ids,
	        100 * tg_report_share(p->duplicate_ids, p->films));
	fprintf(f, "<tr><td>empty overviews</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->empty_overviews,
	        100 * tg_report_share(p->empty_overviews, p->films));
	fprintf(f, "<tr><td>placeholder overviews</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->placeholder_overviews,
	        100 * tg_report_share(p->placeholder_overviews, p->films));
	fprintf(f, "<tr><td>overviews with non-ASCII text</td><td>%zu</td><td>%.1f%%</td></tr>\n",
	        p->non_ascii_overviews, 100 * tg_report_share(p->non_ascii_overviews, p->films));
	fprintf(f, "<tr><td>films without any genre</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->genres_per_film[0],
	        100 * tg_report_share(p->genres_per_film[0], p->films));
	fputs("</table>\n", f);
	if (p->malformed) {
		fputs("<p class=\"muted\">Malformed rows start on lines ", f);
		for (size_t i = 0; i < p->malformed && i < TG_PROFILE_MAX_LINES; i++)
			fprintf(f, "%s%ld", i ? ", " : "", p->malformed_lines[i]);
		if (p->malformed > TG_PROFILE_MAX_LINES)
			fprintf(f, " \xE2\x80\xA6" "and %zu more", p->malformed - TG_PROFILE_MAX_LINES);
		fputs(".</p>\n", f);
	}
	if (p->duplicate_ids) {
		fputs("<p class=\"muted\">Duplicate ids (first rows win): ", f);
		for (size_t i = 0; i < p->duplicate_ids && i < TG_PROFILE_MAX_DUP_IDS; i++)
			fprintf(f, "%s%lld", i ? ", " : "", (long long)p->dup_ids[i]);
		if (p->duplicate_ids > TG_PROFILE_MAX_DUP_IDS)
			fprintf(f, " \xE2\x80\xA6" "and %zu more", p->duplicate_ids - TG_PROFILE_MAX_DUP_IDS);
		fputs(".</p>\n", f);
	}
	fputs("</div><div>\n<h3>Overview length</h3><table><tr><th></th><th>films</th>", f);
	for (int k = 0; k < TG_P_COUNT; k++)
		fprintf(f, "<th>%s</th>", tg_profile_pct_name(k));
	fputs("</tr>\n", f);
	const tg_length_dist *ds[2] = { &p->chars, &p->tokens };
	const char *dn[2] = { "characters", "tokens" };
	for (int j = 0; j < 2; j++) {
		fprintf(f, "<tr><td>%s</td><td>%zu</td>", dn[j], ds[j]->n);
		for (int k = 0; k < TG_P_COUNT; k++)
			fprintf(f, "<td>%zu</td>", ds[j]->pct[k]);
		fputs("</tr>\n", f);
	}
	fputs("</table><p class=\"muted\">Over the films whose overview is not empty. Tokens are the words the "
	      "model sees (the tokenizer of <code>tg_predict</code>; one-letter words are dropped).</p>\n", f);

	/* languages: top 10 and the rest */
	size_t shown = p->n_languages < TG_PROFILE_TOP_LANGS ? p->n_languages : TG_PROFILE_TOP_LANGS;
	const char *labels[TG_PROFILE_TOP_LANGS + 1], *notes[TG_PROFILE_TOP_LANGS + 1];
	char notebuf[TG_PROFILE_TOP_LANGS + 1][16], otherbuf[48];
	double values[TG_PROFILE_TOP_LANGS + 1];
	size_t other = 0;
	for (size_t i = shown; i < p->n_languages; i++)
		other += p->languages[i].count;
	size_t n = 0;
	for (size_t i = 0; i < shown; i++, n++) {
		labels[n] = p->languages[i].name[0] ? p->languages[i].name : "(none)";
		values[n] = (double)p->languages[i].count;
	}
	if (other) {
		snprintf(otherbuf, sizeof otherbuf, "%zu others", p->n_languages - shown);
		labels[n] = otherbuf;
		values[n++] = (double)other;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(notebuf[i], sizeof notebuf[i], "%.1f%%", 100 * tg_report_share((size_t)values[i], p->films));
		notes[i] = notebuf[i];
	}
	if (n) {
		fprintf(f, "<h3>Original language (%zu codes)</h3>\n", p->n_languages);
		tg_svg_series s = { "films", C_TEAL, values };
		tg_svg_hbars c = { .title = "Films per original language", .labels = labels, .n = n, .series = &s,
			           .n_series = 1, .notes = notes, .fmt = TG_FMT_INT, .width = 520 };
		tg_svg_write_hbars(f, &c);
	}
	fputs("</div></div>\n<div class=\"two\">\n", f);
	write_length_hist(f, "Overview length in characters", "characters", &p->chars);
	write_length_hist(f, "Overview length in tokens", "tokens", &p->tokens);
	fputs("</div></section>\n", f);
}

static int is_label(const tg_prepared *pr, const char *name)
{
	for (uint32_t k = 0; pr && k < pr->n_labels; k++)
		if (pr->labels[k] && strcmp(pr->labels[k], name) == 0)
			return 1;
	return 0;
}

int tg_report_genres(FILE *f, const tg_report_input *in)
{
	const tg_profile *p = in->profile;
	if (!p)
		return 0;
	fputs("<section id=\"genres\"><h2>Genres</h2>\n<div class=\"two\"><div>\n", f);
	fprintf(f, "<h3>Films per genre (%zu genres)</h3>\n", p->n_genres);
	if (in->prepared)
		fputs("<div class=\"legend\"><span class=\"key\" style=\"background:" C_BLUE "\"></span>a label the model "
		      "learns<span class=\"key\" style=\"background:" C_GREY "\"></span>too rare to be a label</div>\n",
		      f);
	int rc = 0;
	/* at most MAX_GENRE_BARS bars: the rarest genres of a long tail share the last one */
	size_t n = p->n_genres > MAX_GENRE_BARS ? MAX_GENRE_BARS : p->n_genres;
	const char **labels = malloc((n ? n : 1) * sizeof *labels);
	const char **colors = malloc((n ? n : 1) * sizeof *colors);
	double *values = malloc((n ? n : 1) * sizeof *values);
	char others[48];
	if (!labels || !colors || !values) {
		rc = -1;
	} else if (n) {
		for (size_t i = 0; i < n; i++) {
			labels[i] = p->genres[i].name;
			values[i] = (double)p->genres[i].count;
			colors[i] = !in->prepared || is_label(in->prepared, labels[i]) ? C_BLUE : C_GREY;
		}
		if (p->n_genres > n) {
			snprintf(others, sizeof others, "%zu other genres", p->n_genres - (n - 1));
			labels[n - 1] = others;
			colors[n - 1] = C_GREY;
			values[n - 1] = 0;
			for (size_t i = n - 1; i < p->n_genres; i++)
				values[n - 1] += (double)p->genres[i].count;
		}
		tg_svg_series s = { "films", C_BLUE, values };
		tg_svg_hbars c = { .title = "Films per genre", .labels = labels, .n = n, .series = &s, .n_series = 1,
			           .row_colors = colors, .fmt = TG_FMT_INT, .width = 540 };
		tg_svg_write_hbars(f, &c);
	} else {
		fputs("<p class=\"muted\">No film has a genre.</p>\n", f);
	}
	free(labels);
	free(colors);
	free(values);

	char lb[TG_PROFILE_MAX_GPF + 1][16], tp[TG_PROFILE_MAX_GPF + 1][32];
	const char *gl[TG_PROFILE_MAX_GPF + 1], *gt[TG_PROFILE_MAX_GPF + 1];
	double gv[TG_PROFILE_MAX_GPF + 1];
	for (int k = 0; k <= TG_PROFILE_MAX_GPF; k++) {
		snprintf(lb[k], sizeof lb[k], k == TG_PROFILE_MAX_GPF ? "%d+" : "%d", k);
		snprintf(tp[k], sizeof tp[k], k == TG_PROFILE_MAX_GPF ? "%d or more genres" : "%d genre%s", k,
		         k == 1 ? "" : "s");
		gl[k] = lb[k];
		gt[k] = tp[k];
		gv[k] = (double)p->genres_per_film[k];
	}
	fputs("</div><div><h3>Genres per film</h3>\n", f);
	tg_svg_columns c = { .title = "Films by number of genres", .labels = gl, .tips = gt, .values = gv,
		             .n = TG_PROFILE_MAX_GPF + 1, .color = C_PURPLE, .x_title = "genres per film",
		             .width = 420 };
	tg_svg_write_columns(f, &c);
	fprintf(f, "<p class=\"muted\">%zu films (%.1f%%) have no genre at all: they cannot be used for training or "
	           "evaluation.</p>\n",
	        p->genres_per_film[0], 100 * tg_report_share(p->genres_per_film[0], p->films));
	fputs("</div></div></section>\n", f);
	return rc;
}
