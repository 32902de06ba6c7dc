/* The HTML report: see report_html.h.  Charts come from svg_chart.c. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_html.h"
#include "svg_chart.h"

#define C_BLUE "#4e79a7"
#define C_ORANGE "#f28e2b"
#define C_GREEN "#59a14f"
#define C_TEAL "#76b7b2"
#define C_GREY "#bab0ac"
#define C_PURPLE "#b07aa1"

#define MAX_GENRE_BARS 40

static const char css[] =
	"*{box-sizing:border-box}"
	"body{margin:0;background:#f4f5f7;color:#1f2328;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
	"'Helvetica Neue',Arial,sans-serif}"
	"main{max-width:1140px;margin:0 auto;padding:20px 24px 40px}"
	"header h1{font-size:24px;margin:4px 0 2px}"
	".meta{color:#57606a;font-size:13px}.meta span{margin-right:18px;white-space:nowrap}"
	".meta span.sha{white-space:normal;overflow-wrap:anywhere}"
	"section{background:#fff;border:1px solid #dfe3e8;border-radius:10px;padding:16px 20px;margin:16px 0}"
	"h2{font-size:18px;margin:0 0 4px}h3{font-size:14px;margin:14px 0 6px;color:#3d444d}"
	".lead{color:#57606a;margin:0 0 10px}"
	".cards{display:flex;flex-wrap:wrap;gap:12px;margin:10px 0}"
	".card{flex:1 1 160px;border:1px solid #dfe3e8;border-radius:8px;padding:10px 14px;background:#fafbfc}"
	".card .k{color:#57606a;font-size:12px;text-transform:uppercase;letter-spacing:.04em}"
	".card .big{font-size:32px;font-weight:650;line-height:1.15}"
	".card .small{color:#57606a;font-size:12px}"
	"ul.glance{margin:6px 0 0;padding-left:20px}ul.glance li{margin:2px 0}"
	".two{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:8px 24px;align-items:start}"
	"table{border-collapse:collapse;font-size:13px;margin:4px 0 8px}"
	"th,td{padding:3px 10px;text-align:right;border-bottom:1px solid #eceef1;font-variant-numeric:tabular-nums}"
	"th{font-weight:600;color:#3d444d;border-bottom:1px solid #c9ced4}"
	"th:first-child,td:first-child{text-align:left}"
	"tr.total td{font-weight:600;border-top:1px solid #c9ced4}"
	"td.pos{color:#1a7f37}td.neg{color:#cf222e}"
	".key{display:inline-block;width:11px;height:11px;border-radius:2px;margin:0 4px 0 12px;vertical-align:-1px}"
	".legend{font-size:12px;color:#57606a;margin:2px 0 4px}"
	"svg.chart{display:block;max-width:100%;height:auto;margin:4px 0}"
	".chart text{font-size:12px;fill:#1f2328}.chart .axis{font-size:11px;fill:#57606a}"
	".chart .val{font-size:11px;fill:#24292f}.chart .note{font-size:11px;fill:#57606a}"
	".chart .grid{stroke:#e8eaed}.chart .base,.chart .tick{stroke:#8c959f}"
	"code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}"
	"footer{color:#57606a;font-size:12px;margin-top:18px}"
	".muted{color:#57606a}";

static double share(size_t part, size_t whole)
{
	return whole ? (double)part / (double)whole : 0.0;
}

static const char *label_name(const tg_report_input *in, uint32_t k, char *buf, size_t len)
{
	if (in->prepared && k < in->prepared->n_labels && in->prepared->labels[k])
		return in->prepared->labels[k];
	snprintf(buf, len, "label %u", k);
	return buf;
}

static void metric_cell(FILE *f, const tg_metrics *m, double v)
{
	if (m)
		fprintf(f, "<td>%.3f</td>", v);
	else
		fputs("<td class=\"muted\">\xE2\x80\x94</td>", f);
}

/* ---- header and headline ---- */

static void write_header(FILE *f, const tg_report_input *in)
{
	fputs("<header><div class=\"meta\">tg-train report</div><h1>", f);
	tg_html_escape(f, in->model_name && *in->model_name ? in->model_name : "genre model");
	if (in->model_id > 0)
		fprintf(f, " <span class=\"muted\">#%lld</span>", (long long)in->model_id);
	fputs("</h1><div class=\"meta\">", f);
	fputs("<span>data: <code>", f);
	tg_html_escape(f, in->source ? in->source : "?");
	fputs("</code></span>", f);
	if (in->created_at && *in->created_at) {
		fputs("<span>trained ", f);
		tg_html_escape(f, in->created_at);
		fputs("</span>", f);
	}
	fprintf(f, "<span>%.1f s training</span>", in->train_seconds);
	if (in->blob_bytes >= 1024 * 1024)
		fprintf(f, "<span>model %.1f MiB</span>", (double)in->blob_bytes / (1024.0 * 1024.0));
	else
		fprintf(f, "<span>model %.1f KiB</span>", (double)in->blob_bytes / 1024.0);
	if (in->data_sha256 && *in->data_sha256) {
		fputs("<span class=\"sha\">data sha256 <code>", f);
		tg_html_escape(f, in->data_sha256);
		fputs("</code></span>", f);
	}
	fputs("</div></header>\n", f);
}

static void card(FILE *f, const char *name, const char *help, const tg_metrics *val, double vv,
                 const tg_metrics *test, double tv)
{
	fprintf(f, "<div class=\"card\" title=\"%s\"><div class=\"k\">%s</div>", help, name);
	if (test)
		fprintf(f, "<div class=\"big\">%.3f</div>", tv);
	else
		fputs("<div class=\"big muted\">\xE2\x80\x94</div>", f);
	fputs("<div class=\"small\">test", f);
	if (test)
		fprintf(f, " (%zu films)", test->n);
	if (val)
		fprintf(f, " \xC2\xB7 validation %.3f", vv);
	fputs("</div></div>\n", f);
}

typedef struct ranked {
	uint32_t k;
	double f1;
} ranked;

static int by_f1_desc(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->f1 != y->f1)
		return x->f1 < y->f1 ? 1 : -1;
	return (x->k > y->k) - (x->k < y->k);
}

static void write_glance(FILE *f, const tg_report_input *in)
{
	const tg_profile *p = in->profile;
	const tg_prepared *pr = in->prepared;
	fputs("<ul class=\"glance\">\n", f);
	if (p) {
		fprintf(f, "<li><b>Data:</b> %zu rows, %zu films", p->rows, p->films);
		if (p->malformed)
			fprintf(f, " (%zu malformed rows skipped)", p->malformed);
		fprintf(f, "; %zu empty and %zu placeholder overviews, %zu duplicate ids; a typical overview has "
		           "%zu words (tokens), 90%% have at most %zu.</li>\n",
		        p->empty_overviews, p->placeholder_overviews, p->duplicate_ids, p->tokens.pct[TG_P_50],
		        p->tokens.pct[TG_P_90]);
	}
	if (pr) {
		size_t total = 0;
		for (int r = 0; r <= TG_RULE_COUNT; r++)
			total += pr->funnel[TG_SPLIT_TRAIN][r];
		size_t kept = pr->funnel[TG_SPLIT_TRAIN][TG_RULE_KEPT];
		int worst = -1;
		for (int r = 0; r < TG_RULE_COUNT; r++)
			if (pr->funnel[TG_SPLIT_TRAIN][r] && (worst < 0 || pr->funnel[TG_SPLIT_TRAIN][r] > pr->funnel[TG_SPLIT_TRAIN][worst]))
				worst = r;
		fprintf(f, "<li><b>Cleanup:</b> %zu of %zu training films kept (%.1f%%)", kept, total, 100 * share(kept, total));
		if (worst >= 0)
			fprintf(f, "; the rule that removes most is <i>%s</i> (%zu films)", tg_rule_name((tg_rule)worst),
			        pr->funnel[TG_SPLIT_TRAIN][worst]);
		fprintf(f, ". %u genres are labels.</li>\n", pr->n_labels);
	}
	const tg_metrics *t = in->test;
	if (t && t->n_labels) {
		ranked r[TG_MODEL_MAX_LABELS];
		for (uint32_t k = 0; k < t->n_labels; k++)
			r[k] = (ranked){ k, t->label[k].f1 };
		qsort(r, t->n_labels, sizeof *r, by_f1_desc);
		char buf[32];
		uint32_t best = (t->n_labels + 1) / 2, worst;
		best = best < 3 ? best : 3;
		worst = t->n_labels - best < 3 ? t->n_labels - best : 3;
		fputs("<li><b>Best genres</b> (test F1): ", f);
		for (uint32_t i = 0; i < best; i++) {
			fputs(i ? ", " : "", f);
			tg_html_escape(f, label_name(in, r[i].k, buf, sizeof buf));
			fprintf(f, " %.2f", r[i].f1);
		}
		if (worst)
			fputs("; <b>weakest:</b> ", f);
		for (uint32_t i = 0; i < worst; i++) {
			uint32_t j = t->n_labels - 1 - i;
			fputs(i ? ", " : "", f);
			tg_html_escape(f, label_name(in, r[j].k, buf, sizeof buf));
			fprintf(f, " %.2f (%zu films)", r[j].f1, t->label[r[j].k].support);
		}
		fputs(".</li>\n", f);
	}
	if (in->n_ablation) {
		size_t best = 0, hurt = 0;
		for (size_t i = 0; i < in->n_ablation; i++) {
			const tg_ablation_entry *e = &in->ablation[i];
			if (e->f1_with - e->f1_without > in->ablation[best].f1_with - in->ablation[best].f1_without)
				best = i;
			hurt += e->f1_with < e->f1_without;
		}
		const tg_ablation_entry *b = &in->ablation[best];
		fputs("<li><b>Ablation:</b> ", f);
		if (b->f1_with > b->f1_without) {
			fputs("the most useful cleanup rule is <i>", f);
			tg_html_escape(f, b->rule);
			fprintf(f, "</i> (%+.4f validation micro-F1)", b->f1_with - b->f1_without);
		} else {
			fputs("no cleanup rule improves validation micro-F1", f);
		}
		fprintf(f, "; %zu rule%s would do better switched off.</li>\n", hurt, hurt == 1 ? "" : "s");
	}
	fputs("</ul>\n", f);
}

static void write_headline(FILE *f, const tg_report_input *in)
{
	const tg_metrics *v = in->validation, *t = in->test;
	fputs("<section id=\"headline\"><h2>How good is it?</h2>\n", f);
	if (t)
		fprintf(f, "<p class=\"lead\">On %zu held-out test films the model's genre tags reach micro-F1 <b>%.3f</b> "
		           "(precision %.3f, recall %.3f) and macro-F1 <b>%.3f</b> over %u genres; its single most likely "
		           "genre is right for <b>%.1f%%</b> of films (P@1).</p>\n",
		        t->n, t->micro_f1, t->micro_precision, t->micro_recall, t->macro_f1, t->n_labels, 100 * t->p_at_1);
	else
		fputs("<p class=\"lead\">The model was not evaluated on a test split.</p>\n", f);
	fputs("<div class=\"cards\">\n", f);
	card(f, "micro-F1", "F1 over all (film, genre) decisions pooled: dominated by frequent genres", v,
	     v ? v->micro_f1 : 0, t, t ? t->micro_f1 : 0);
	card(f, "macro-F1", "mean of the per-genre F1: every genre counts the same", v, v ? v->macro_f1 : 0, t,
	     t ? t->macro_f1 : 0);
	card(f, "P@1", "share of films whose highest-scoring genre is one of their genres", v, v ? v->p_at_1 : 0, t,
	     t ? t->p_at_1 : 0);
	fputs("</div>\n", f);
	write_glance(f, in);
	fputs("<table><tr><th>split</th><th>films</th><th>micro-F1</th><th>macro-F1</th><th>P@1</th>"
	      "<th>micro precision</th><th>micro recall</th></tr>\n", f);
	const tg_metrics *ms[2] = { v, t };
	const char *names[2] = { "validation", "test" };
	for (int i = 0; i < 2; i++) {
		const tg_metrics *m = ms[i];
		fprintf(f, "<tr><td>%s</td>", names[i]);
		if (m)
			fprintf(f, "<td>%zu</td>", m->n);
		else
			fputs("<td class=\"muted\">\xE2\x80\x94</td>", f);
		metric_cell(f, m, m ? m->micro_f1 : 0);
		metric_cell(f, m, m ? m->macro_f1 : 0);
		metric_cell(f, m, m ? m->p_at_1 : 0);
		metric_cell(f, m, m ? m->micro_precision : 0);
		metric_cell(f, m, m ? m->micro_recall : 0);
		fputs("</tr>\n", f);
	}
	fputs("</table></section>\n", f);
}

/* ---- the data ---- */

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

static void write_data(FILE *f, const tg_report_input *in)
{
	const tg_profile *p = in->profile;
	if (!p)
		return;
	fputs("<section id=\"data\"><h2>The data</h2>\n<p class=\"lead\">What the source holds before any "
	      "cleanup rule runs.</p>\n<div class=\"two\"><div>\n<table>\n", f);
	fprintf(f, "<tr><th>finding</th><th>rows</th><th>share</th></tr>\n");
	fprintf(f, "<tr><td>rows read</td><td>%zu</td><td></td></tr>\n", p->rows);
	fprintf(f, "<tr><td>malformed (skipped)</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->malformed,
	        100 * share(p->malformed, p->rows));
	fprintf(f, "<tr><td>films</td><td>%zu</td><td></td></tr>\n", p->films);
	fprintf(f, "<tr><td>duplicate ids</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->duplicate_ids,
	        100 * share(p->duplicate_ids, p->films));
	fprintf(f, "<tr><td>empty overviews</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->empty_overviews,
	        100 * share(p->empty_overviews, p->films));
	fprintf(f, "<tr><td>placeholder overviews</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->placeholder_overviews,
	        100 * share(p->placeholder_overviews, p->films));
	fprintf(f, "<tr><td>overviews with non-ASCII text</td><td>%zu</td><td>%.1f%%</td></tr>\n",
	        p->non_ascii_overviews, 100 * share(p->non_ascii_overviews, p->films));
	fprintf(f, "<tr><td>films without any genre</td><td>%zu</td><td>%.1f%%</td></tr>\n", p->genres_per_film[0],
	        100 * share(p->genres_per_film[0], p->films));
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
		snprintf(notebuf[i], sizeof notebuf[i], "%.1f%%", 100 * share((size_t)values[i], p->films));
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

static int write_genres(FILE *f, const tg_report_input *in)
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
	        p->genres_per_film[0], 100 * share(p->genres_per_film[0], p->films));
	fputs("</div></div></section>\n", f);
	return rc;
}

/* ---- cleanup funnel ---- */

static const char *rule_help(int r)
{
	switch (r) {
	case TG_RULE_EMPTY: return "the overview is empty or blank";
	case TG_RULE_NO_GENRE: return "none of the film's genres is a label";
	case TG_RULE_DUPLICATE: return "an earlier row has the same id";
	case TG_RULE_PLACEHOLDER: return "a placeholder such as \xE2\x80\x9CNo overview found.\xE2\x80\x9D";
	case TG_RULE_TOO_SHORT: return "too few tokens";
	case TG_RULE_TOO_LONG: return "overview too long";
	case TG_RULE_NON_LATIN: return "mostly non-ASCII letters";
	default: return "used for training or evaluation";
	}
}

static void write_funnel(FILE *f, const tg_report_input *in)
{
	const tg_prepared *pr = in->prepared;
	if (!pr)
		return;
	static const tg_split order[3] = { TG_SPLIT_TRAIN, TG_SPLIT_VALIDATION, TG_SPLIT_TEST };
	size_t total[3] = { 0, 0, 0 };
	for (int s = 0; s < 3; s++)
		for (int r = 0; r <= TG_RULE_COUNT; r++)
			total[s] += pr->funnel[order[s]][r];
	fputs("<section id=\"funnel\"><h2>Cleanup funnel</h2>\n<p class=\"lead\">Every film lands in exactly one row: "
	      "the first rule that removes it, or <i>kept</i>. The first three rules hold for every split (such films "
	      "cannot be evaluated); the cleanup rules below them apply to the training split only.</p>\n", f);
	fputs("<div class=\"two\"><div><table><tr><th>rule</th><th>train</th><th>validation</th><th>test</th>"
	      "<th>all</th></tr>\n", f);
	fprintf(f, "<tr><td>films</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td></tr>\n", total[0], total[1],
	        total[2], total[0] + total[1] + total[2]);
	for (int r = 0; r <= TG_RULE_COUNT; r++) {
		size_t all = 0;
		fprintf(f, "<tr%s><td title=\"%s\">%s%s</td>", r == TG_RULE_KEPT ? " class=\"total\"" : "", rule_help(r),
		        r == TG_RULE_KEPT ? "" : "\xE2\x88\x92 ", tg_rule_name((tg_rule)r));
		for (int s = 0; s < 3; s++) {
			size_t v = pr->funnel[order[s]][r];
			all += v;
			fprintf(f, "<td>%zu</td>", v);
		}
		fprintf(f, "<td>%zu</td></tr>\n", all);
	}
	fputs("</table><p class=\"muted\">Hover a rule for what it checks.</p></div><div>\n", f);
	const char *labels[TG_RULE_COUNT];
	double v[3][TG_RULE_COUNT];
	for (int r = 0; r < TG_RULE_COUNT; r++) {
		labels[r] = tg_rule_name((tg_rule)r);
		for (int s = 0; s < 3; s++)
			v[s][r] = (double)pr->funnel[order[s]][r];
	}
	tg_svg_series series[3] = { { "train", C_BLUE, v[0] }, { "validation", C_ORANGE, v[1] },
		                    { "test", C_GREEN, v[2] } };
	tg_svg_hbars c = { .title = "Films removed by each rule, per split", .labels = labels, .n = TG_RULE_COUNT,
		           .series = series, .n_series = 3, .fmt = TG_FMT_INT, .width = 520 };
	fputs("<h3>Films removed by each rule</h3>\n", f);
	tg_svg_write_hbars(f, &c);
	fputs("</div></div></section>\n", f);
}

/* ---- per-genre quality ---- */

static void write_per_genre(FILE *f, const tg_report_input *in)
{
	const tg_metrics *t = in->test;
	if (!t || t->n_labels == 0)
		return;
	uint32_t n = t->n_labels;
	char names[TG_MODEL_MAX_LABELS][24], notes[TG_MODEL_MAX_LABELS][24];
	const char *labels[TG_MODEL_MAX_LABELS], *nt[TG_MODEL_MAX_LABELS];
	double pv[TG_MODEL_MAX_LABELS], rv[TG_MODEL_MAX_LABELS], fv[TG_MODEL_MAX_LABELS];
	for (uint32_t k = 0; k < n; k++) {
		labels[k] = label_name(in, k, names[k], sizeof names[k]);
		snprintf(notes[k], sizeof notes[k], "%zu films", t->label[k].support);
		nt[k] = notes[k];
		pv[k] = t->label[k].precision;
		rv[k] = t->label[k].recall;
		fv[k] = t->label[k].f1;
	}
	fputs("<section id=\"per-genre\"><h2>Quality per genre (test split)</h2>\n<p class=\"lead\">Precision: of the "
	      "films tagged with the genre, the share that have it. Recall: of the films that have it, the share "
	      "tagged. F1 combines both. The right column is how many test films have the genre; rare genres give "
	      "noisy numbers.</p>\n", f);
	tg_svg_series s[3] = { { "precision", C_BLUE, pv }, { "recall", C_ORANGE, rv }, { "F1", C_GREEN, fv } };
	tg_svg_hbars c = { .title = "Precision, recall and F1 per genre on the test split", .labels = labels, .n = n,
		           .series = s, .n_series = 3, .notes = nt, .max = 1.0, .fmt = TG_FMT_FIXED3, .width = 1000 };
	tg_svg_write_hbars(f, &c);
	fputs("</section>\n", f);
}

/* ---- ablation ---- */

static int write_ablation(FILE *f, const tg_report_input *in)
{
	fputs("<section id=\"ablation\"><h2>Do the cleanup rules help?</h2>\n", f);
	if (in->n_ablation == 0) {
		fputs("<p class=\"muted\">No ablation was run.</p></section>\n", f);
		return 0;
	}
	fputs("<p class=\"lead\">Validation micro-F1 of a model trained with every cleanup rule on, and of one "
	      "trained with just this rule switched off. Green: the rule helps; red: the model does better "
	      "without it.</p>\n<div class=\"two\"><div><table><tr><th>rule</th><th>films removed</th>"
	      "<th>F1 with</th><th>F1 without</th><th>difference</th></tr>\n", f);
	size_t n = in->n_ablation;
	const char **labels = malloc(n * sizeof *labels);
	const char **notes = malloc(n * sizeof *notes);
	char (*notebuf)[32] = malloc(n * sizeof *notebuf);
	double *delta = malloc(n * sizeof *delta);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const tg_ablation_entry *e = &in->ablation[i];
		double d = e->f1_with - e->f1_without;
		fputs("<tr><td>", f);
		tg_html_escape(f, e->rule ? e->rule : "?");
		fprintf(f, "</td><td>%zu</td><td>%.4f</td><td>%.4f</td><td class=\"%s\">%+.4f</td></tr>\n", e->removed,
		        e->f1_with, e->f1_without, d > 0 ? "pos" : d < 0 ? "neg" : "", d);
	}
	fputs("</table></div><div>\n", f);
	if (!labels || !notes || !notebuf || !delta) {
		rc = -1;
	} else {
		for (size_t i = 0; i < n; i++) {
			const tg_ablation_entry *e = &in->ablation[i];
			labels[i] = e->rule ? e->rule : "?";
			delta[i] = e->f1_with - e->f1_without;
			snprintf(notebuf[i], sizeof notebuf[i], "%zu removed", e->removed);
			notes[i] = notebuf[i];
		}
		tg_svg_write_diverging(f, "Validation micro-F1 gained by each cleanup rule", labels, delta, notes, n,
		                       TG_FMT_SIGNED4, 520);
	}
	free(labels);
	free(notes);
	free(notebuf);
	free(delta);
	fputs("</div></div></section>\n", f);
	return rc;
}

static int write_page(FILE *f, const tg_report_input *in)
{
	int rc = 0;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>tg report: ", f);
	tg_html_escape(f, in->model_name && *in->model_name ? in->model_name : "genre model");
	fprintf(f, "</title>\n<style>%s</style>\n</head><body><main>\n", css);
	write_header(f, in);
	write_headline(f, in);
	write_data(f, in);
	rc |= write_genres(f, in);
	write_funnel(f, in);
	write_per_genre(f, in);
	rc |= write_ablation(f, in);
	fputs("<footer>Written by tg-train. Micro-F1 pools every (film, genre) decision; macro-F1 is the mean of "
	      "the per-genre F1; P@1 is the share of films whose top-scoring genre is right. Validation films tune "
	      "the thresholds; test films are used for nothing but these numbers.</footer>\n"
	      "</main></body></html>\n", f);
	return rc;
}

/*
** Creates the temporary file next to path that the report is written to (renamed over
** path at the end): *tmp gets its malloc'd name.  Returns its descriptor, or -1 with err.
*/
static int open_temp(const char *path, char **tmp_out, char *err, size_t errlen)
{
	struct stat st;
	if (!path || !*path) {
		snprintf(err, errlen, "no report path given");
		return -1;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot write report %s: it is a directory", path);
		return -1;
	}
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	if (!tmp) {
		snprintf(err, errlen, "out of memory writing report %s", path);
		return -1;
	}
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmp.XXXXXX", 12);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write report %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	*tmp_out = tmp;
	return fd;
}

int tg_report_check_path(const char *path, char *err, size_t errlen)
{
	char *tmp = NULL;
	int fd = open_temp(path, &tmp, err, errlen);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(tmp);
	free(tmp);
	return 0;
}

int tg_report_write_html(const char *path, const tg_report_input *in, char *err, size_t errlen)
{
	char *tmp = NULL;
	int fd = open_temp(path, &tmp, err, errlen);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write report %s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	errno = 0;
	int rc = write_page(f, in);
	int werr = 0;
	if (fflush(f) != 0 || ferror(f))
		werr = errno ? errno : EIO;
	else if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		werr = errno;
	if (fclose(f) != 0 && !werr)
		werr = errno ? errno : EIO;
	if (rc != 0 && !werr)
		werr = ENOMEM;
	if (!werr && rename(tmp, path) != 0)
		werr = errno;
	if (werr) {
		snprintf(err, errlen, "cannot write report %s: %s", path, strerror(werr));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
