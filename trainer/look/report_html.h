/*
** tg-train --report FILE.html: one self-contained page (inline CSS and SVG, no script,
** no network, no external file) with the data profile, the cleanup funnel and the
** model's quality.  Every string that comes from the data or the command line is
** HTML-escaped.  The page is written to a temporary file next to FILE and renamed
** over it, so a failure never leaves half a page behind.
*/
#ifndef TG_REPORT_HTML_H
#define TG_REPORT_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "prepare.h"
#include "profile.h"

/* Validation micro-F1 with every cleanup rule on (f1_with) and with this one off. */
typedef struct tg_ablation_entry {
	const char *rule;
	size_t removed;          /* training films the rule removes */
	double f1_with, f1_without;
} tg_ablation_entry;

typedef struct tg_report_input {
	const char *source;              /* CSV path or "query" */
	const char *model_name;
	int64_t model_id;                /* <= 0: not stored */
	const char *data_sha256;
	const char *created_at;
	const tg_profile *profile;       /* NULL: no data section */
	const tg_prepared *prepared;     /* labels, funnel; NULL: no funnel section */
	const tg_metrics *validation, *test;   /* NULL: shown as not measured */
	const tg_ablation_entry *ablation;
	size_t n_ablation;               /* may be 0 */
	size_t blob_bytes;
	double train_seconds;
} tg_report_input;

/* Returns 0, or -1 with a one-line message in err (unwritable path, a directory, a
** write error, out of memory); then nothing is left at path or next to it. */
int tg_report_write_html(const char *path, const tg_report_input *in, char *err, size_t errlen);

/* Whether the report could be written at path (a temporary file can be created next to
** it, and path is no directory), so tg-train fails before training, not after storing.
** Returns 0, or -1 with a message; leaves nothing behind. */
int tg_report_check_path(const char *path, char *err, size_t errlen);

#endif
