/*
** Small inline-SVG charts for the HTML report, written straight to a FILE.  Every
** string is HTML-escaped here, so callers pass raw data (genre names, language codes)
** as they are.  The charts size themselves with a viewBox and scale to their box;
** their look (fonts, colours of text and grid) comes from the page's CSS classes
** "chart", "axis", "grid", "val", "lbl".
*/
#ifndef TG_SVG_CHART_H
#define TG_SVG_CHART_H

#include <stddef.h>
#include <stdio.h>

/* Writes s with & < > " ' escaped and control bytes (and DEL) as U+FFFD: safe in text
** and in quoted attributes.  NULL writes nothing. */
void tg_html_escape(FILE *f, const char *s);
/* The same, keeping at most max_cp code points ("…" replaces the rest). */
void tg_html_escape_cut(FILE *f, const char *s, size_t max_cp);

typedef enum {
	TG_FMT_INT,        /* 1234 */
	TG_FMT_FIXED3,     /* 0.612 */
	TG_FMT_SIGNED4,    /* +0.0123 */
	TG_FMT_PCT1        /* 61.2% (value is a fraction) */
} tg_value_format;

/* Formats v as fmt says into buf. */
void tg_format_value(char *buf, size_t len, double v, tg_value_format fmt);

typedef struct tg_svg_series {
	const char *name;         /* for the legend */
	const char *color;        /* CSS colour, e.g. "#4e79a7" (not data: not escaped) */
	const double *values;     /* one per row */
} tg_svg_series;

typedef struct tg_svg_hbars {
	const char *title;               /* accessible name of the chart */
	const char *const *labels;       /* one per row */
	size_t n;                        /* rows */
	const tg_svg_series *series;
	size_t n_series;                 /* bars per row, drawn one under the other */
	const char *const *row_colors;   /* optional, single series only: colour per row */
	const char *const *notes;        /* optional text right of each row (e.g. "n=123") */
	double max;                      /* axis end; 0: from the data */
	tg_value_format fmt;
	int width;                       /* px; 0: 720 */
} tg_svg_hbars;

/* Horizontal bars, one row per label, n_series bars per row, values >= 0. */
void tg_svg_write_hbars(FILE *f, const tg_svg_hbars *c);

typedef struct tg_svg_columns {
	const char *title;
	const char *const *labels;       /* n labels under the columns, or n+1 at their edges */
	int edge_labels;                 /* 1: labels[i] at the left edge of column i; labels[n] may be NULL */
	const char *const *tips;         /* optional tooltip per column */
	const double *values;
	size_t n;
	const char *color;
	const char *x_title;             /* optional text under the axis */
	int width, height;               /* px; 0: 520 x 220 */
} tg_svg_columns;

/* Vertical columns (a histogram with edge labels, or categories), values >= 0. */
void tg_svg_write_columns(FILE *f, const tg_svg_columns *c);

/* Bars left (negative, red) or right (positive, green) of a zero line; fmt formats the
** value next to each bar.  notes as in tg_svg_hbars. */
void tg_svg_write_diverging(FILE *f, const char *title, const char *const *labels,
                            const double *values, const char *const *notes, size_t n,
                            tg_value_format fmt, int width);

#endif
