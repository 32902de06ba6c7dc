/*
** tg_predict, tg_tags and tg_scores: one call per row, so nothing here allocates
** except the result, and the text is scored in place from the value's bytes.
*/
#include <math.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "sql_functions.h"
#include "sql_call.h"
#include "ranking.h"

/*
** Common start of the three: the name, the text and the model.  Returns the model,
** or NULL when the function is done (NULL text, no tokens, or an error set).
*/
static tg_loaded *begin(sqlite3_context *c, int argc, sqlite3_value **argv, const char *fn,
                        tg_call *call, const void **text, size_t *len)
{
	int name_len;
	const char *name = tg_call_name(c, argc, argv, 1, fn, &name_len);
	if (!name)
		return NULL;
	int rc = tg_arg_text(argv[0], text, len);
	if (rc <= 0) {
		if (rc < 0)
			sqlite3_result_error_nomem(c);
		return NULL;
	}
	return tg_call_model(c, name, name_len, call);
}

void tg_predict_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	tg_call call;
	const void *text;
	size_t len;
	tg_loaded *m = begin(c, argc, argv, "tg_predict", &call, &text, &len);
	if (!m)
		return;
	tg_sums sums;
	tg_model_accumulate(m->model, text, len, &sums);
	if (sums.n_tokens > 0) {
		float z[TG_MODEL_MAX_LABELS];
		tg_model_logits(m->model, &sums, z);
		sqlite3_result_text(c, m->model->labels[tg_model_top(m->model, z)], -1, SQLITE_TRANSIENT);
	}
	tg_call_end(&call);
}

void tg_tags_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	tg_call call;
	const void *text;
	size_t len;
	tg_loaded *m = begin(c, argc, argv, "tg_tags", &call, &text, &len);
	if (!m)
		return;
	tg_ranking r;
	if (tg_rank_text(m->model, text, len, &r)) {
		size_t bytes = 2;
		for (uint32_t i = 0; i < r.n; i++)
			if (tg_ranking_tagged(m->model, &r, r.order[i]))
				bytes += m->label_json_len[r.order[i]] + 1;
		char *out = sqlite3_malloc64(bytes + 1);
		if (!out) {
			sqlite3_result_error_nomem(c);
		} else {
			size_t at = 0;
			out[at++] = '[';
			for (uint32_t i = 0; i < r.n; i++) {
				uint32_t k = r.order[i];
				if (!tg_ranking_tagged(m->model, &r, k))
					continue;
				if (at > 1)
					out[at++] = ',';
				memcpy(out + at, m->label_json[k], m->label_json_len[k]);
				at += m->label_json_len[k];
			}
			out[at++] = ']';
			out[at] = 0;
			tg_result_json(c, out, at);
		}
	}
	tg_call_end(&call);
}

/* A probability with 4 decimals ("0.9269"), or null; returns its length. */
static size_t format_probability(char *buf, size_t size, double p)
{
	if (isfinite(p))
		sqlite3_snprintf((int)size, buf, "%.4f", p);
	else
		sqlite3_snprintf((int)size, buf, "null");
	return strlen(buf);
}

void tg_scores_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	tg_call call;
	const void *text;
	size_t len;
	tg_loaded *m = begin(c, argc, argv, "tg_scores", &call, &text, &len);
	if (!m)
		return;
	tg_ranking r;
	if (tg_rank_text(m->model, text, len, &r)) {
		char num[TG_MODEL_MAX_LABELS][16];
		size_t num_len[TG_MODEL_MAX_LABELS];
		size_t bytes = 2;
		for (uint32_t i = 0; i < r.n; i++) {
			uint32_t k = r.order[i];
			num_len[i] = format_probability(num[i], sizeof num[i], tg_sigmoid(r.z[k]));
			bytes += m->label_json_len[k] + 1 + num_len[i] + 1;
		}
		char *out = sqlite3_malloc64(bytes + 1);
		if (!out) {
			sqlite3_result_error_nomem(c);
		} else {
			size_t at = 0;
			out[at++] = '{';
			for (uint32_t i = 0; i < r.n; i++) {
				uint32_t k = r.order[i];
				if (i > 0)
					out[at++] = ',';
				memcpy(out + at, m->label_json[k], m->label_json_len[k]);
				at += m->label_json_len[k];
				out[at++] = ':';
				memcpy(out + at, num[i], num_len[i]);
				at += num_len[i];
			}
			out[at++] = '}';
			out[at] = 0;
			tg_result_json(c, out, at);
		}
	}
	tg_call_end(&call);
}
