/* The report's cleanup funnel, per-genre quality and ablation sections. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_parts.h"

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

void tg_report_funnel(FILE *f, const tg_report_input *in)
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

void tg_report_per_genre(FILE *f, const tg_report_input *in)
{
	const tg_metrics *t = in->test;
	if (!t || t->n_labels == 0)
		return;
	uint32_t n = t->n_labels;
	char names[TG_MODEL_MAX_LABELS][24], notes[TG_MODEL_MAX_LABELS][24];
	const char *labels[TG_MODEL_MAX_LABELS], *nt[TG_MODEL_MAX_LABELS];
	double pv[TG_MODEL_MAX_LABELS], rv[TG_MODEL_MAX_LABELS], fv[TG_MODEL_MAX_LABELS];
	for (uint32_t k = 0; k < n; k++) {
		labels[k] = tg_report_label_name(in, k, names[k], sizeof names[k]);
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

int tg_report_ablation(FILE *f, const tg_report_input *in)
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
