/* tg-train list's table of models; see model_table.h. */
#include "model_table.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

#define LIST_COLS 8

/* Display width of UTF-8 text (code points; no East Asian width). */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

static char *metric_cell(sqlite3_stmt *st, int col)
{
	char buf[32];
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		snprintf(buf, sizeof buf, "-");
	else
		snprintf(buf, sizeof buf, "%.4f", sqlite3_column_double(st, col));
	return strdup(buf);
}

int tg_reg_list(sqlite3 *db, const char *name, FILE *out, char *err, size_t errlen)
{
	static const char what[] = "listing models";
	static const char *const head[LIST_COLS] = {
		"ID", "NAME", "CREATED_AT", "DEPLOYED", "MICRO_F1", "MACRO_F1", "P@1", "BYTES",
	};
	static const int right[LIST_COLS] = { 1, 0, 0, 0, 1, 1, 1, 1 };
	sqlite3_stmt *st;
	int code = tg_q_prepare(db, &st, err, errlen, what,
	                     "SELECT id, name, created_at, deployed, "
	                     TG_METRIC("$.test.micro_f1") ", " TG_METRIC("$.test.macro_f1") ", "
	                     TG_METRIC("$.test.p_at_1") ", length(model)"
	                     " FROM tg_models WHERE ?1 IS NULL OR name = ?1 ORDER BY name, id",
	                     "t", name);
	if (code)
		return code;

	char **cells = NULL; /* rows * LIST_COLS, row 0 is the header */
	size_t rows = 0, cap = 0;
	int rc = SQLITE_OK;
	for (;;) {
		char **grown = tg_grow(cells, &cap, rows + 1, LIST_COLS * sizeof *cells, 16);
		if (!grown) {
			rc = SQLITE_NOMEM;
			break;
		}
		cells = grown;
		char **c = cells + rows * LIST_COLS;
		if (rows == 0) {
			for (int i = 0; i < LIST_COLS; i++)
				c[i] = strdup(head[i]);
		} else {
			char buf[32];
			snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, 0));
			c[0] = strdup(buf);
			const char *s = (const char *)sqlite3_column_text(st, 1);
			c[1] = strdup(s ? s : "");
			for (char *q = c[1]; q && *q; q++) /* keep the table one line per model */
				if ((unsigned char)*q < 0x20 || *q == 0x7f)
					*q = '?';
			s = (const char *)sqlite3_column_text(st, 2);
			c[2] = strdup(s ? s : "");
			c[3] = strdup(sqlite3_column_int(st, 3) ? "yes" : "no");
			for (int i = 4; i < 7; i++)
				c[i] = metric_cell(st, i);
			snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, 7));
			c[7] = strdup(buf);
		}
		rows++;
		int oom = 0;
		for (int i = 0; i < LIST_COLS; i++)
			oom |= c[i] == NULL;
		if (oom) {
			rc = SQLITE_NOMEM;
			break;
		}
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
	}
	if (rc == SQLITE_NOMEM)
		code = tg_reg_errf(err, errlen, TG_REG_ERROR, "out of memory: %s", what);
	else if (rc != SQLITE_DONE)
		code = tg_reg_sqlerr(db, rc, err, errlen, "%s", what);
	sqlite3_finalize(st);

	if (!code) {
		size_t width[LIST_COLS] = { 0 };
		for (size_t r = 0; r < rows; r++)
			for (int i = 0; i < LIST_COLS; i++) {
				size_t w = text_width(cells[r * LIST_COLS + i]);
				if (w > width[i])
					width[i] = w;
			}
		for (size_t r = 0; r < rows; r++) {
			for (int i = 0; i < LIST_COLS; i++) {
				const char *s = cells[r * LIST_COLS + i];
				int pad = (int)(width[i] - text_width(s));
				if (i > 0)
					fputs("  ", out);
				if (right[i])
					fprintf(out, "%*s%s", pad, "", s);
				else if (i == LIST_COLS - 1)
					fputs(s, out);
				else
					fprintf(out, "%s%*s", s, pad, "");
			}
			fputc('\n', out);
		}
		if (fflush(out) != 0 || ferror(out))
			code = tg_reg_errf(err, errlen, TG_REG_ERROR, "write error: %s", what);
	}
	for (size_t r = 0; r < rows; r++)
		for (int i = 0; i < LIST_COLS; i++)
			free(cells[r * LIST_COLS + i]);
	free(cells);
	return code;
}
