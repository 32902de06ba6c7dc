/*
** The HTML report's sections, each a file of its own: the data (report_data.c), the
** cleanup and the model's quality (report_quality.c); report_html.c writes the page
** around them.  Private to look/.
*/
#ifndef TG_REPORT_PARTS_H
#define TG_REPORT_PARTS_H

#include <stdio.h>

#include "report_html.h"
#include "svg_chart.h"

#define C_BLUE "#4e79a7"
#define C_ORANGE "#f28e2b"
#define C_GREEN "#59a14f"
#define C_TEAL "#76b7b2"
#define C_GREY "#bab0ac"
#define C_PURPLE "#b07aa1"

#define MAX_GENRE_BARS 40

double tg_report_share(size_t part, size_t whole);
/* Label k's name, or "label k" in buf. */
const char *tg_report_label_name(const tg_report_input *in, uint32_t k, char *buf, size_t len);
/* A table cell with v, or a dash when the split was not measured (m NULL). */
void tg_report_metric_cell(FILE *f, const tg_metrics *m, double v);

/* The sections; those returning int give -1 when out of memory. */
void tg_report_data(FILE *f, const tg_report_input *in);
int tg_report_genres(FILE *f, const tg_report_input *in);
void tg_report_funnel(FILE *f, const tg_report_input *in);
void tg_report_per_genre(FILE *f, const tg_report_input *in);
int tg_report_ablation(FILE *f, const tg_report_input *in);

#endif
