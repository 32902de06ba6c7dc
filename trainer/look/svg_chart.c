/* Inline SVG charts: see svg_chart.h. */
#include <math.h>
#include <string.h>

#include "svg_chart.h"

#define LABEL_MAX_CP 28      /* row labels longer than this are cut (the full name is the tooltip) */
#define CHAR_PX 7            /* rough width of one character at the chart's 12px font */

static void put_escaped_byte(FILE *f, unsigned char c)
{
	switch (c) {
	case '&': fputs("&amp;", f); break;
	case '<': fputs("&lt;", f); break;
	case '>': fputs("&gt;", f); break;
	case '"': fputs("&quot;", f); break;
	case '\'': fputs("&#39;", f); break;
	default:
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			fputs("\xEF\xBF\xBD", f);
		else
			fputc(c, f);
	}
}

static size_t code_points(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void tg_html_escape(FILE *f, const char *s)
{
	for (; s && *s; s++)
		put_escaped_byte(f, (unsigned char)*s);
}

void tg_html_escape_cut(FILE *f, const char *s, size_t max_cp)
{
	if (!s)
		return;
	size_t total = code_points(s);
	if (total <= max_cp || max_cp == 0) {
		tg_html_escape(f, s);
		return;
	}
	size_t shown = 0;
	for (; *s; s++) {
		int lead = ((unsigned char)*s & 0xC0) != 0x80;
		if (lead && shown == max_cp - 1)
			break;
		shown += lead;
		put_escaped_byte(f, (unsigned char)*s);
	}
	fputs("\xE2\x80\xA6", f);
}

void tg_format_value(char *buf, size_t len, double v, tg_value_format fmt)
{
	switch (fmt) {
	case TG_FMT_INT: snprintf(buf, len, "%.0f", v); break;
	case TG_FMT_FIXED3: snprintf(buf, len, "%.3f", v); break;
	case TG_FMT_SIGNED4: snprintf(buf, len, "%+.4f", v); break;
	case TG_FMT_PCT1: snprintf(buf, len, "%.1f%%", 100.0 * v); break;
	}
}

/* 1, 2 or 5 times a power of ten, at least x (x > 0). */
static double nice_step(double x)
{
	double p = pow(10.0, floor(log10(x)));
	double m = x / p;
	return (m <= 1.0 ? 1.0 : m <= 2.0 ? 2.0 : m <= 5.0 ? 5.0 : 10.0) * p;
}

static size_t label_width(const char *const *labels, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		size_t cp = code_points(labels[i]);
		if (cp > LABEL_MAX_CP)
			cp = LABEL_MAX_CP;
		if (cp > w)
			w = cp;
	}
	return w;
}

static void open_svg(FILE *f, const char *title, int w, int h)
{
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"", w, h, w, h);
	tg_html_escape(f, title);
	fputs("\"><title>", f);
	tg_html_escape(f, title);
	fputs("</title>\n", f);
}

static void row_label(FILE *f, double x, double y, const char *label)
{
	fprintf(f, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", x, y);
	tg_html_escape_cut(f, label, LABEL_MAX_CP);
	if (code_points(label) > LABEL_MAX_CP) {
		fputs("<title>", f);
		tg_html_escape(f, label);
		fputs("</title>", f);
	}
	fputs("</text>\n", f);
}

static void note_text(FILE *f, double x, double y, const char *note)
{
	fprintf(f, "<text class=\"note\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", x, y);
	tg_html_escape(f, note);
	fputs("</text>\n", f);
}

void tg_svg_write_hbars(FILE *f, const tg_svg_hbars *c)
{
	int W = c->width > 0 ? c->width : 720;
	size_t ns = c->n_series ? c->n_series : 1;
	double label_w = (double)label_width(c->labels, c->n) * CHAR_PX + 14;
	double note_w = c->notes ? (double)label_width(c->notes, c->n) * CHAR_PX + 12 : 0;
	double value_w = 58;
	double x0 = label_w, plot_w = W - label_w - value_w - note_w;
	if (plot_w < 80)
		plot_w = 80;
	double legend_h = ns > 1 ? 24 : 0;
	double bar_h = ns == 1 ? 16 : 10, row_h = (double)ns * bar_h + 8;
	double top = legend_h + 4;
	int H = (int)ceil(top + (double)c->n * row_h + 24);

	double data_max = 0;
	for (size_t s = 0; s < c->n_series; s++)
		for (size_t i = 0; i < c->n; i++)
			if (c->series[s].values[i] > data_max)
				data_max = c->series[s].values[i];
	double step, axis_max;
	if (c->max > 0) {
		axis_max = c->max;
		step = nice_step(axis_max / 5);
	} else {
		step = nice_step(data_max > 0 ? data_max / 5 : 1);
		axis_max = data_max > 0 ? ceil(data_max / step) * step : step;
	}

	open_svg(f, c->title, W, H);
	if (ns > 1) {
		double lx = x0;
		for (size_t s = 0; s < c->n_series; s++) {
			fprintf(f, "<rect x=\"%.1f\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx, c->series[s].color);
			fprintf(f, "<text class=\"lbl\" x=\"%.1f\" y=\"16\">", lx + 16);
			tg_html_escape(f, c->series[s].name);
			fputs("</text>\n", f);
			lx += 16 + (double)code_points(c->series[s].name) * CHAR_PX + 18;
		}
	}
	double plot_bottom = top + (double)c->n * row_h;
	for (int t = 0; t * step <= axis_max * (1 + 1e-9); t++) {
		double v = t * step, x = x0 + plot_w * v / axis_max;
		char buf[32];
		tg_format_value(buf, sizeof buf, v, c->fmt == TG_FMT_SIGNED4 ? TG_FMT_FIXED3 : c->fmt);
		if (c->fmt == TG_FMT_FIXED3)
			snprintf(buf, sizeof buf, "%g", v);
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, top - 2, x, plot_bottom);
		fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x, plot_bottom + 15, buf);
	}
	for (size_t i = 0; i < c->n; i++) {
		double ry = top + (double)i * row_h + 4;
		row_label(f, x0 - 8, ry + (double)ns * bar_h / 2 + 4, c->labels[i]);
		for (size_t s = 0; s < c->n_series; s++) {
			double v = c->series[s].values[i];
			double bw = v > 0 ? plot_w * (v > axis_max ? axis_max : v) / axis_max : 0;
			double by = ry + (double)s * bar_h;
			const char *color = ns == 1 && c->row_colors ? c->row_colors[i] : c->series[s].color;
			char buf[32];
			tg_format_value(buf, sizeof buf, v, c->fmt);
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>", x0, by, bw,
			        bar_h - 1, color);
			tg_html_escape(f, c->labels[i]);
			if (c->n_series > 1) {
				fputs(" \xE2\x80\x94 ", f);
				tg_html_escape(f, c->series[s].name);
			}
			fprintf(f, ": %s</title></rect>", buf);
			fprintf(f, "<text class=\"val\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", x0 + bw + 4, by + bar_h - 2.5 - (ns == 1 ? 2 : 0), buf);
		}
		if (c->notes)
			note_text(f, W - 4, ry + (double)ns * bar_h / 2 + 4, c->notes[i]);
	}
	fputs("</svg>\n", f);
}

void tg_svg_write_columns(FILE *f, const tg_svg_columns *c)
{
	int W = c->width > 0 ? c->width : 520, H = c->height > 0 ? c->height : 220;
	double left = 14, right = 14, top = 18, bottom = c->x_title ? 40 : 24;
	double plot_w = W - left - right, plot_h = H - top - bottom;
	double col_w = c->n ? plot_w / (double)c->n : plot_w;
	double max = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->values[i] > max)
			max = c->values[i];
	if (max <= 0)
		max = 1;
	double base = top + plot_h;

	open_svg(f, c->title, W, H);
	for (size_t i = 0; i < c->n; i++) {
		double v = c->values[i] > 0 ? c->values[i] : 0;
		double h = plot_h * v / max, x = left + (double)i * col_w;
		char buf[32];
		tg_format_value(buf, sizeof buf, c->values[i], TG_FMT_INT);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>", x + 1, base - h,
		        col_w - 2 > 1 ? col_w - 2 : 1, h, c->color);
		tg_html_escape(f, c->tips ? c->tips[i] : c->labels[i]);
		fprintf(f, ": %s</title></rect>", buf);
		fprintf(f, "<text class=\"val\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x + col_w / 2,
		        base - h - 4, buf);
	}
	fprintf(f, "<line class=\"base\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", left, base, left + plot_w, base);
	size_t nl = c->edge_labels ? c->n + 1 : c->n;
	for (size_t i = 0; i < nl; i++) {
		if (!c->labels[i])
			continue;
		double x = c->edge_labels ? left + (double)i * col_w : left + ((double)i + 0.5) * col_w;
		if (c->edge_labels)
			fprintf(f, "<line class=\"tick\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, base, x, base + 4);
		fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, base + 16);
		tg_html_escape_cut(f, c->labels[i], 12);
		fputs("</text>\n", f);
	}
	if (c->x_title) {
		fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", left + plot_w / 2, H - 6);
		tg_html_escape(f, c->x_title);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}

void tg_svg_write_diverging(FILE *f, const char *title, const char *const *labels,
                            const double *values, const char *const *notes, size_t n,
                            tg_value_format fmt, int width)
{
	int W = width > 0 ? width : 720;
	double label_w = (double)label_width(labels, n) * CHAR_PX + 14;
	double note_w = notes ? (double)label_width(notes, n) * CHAR_PX + 12 : 0;
	double value_w = 60;
	double plot_w = W - label_w - note_w - 2 * value_w;
	if (plot_w < 80)
		plot_w = 80;
	double x0 = label_w + value_w, zero = x0 + plot_w / 2;
	double row_h = 24, top = 6;
	int H = (int)ceil(top + (double)n * row_h + 24);
	double a = 0;
	for (size_t i = 0; i < n; i++)
		if (fabs(values[i]) > a)
			a = fabs(values[i]);
	a = a > 0 ? nice_step(a) : 0.01;
	double plot_bottom = top + (double)n * row_h;

	open_svg(f, title, W, H);
	for (int t = -2; t <= 2; t++) {
		double v = a * t / 2, x = zero + (plot_w / 2) * t / 2;
		char buf[32];
		tg_format_value(buf, sizeof buf, v, t ? fmt : TG_FMT_INT);
		fprintf(f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", t ? "grid" : "base", x, top - 2, x,
		        plot_bottom);
		if (t % 2 == 0)   /* labels at -a, 0 and +a only: the half steps rarely round well */
			fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x,
			        plot_bottom + 15, buf);
	}
	for (size_t i = 0; i < n; i++) {
		double ry = top + (double)i * row_h + 4, bar_h = 16;
		double v = values[i], w = (plot_w / 2) * fabs(v) / a;
		row_label(f, label_w - 8, ry + bar_h / 2 + 4, labels[i]);
		char buf[32];
		tg_format_value(buf, sizeof buf, v, fmt);
		double x = v >= 0 ? zero : zero - w;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>", x, ry, w, bar_h,
		        v >= 0 ? "#59a14f" : "#e15759");
		tg_html_escape(f, labels[i]);
		fprintf(f, ": %s</title></rect>", buf);
		fprintf(f, "<text class=\"val\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n",
		        v >= 0 ? zero + w + 4 : zero - w - 4, ry + bar_h - 4, v >= 0 ? "start" : "end", buf);
		if (notes)
			note_text(f, W - 4, ry + bar_h / 2 + 4, notes[i]);
	}
	fputs("</svg>\n", f);
}
