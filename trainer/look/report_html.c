/* The HTML report: see report_html.h.  Charts come from svg_chart.c. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "report_parts.h"

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

double tg_report_share(size_t part, size_t whole)
{
	return whole ? (double)part / (double)whole : 0.0;
}

const char *tg_report_label_name(const tg_report_input *in, uint32_t k, char *buf, size_t len)
{
	if (in->prepared && k < in->prepared->n_labels && in->prepared->labels[k])
		return in->prepared->labels[k];
	snprintf(buf, len, "label %u", k);
	return buf;
}

void tg_report_metric_cell(FILE *f, const tg_metrics *m, double v)
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
		fprintf(f, "<li><b>Cleanup:</b> %zu of %zu training films kept (%.1f%%)", kept, total, 100 * tg_report_share(kept, total));
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
			tg_html_escape(f, tg_report_label_name(in, r[i].k, buf, sizeof buf));
			fprintf(f, " %.2f", r[i].f1);
		}
		if (worst)
			fputs("; <b>weakest:</b> ", f);
		for (uint32_t i = 0; i < worst; i++) {
			uint32_t j = t->n_labels - 1 - i;
			fputs(i ? ", " : "", f);
			tg_html_escape(f, tg_report_label_name(in, r[j].k, buf, sizeof buf));
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
	if (!t) {
		fputs("<p class=\"lead\">The model was not evaluated on a test split.</p>\n", f);
	} else {
		fprintf(f, "<p class=\"lead\">On %zu held-out test films the model's genre tags reach micro-F1 <b>%.3f</b> "
		           "(precision %.3f, recall %.3f) and macro-F1 <b>%.3f</b> over %u genres; its single most likely "
		           "genre is right for <b>%.1f%%</b> of films (P@1).</p>\n",
		        t->n, t->micro_f1, t->micro_precision, t->micro_recall, t->macro_f1, t->n_labels, 100 * t->p_at_1);
		/* How closely a test split of a few hundred films can measure. */
		if (t->n)
			fprintf(f, "<p>On 95%% of %d resamples of those %zu films (the bootstrap), micro-F1 lies between "
			           "%.3f and %.3f and P@1 between %.1f%% and %.1f%%.</p>\n",
			        TG_METRICS_RESAMPLES, t->n, t->micro_f1_95.lo, t->micro_f1_95.hi, 100 * t->p_at_1_95.lo,
			        100 * t->p_at_1_95.hi);
	}
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
		tg_report_metric_cell(f, m, m ? m->micro_f1 : 0);
		tg_report_metric_cell(f, m, m ? m->macro_f1 : 0);
		tg_report_metric_cell(f, m, m ? m->p_at_1 : 0);
		tg_report_metric_cell(f, m, m ? m->micro_precision : 0);
		tg_report_metric_cell(f, m, m ? m->micro_recall : 0);
		fputs("</tr>\n", f);
	}
	fputs("</table></section>\n", f);
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
	tg_report_data(f, in);
	rc |= tg_report_genres(f, in);
	tg_report_funnel(f, in);
	tg_report_per_genre(f, in);
	rc |= tg_report_ablation(f, in);
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
		tg_errf(err, errlen, "no report path given");
		return -1;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		tg_errf(err, errlen, "cannot write report %s: it is a directory", path);
		return -1;
	}
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	if (!tmp) {
		tg_errf(err, errlen, "out of memory writing report %s", path);
		return -1;
	}
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmp.XXXXXX", 12);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		tg_errf(err, errlen, "cannot write report %s: %s", path, strerror(errno));
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
		tg_errf(err, errlen, "cannot write report %s: %s", path, strerror(errno));
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
		tg_errf(err, errlen, "cannot write report %s: %s", path, strerror(werr));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
