#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "json.h"
#include "meta_json.h"

/* Note: SQLite's printf reads %z as "free this string": sizes go out as %llu. */

char *tg_params_json(const tg_learner_params *t, const tg_prepare_options *p, const tg_vectors_params *vectors,
                     const char *query)
{
	sqlite3_str *s = sqlite3_str_new(NULL);
	sqlite3_str_appendf(s, "{\"format\":%u,\"tokenizer\":%u,\"features\":\"%s\",\"min_df\":%u,"
	                       "\"max_bytes\":%llu,",
	                    TG_MODEL_FORMAT, TG_TOKENIZER_VERSION,
	                    t->features & TG_FEAT_BIGRAM ? "unigram+bigram" : "unigram", t->min_df,
	                    (unsigned long long)t->max_bytes);
	if (t->subword_min)
		sqlite3_str_appendf(s, "\"subwords\":[%u,%u],", t->subword_min, t->subword_max);
	sqlite3_str_appendf(s, "\"learner\":\"svm+nbsvm\",\"C\":%.17g,\"nb_C\":%.17g,\"nb_alpha\":%.17g,"
	                       "\"pos_weight\":%.17g,\"epochs\":%d,\"tolerance\":%.17g,\"seed\":%llu,"
	                       "\"folds\":%u,",
	                    t->C, t->nb_C, t->nb_alpha, t->pos_weight, t->epochs, t->tolerance,
	                    (unsigned long long)t->seed, t->folds);
	sqlite3_str_appendf(s, "\"min_genre_rows\":%u,\"min_tokens\":%llu,\"max_chars\":%llu,"
	                       "\"max_non_ascii\":%.17g,\"rules\":[",
	                    p->min_genre_rows, (unsigned long long)p->min_tokens,
	                    (unsigned long long)p->max_chars, p->max_non_ascii);
	int first = 1;
	for (int r = TG_FIRST_CLEANUP_RULE; r < TG_RULE_COUNT; r++)
		if (p->rule_on[r]) {
			sqlite3_str_appendf(s, "%s\"%s\"", first ? "" : ",", tg_rule_name((tg_rule)r));
			first = 0;
		}
	sqlite3_str_appendall(s, "],");
	if (p->with_title)
		sqlite3_str_appendall(s, "\"inputs\":\"title,overview\",");
	/* The vectors by their file's name (which carries their package's name and version),
	** their bytes' sha256, and the words of the training films they have. */
	if (vectors) {
		sqlite3_str_appendall(s, "\"vectors\":{\"file\":");
		tg_json_string(s, vectors->file, strlen(vectors->file));
		sqlite3_str_appendf(s, ",\"sha256\":\"%s\",\"dim\":%u,\"words\":%llu,\"matched\":%llu,"
		                       "\"weight\":%.17g,\"vector_words\":%llu},",
		                    vectors->sha256, vectors->dim, (unsigned long long)vectors->words,
		                    (unsigned long long)vectors->matched, vectors->weight,
		                    (unsigned long long)vectors->vector_words);
	}
	/* Named only when not the default, which the params of tg-train 0.2.0 imply. */
	if (t->shared_threshold)
		sqlite3_str_appendall(s, "\"thresholds\":\"shared\",");
	if (!t->cal_films_default)
		sqlite3_str_appendf(s, "\"calibration_films\":%llu,", (unsigned long long)t->cal_films);
	sqlite3_str_appendall(s, "\"source\":");
	if (query)
		tg_json_string(s, query, strlen(query));
	else
		sqlite3_str_appendall(s, "\"csv\"");
	/* Provenance: which trainer made the model (a new release retrains, as it may
	** learn differently from the same data). */
	sqlite3_str_appendall(s, ",\"trainer\":\"tg-train " TG_VERSION "\"}");
	return sqlite3_str_finish(s);
}

/* ,"key":v with digits decimals. */
static void number_field(sqlite3_str *s, const char *key, double v, int digits)
{
	sqlite3_str_appendf(s, ",\"%s\":", key);
	tg_json_number(s, v, digits);
}

/* ,"key":[lo,hi] */
static void interval_field(sqlite3_str *s, const char *key, tg_interval v)
{
	sqlite3_str_appendf(s, ",\"%s\":[", key);
	tg_json_number(s, v.lo, 6);
	sqlite3_str_appendall(s, ",");
	tg_json_number(s, v.hi, 6);
	sqlite3_str_appendall(s, "]");
}

static void split_metrics(sqlite3_str *s, const char *key, const tg_metrics *m, const tg_prepared *p,
                          int per_genre)
{
	sqlite3_str_appendf(s, "\"%s\":{\"films\":%llu", key, (unsigned long long)m->n);
	number_field(s, "micro_f1", m->micro_f1, 6);
	number_field(s, "macro_f1", m->macro_f1, 6);
	number_field(s, "p_at_1", m->p_at_1, 6);
	number_field(s, "micro_precision", m->micro_precision, 6);
	number_field(s, "micro_recall", m->micro_recall, 6);
	if (m->n) {
		sqlite3_str_appendf(s, ",\"interval95\":{\"resamples\":%d", TG_METRICS_RESAMPLES);
		interval_field(s, "micro_f1", m->micro_f1_95);
		interval_field(s, "p_at_1", m->p_at_1_95);
		sqlite3_str_appendall(s, "}");
	}
	if (per_genre) {
		sqlite3_str_appendall(s, ",\"per_genre\":{");
		for (uint32_t k = 0; k < p->n_labels; k++) {
			const tg_label_metrics *l = &m->label[k];
			if (k)
				sqlite3_str_appendall(s, ",");
			tg_json_string(s, p->labels[k], strlen(p->labels[k]));
			sqlite3_str_appendf(s, ":{\"support\":%llu", (unsigned long long)l->support);
			number_field(s, "precision", l->precision, 4);
			number_field(s, "recall", l->recall, 4);
			number_field(s, "f1", l->f1, 4);
			sqlite3_str_appendall(s, "}");
		}
		sqlite3_str_appendall(s, "}");
	}
	sqlite3_str_appendall(s, "}");
}

char *tg_metrics_json(const tg_prepared *p, const tg_train_result *r)
{
	sqlite3_str *s = sqlite3_str_new(NULL);
	sqlite3_str_appendall(s, "{");
	split_metrics(s, "validation", &r->validation, p, 0);
	sqlite3_str_appendf(s, ",\"validation_method\":\"%s\"",
	                    r->validation_is_oof ? "out-of-fold over train+validation" : "validation split");
	if (r->validation_is_oof) {
		sqlite3_str_appendall(s, ",");
		split_metrics(s, "validation_cross_fitted", &r->validation_cross, p, 0);
	}
	sqlite3_str_appendall(s, ",");
	split_metrics(s, "test", &r->test, p, 1);
	sqlite3_str_appendall(s, ",");
	split_metrics(s, "test_unquantized", &r->test_unquantized, p, 0);
	sqlite3_str_appendf(s, ",\"fit_films\":%llu,\"features\":%u,", (unsigned long long)r->fit_films, r->n_features);
	if (r->n_subwords)
		sqlite3_str_appendf(s, "\"subwords\":%u,", r->n_subwords);
	if (r->n_vector_rows)
		sqlite3_str_appendf(s, "\"vector_rows\":%u,\"unseen_rows\":%u,", r->n_vector_rows, r->n_unseen_rows);
	sqlite3_str_appendf(s, "\"blob_bytes\":%llu,\"funnel\":{", (unsigned long long)r->blob_len);
	for (int sp = 0; sp < 3; sp++) {
		sqlite3_str_appendf(s, "%s\"%s\":{", sp ? "," : "", tg_split_name((tg_split)sp));
		for (int b = 0; b <= TG_RULE_COUNT; b++)
			sqlite3_str_appendf(s, "%s\"%s\":%llu", b ? "," : "", tg_rule_name((tg_rule)b),
			                    (unsigned long long)p->funnel[sp][b]);
		sqlite3_str_appendall(s, "}");
	}
	sqlite3_str_appendall(s, "}}");
	return sqlite3_str_finish(s);
}
