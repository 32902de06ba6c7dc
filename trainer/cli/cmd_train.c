/*
** The train verb: fingerprint, read, look, clean, train, evaluate, store, deploy.
** The registry is opened only once the data has been read, so a bad input file
** leaves the database untouched; everything written goes in one transaction.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sqlite3ext.h"

#include "ablation.h"
#include "commands.h"
#include "dataset.h"
#include "meta_json.h"
#include "movies_table.h"
#include "new_db.h"
#include "pipeline.h"
#include "profile.h"
#include "query_source.h"
#include "registry.h"
#include "report_html.h"
#include "progress_bar.h"
#include "sha256.h"

static void print_funnel(const tg_prepared *p)
{
	printf("\nCleanup (films per split; cleanup rules apply to train only):\n");
	printf("  %-12s %8s %11s %8s\n", "rule", "train", "validation", "test");
	for (int b = 0; b <= TG_RULE_COUNT; b++)
		printf("  %-12s %8zu %11zu %8zu\n", tg_rule_name((tg_rule)b), p->funnel[TG_SPLIT_TRAIN][b],
		       p->funnel[TG_SPLIT_VALIDATION][b], p->funnel[TG_SPLIT_TEST][b]);
	printf("Labels: %u genres with at least the minimum training films (of %zu genre names seen)\n",
	       p->n_labels, p->genre_names_seen);
}

static void print_metrics(const tg_prepared *p, const tg_train_result *r)
{
	printf("\nModel: %u features, %zu-byte blob, learned in %.2f s\n", r->n_features, r->blob_len,
	       r->seconds_learn);
	if (r->n_subwords)
		printf("  (and %u character n-grams, summed into their words' rows: --subwords)\n", r->n_subwords);
	if (r->n_vector_rows)
		printf("  (%u rows with a word vector folded in, %u of them words no training film has: --vectors)\n",
		       r->n_vector_rows, r->n_unseen_rows);
	if (r->n_features_dropped)
		printf("  (%u features that added least to the scores left out to fit --max-bytes)\n",
		       r->n_features_dropped);
	if (r->cal_films < r->fit_films)
		printf("  (calibrated on %zu of the %zu films, spread evenly: --calibration-films)\n",
		       r->cal_films, r->fit_films);
	printf("  %-10s %6s %9s %9s %6s\n", "split", "films", "micro-F1", "macro-F1", "P@1");
	/* Out-of-fold scores cover train+validation: say so, they are not the validation split's. */
	printf("  %-10s %6zu %9.4f %9.4f %6.4f\n", r->validation_is_oof ? "cv (oof)" : "validation",
	       r->validation.n, r->validation.micro_f1, r->validation.macro_f1, r->validation.p_at_1);
	if (r->validation_is_oof)
		printf("  %-10s %6zu %9.4f %9.4f %6.4f   (each fold tagged by thresholds fit on the others)\n",
		       "cv (oof)", r->validation_cross.n, r->validation_cross.micro_f1, r->validation_cross.macro_f1,
		       r->validation_cross.p_at_1);
	printf("  %-10s %6zu %9.4f %9.4f %6.4f\n", "test", r->test.n, r->test.micro_f1, r->test.macro_f1,
	       r->test.p_at_1);
	printf("  %-10s %6zu %9.4f %9.4f %6.4f   (float weights, before int8 quantization)\n", "test",
	       r->test_unquantized.n, r->test_unquantized.micro_f1, r->test_unquantized.macro_f1,
	       r->test_unquantized.p_at_1);
	/* What the test figures can tell: a few hundred films leave them a wide margin. */
	if (r->test.n)
		printf("  test 95%% intervals: micro-F1 %.4f-%.4f, P@1 %.4f-%.4f\n"
		       "  (%d bootstrap resamples of the %zu test films)\n",
		       r->test.micro_f1_95.lo, r->test.micro_f1_95.hi, r->test.p_at_1_95.lo, r->test.p_at_1_95.hi,
		       TG_METRICS_RESAMPLES, r->test.n);
	printf("\n  %-16s %7s %9s %6s %6s\n", "genre (test)", "support", "precision", "recall", "F1");
	for (uint32_t k = 0; k < p->n_labels; k++) {
		const tg_label_metrics *l = &r->test.label[k];
		printf("  %-16s %7zu %9.3f %6.3f %6.3f\n", p->labels[k], l->support, l->precision, l->recall, l->f1);
	}
}

static void print_ablation(const tg_ablation_entry *a, size_t n)
{
	printf("\nCleanup ablation (validation micro-F1):\n  %-12s %8s %9s %9s\n", "rule", "removes", "rule on",
	       "rule off");
	for (size_t i = 0; i < n; i++)
		printf("  %-12s %8zu %9.4f %9.4f\n", a[i].rule, a[i].removed, a[i].f1_with, a[i].f1_without);
}

/* Reads the films; fills the data fingerprint.  Returns 0 or -1 (message printed). */
static int read_films(const tg_options *o, sqlite3 *db, tg_dataset *d, char fp_hex[TG_SHA256_HEX_LEN + 1])
{
	char err[512];
	if (o->csv) {
		struct stat st;
		tg_progress_bar bar;
		tg_progress_bar_start(&bar, "reading", "bytes", stat(o->csv, &st) == 0 ? (uint64_t)st.st_size : 0, o->quiet);
		const tg_progress hook = tg_progress_bar_hook(&bar);
		int rc = tg_dataset_read_csv(d, o->csv, o->max_record_bytes, &hook, fp_hex, err, sizeof err);
		tg_progress_bar_end(&bar);
		if (rc != 0) {
			fprintf(stderr, "tg-train: %s: %s\n", o->csv, err);
			return -1;
		}
		return 0;
	}
	tg_sha256 ctx;
	unsigned char digest[TG_SHA256_DIGEST_LEN];
	tg_sha256_init(&ctx);
	if (tg_dataset_read_query(d, db, o->query, o->prepare.with_title, &ctx, err, sizeof err) != 0) {
		fprintf(stderr, "tg-train: %s\n", err);
		return -1;
	}
	tg_sha256_final(&ctx, digest);
	tg_sha256_hex(digest, fp_hex);
	return 0;
}

/* Writes the films (CSV only) and the model, and deploys, in one transaction. */
static int store(const tg_options *o, sqlite3 *db, const tg_dataset *d, const tg_model_record *rec,
                 tg_store_result *res, char *err, size_t errlen)
{
	tg_txn txn;
	int rc = tg_txn_begin(db, &txn, "storing the model", err, errlen);
	if (rc != TG_REG_OK)
		return rc;
	if (o->csv)
		rc = tg_movies_table_write(db, d->movies, d->n, err, errlen);
	if (rc == TG_REG_OK)
		rc = tg_reg_store(db, rec, o->deploy, res, err, errlen);
	if (rc != TG_REG_OK) {
		tg_txn_rollback(db, &txn);
		return rc;
	}
	return tg_txn_commit(db, &txn, "storing the model", err, errlen);
}

/* The run's parameters, as meta_json.c names them. */
static char *params_json(const tg_options *o, const tg_wordvec *wv)
{
	const tg_train_config *t = &o->train;
	const tg_learner_params lp = {
		.features = t->features, .min_df = t->min_df, .subword_min = t->subwords.min,
		.subword_max = t->subwords.max, .max_bytes = t->max_model_bytes, .C = t->svm.C, .nb_C = t->nbsvm.C,
		.nb_alpha = t->nb_alpha, .pos_weight = t->svm.pos_weight, .tolerance = t->svm.tolerance,
		.epochs = t->svm.max_epochs, .seed = t->svm.seed, .folds = t->folds, .shared_threshold = t->shared_threshold,
		.cal_films = t->cal_films,
		.cal_films_default = t->cal_films == TG_DEFAULT_CAL_FILMS,
	};
	tg_vectors_params vp = { 0 };
	if (wv)
		vp = (tg_vectors_params){ wv->name, wv->sha256, wv->vec.dim, wv->vec.n_read, wv->matched,
			                  t->vector_weight, t->vector_words };
	return tg_params_json(&lp, &o->prepare, wv ? &vp : NULL, o->query);
}

/* What one run holds, freed by run_free whatever step it stopped at. */
typedef struct train_run {
	tg_dataset data;
	tg_prepared prep;
	tg_train_result res;
	tg_profile prof;
	tg_ablation_entry ablation[TG_N_CLEANUP_RULES];
	size_t n_ablation;
	sqlite3 *db;
	tg_wordvec vectors;             /* --vectors */
	char *params, *metrics;
	char fp[TG_SHA256_HEX_LEN + 1];
} train_run;

/* 1 when this data was already trained with these parameters (said, unless quiet), 0 when
** not, -1 on an error (message printed). */
static int already_trained(const tg_options *o, const train_run *r)
{
	char err[TG_ERR_MAX] = "";
	int64_t same = 0;
	if (tg_reg_find(r->db, o->name, r->fp, r->params, &same, err, sizeof err) != TG_REG_OK) {
		fprintf(stderr, "tg-train: %s\n", err);
		return -1;
	}
	if (same && !o->quiet)
		printf("Model %lld was trained on this data (sha256 %.16s...) with these parameters;"
		       " not training again (--force to retrain).\n", (long long)same, r->fp);
	return same != 0;
}

/* Look, clean, learn, evaluate (and the ablation when asked): 0 or -1 (message printed). */
static int learn(const tg_options *o, train_run *r)
{
	char msg[512];
	if (tg_profile_compute(&r->data, &r->prof) != 0) {
		fprintf(stderr, "tg-train: out of memory profiling the data\n");
		return -1;
	}
	if (!o->quiet)
		tg_profile_print(&r->prof, stdout);
	if (tg_prepare(&r->data, &o->prepare, &r->prep, msg, sizeof msg) != 0) {
		fprintf(stderr, "tg-train: %s\n", msg);
		return -1;
	}
	if (!o->quiet)
		print_funnel(&r->prep);
	tg_progress_bar bar;
	tg_train_config cfg = o->train;
	if (o->vectors)
		cfg.vectors = &r->vectors;
	if (o->prepare.with_title)
		cfg.features |= TG_FEAT_TITLE;   /* the blob tells tg_text() what the model reads */
	tg_progress_bar_start(&bar, "training", "fits", cfg.folds + 1, o->quiet);
	const tg_progress hook = tg_progress_bar_hook(&bar);
	cfg.progress = &hook;
	const tg_prepared *p = &r->prep;
	int rc = tg_pipeline_learn(p, &cfg, &r->res, msg, sizeof msg);
	tg_progress_bar_end(&bar);
	if (rc != 0) {
		fprintf(stderr, "tg-train: training failed: %s\n", msg);
		return -1;
	}
	if (!o->quiet)
		print_metrics(p, &r->res);
	if (o->ablation || o->report) {
		tg_train_config ab = o->train;   /* the run's learner, vectors too */
		ab.vectors = cfg.vectors;
		if (tg_ablation_run(&r->data, &o->prepare, &ab, r->ablation, msg, sizeof msg) != 0) {
			fprintf(stderr, "tg-train: ablation failed: %s\n", msg);
			return -1;
		}
		r->n_ablation = TG_N_CLEANUP_RULES;
		if (!o->quiet)
			print_ablation(r->ablation, r->n_ablation);
	}
	return 0;
}

/* Stores the films and the model and deploys by the policy: 0 or -1 (message printed,
** saying whether the registry is unchanged). */
static int save(const tg_options *o, train_run *r, tg_store_result *stored)
{
	r->metrics = tg_metrics_json(&r->prep, &r->res);
	if (!r->metrics) {
		fprintf(stderr, "tg-train: out of memory\n");
		return -1;
	}
	tg_model_record rec = { o->name, TG_MODEL_FORMAT, r->params, r->metrics, r->fp, r->res.blob,
		                r->res.blob_len, NULL };
	char err[TG_ERR_MAX] = "";
	if (store(o, r->db, &r->data, &rec, stored, err, sizeof err) != TG_REG_OK) {
		char left[TG_ERR_MAX] = "";
		if (tg_reg_journal_left(r->db, left, sizeof left) != TG_REG_OK)
			fprintf(stderr, "tg-train: storing the model in %s failed: %s; and %s\n", o->db,
			        err, left);
		else
			fprintf(stderr, "tg-train: storing the model in %s failed, registry unchanged: %s\n", o->db,
			        err);
		return -1;
	}
	if (!o->quiet)
		printf("\nStored model %lld ('%s') in %s: %s (%s: %s)\n", (long long)stored->id, o->name, o->db,
		       stored->deployed ? "deployed" : "not deployed", tg_deploy_policy_name(o->deploy),
		       stored->reason);
	return 0;
}

static int write_report(const tg_options *o, const train_run *r, int64_t model_id)
{
	char msg[512];
	tg_report_input in = { o->csv ? o->csv : "query", o->name, model_id, r->fp, NULL, &r->prof, &r->prep,
		               &r->res.validation, &r->res.test, r->ablation, r->n_ablation, r->res.blob_len,
		               r->res.seconds_learn };
	if (tg_report_write_html(o->report, &in, msg, sizeof msg) != 0) {
		fprintf(stderr, "tg-train: the model is stored, but the report failed: %s\n", msg);
		return -1;
	}
	if (!o->quiet)
		printf("Report written to %s\n", o->report);
	return 0;
}

/*
** Reads --vectors, keeping the vectors of the words of the films training may fit
** (train+validation, or train alone with --folds 0; titles too: cleanup and --inputs
** decide later which of them it reads) and of up to --vector-words others, so that the
** films it is measured on have no say in which words get rows.  0, or -1 (message printed).
*/
static int read_vectors(const tg_options *o, train_run *r)
{
	char err[512];
	tg_keymap seen;
	if (tg_keymap_init(&seen, 1u << 16) != 0) {
		fprintf(stderr, "tg-train: out of memory\n");
		return -1;
	}
	for (size_t i = 0; i < r->data.n; i++) {
		const tg_movie *m = &r->data.movies[i];
		const tg_split split = tg_split_of(m->id);
		if (split == TG_SPLIT_TEST || (split == TG_SPLIT_VALIDATION && o->train.folds == 0))
			continue;
		if (tg_wordvec_see(&seen, m->overview, m->overview_len) != 0 ||
		    (m->title && tg_wordvec_see(&seen, m->title, strlen(m->title)) != 0)) {
			tg_keymap_free(&seen);
			fprintf(stderr, "tg-train: out of memory\n");
			return -1;
		}
	}
	int rc = tg_wordvec_load(&r->vectors, o->vectors, &seen, o->train.vector_words, err, sizeof err);
	tg_keymap_free(&seen);
	if (rc != 0) {
		fprintf(stderr, "tg-train: %s\n", err);
		return -1;
	}
	if (!o->quiet)
		printf("Vectors: %s, %u dims, %zu words, %zu of them in the training films, %zu others kept\n",
		       r->vectors.name, r->vectors.vec.dim, r->vectors.vec.n_read, r->vectors.matched,
		       r->vectors.unseen);
	return 0;
}

static void run_free(train_run *r)
{
	tg_wordvec_free(&r->vectors);
	tg_profile_free(&r->prof);
	sqlite3_free(r->params);
	sqlite3_free(r->metrics);
	sqlite3_free(r->res.blob);
	tg_prepared_free(&r->prep);
	tg_dataset_free(&r->data);
}

/* The run's steps; 0 or 1 (exit status). */
static int run(const tg_options *o, train_run *r)
{
	char msg[512], err[TG_ERR_MAX] = "";
	if (o->report && tg_report_check_path(o->report, msg, sizeof msg) != 0) {
		fprintf(stderr, "tg-train: %s\n", msg);
		return 1;
	}
	/* From a CSV, read before opening the database: bad input leaves it untouched. */
	if (o->csv && (read_films(o, NULL, &r->data, r->fp) != 0 || (o->vectors && read_vectors(o, r) != 0)))
		return 1;
	if (tg_reg_open_for_store(o->db, o->busy_ms, "training a model", &r->db, err, sizeof err) != TG_REG_OK) {
		fprintf(stderr, "tg-train: %s: %s\n", o->db, err);
		return 1;
	}
	if (o->query && (read_films(o, r->db, &r->data, r->fp) != 0 || (o->vectors && read_vectors(o, r) != 0)))
		return 1;
	r->params = params_json(o, o->vectors ? &r->vectors : NULL);
	if (!r->params) {
		fprintf(stderr, "tg-train: out of memory\n");
		return 1;
	}
	int done = o->force ? 0 : already_trained(o, r);
	if (done)
		return done < 0;
	tg_store_result stored;
	if (learn(o, r) != 0 || save(o, r, &stored) != 0)
		return 1;
	if (o->report && write_report(o, r, stored.id) != 0)
		return 1;
	return 0;
}

int tg_cmd_train(const tg_options *o)
{
	train_run r = { 0 };
	/* A database this run creates goes again if the run fails (e.g. the disk is full). */
	tg_new_db created;
	tg_new_db_note(&created, o->db);
	int status = run(o, &r);
	run_free(&r);
	tg_new_db_close(&created, r.db, status, o->quiet);
	return status;
}
