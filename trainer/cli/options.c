/* tg-train's command line.  Every option is one row of a table (its names, what kind of
** value it takes and in what range, where that value goes, its help text), and that table
** drives getopt, the range checks and their messages, and the Options part of --help: an
** option is added in one place, and --help cannot forget it. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "version.h"

static const char usage[] =
	"Usage: tg-train [OPTIONS] CSV DB          train on a movies_metadata.csv file\n"
	"       tg-train [OPTIONS] --query SQL DB  train on the rows of a query over DB\n"
	"       tg-train list DB [--name NAME]     list the models in DB's registry\n"
	"       tg-train deploy DB ID              deploy model ID\n"
	"       tg-train rollback DB [--name NAME] redeploy the previously deployed model\n"
	"       tg-train prune DB [--name NAME] [--keep N]\n"
	"                                          delete old undeployed models\n"
	"       tg-train import SRC DST [--name NAME] [--id ID] [--deploy POLICY]\n"
	"                                          copy a model from SRC's registry into\n"
	"                                          DST's: SRC's deployed model of NAME, or\n"
	"                                          model ID; deployed in DST by POLICY\n"
	"\n"
	"Training reads the films, prints what it finds in the data, cleans the training\n"
	"split by the rules below, trains a genre classifier, evaluates it on the test split\n"
	"(TMDB id % 10 == 0; id % 10 == 1 is validation), stores it in table tg_models and\n"
	"deploys it by the policy.  From a CSV it also writes the films into table movies.\n"
	"The same data and parameters are not trained twice (see --force).\n"
	"\n"
	"Options go before or after the verb.  list opens DB read-only and never creates it.\n"
	"--report is checked before training, so an unwritable path fails at once.\n";

/* What an option's value is, and so how it is checked and stored at its field. */
typedef enum {
	K_FLAG,      /* no value: the int field becomes 1 */
	K_STRING,    /* the value itself (const char *) */
	K_INT, K_U32, K_I64, K_U64, K_SIZE, K_DOUBLE,  /* a number from lo to hi */
	K_CUSTOM,    /* set() checks and stores it */
	K_HELP, K_VERSION
} opt_kind;

typedef struct opt_spec {
	const char *name;   /* --name */
	char short_name;    /* -n, or 0 */
	const char *arg;    /* the value's name in --help; NULL for options without one */
	opt_kind kind;
	double lo, hi;      /* numbers */
	size_t field;       /* offsetof(tg_options, ...) */
	int (*set)(const char *arg, tg_options *o);  /* K_CUSTOM: 0, or -1 with a message */
	const char *section;  /* starts a part of --help with this title */
	const char *help;     /* lines after the first are indented by --help */
} opt_spec;

static int set_name(const char *arg, tg_options *o)
{
	if (!*arg) {
		fprintf(stderr, "tg-train: --name must not be empty\n");
		return -1;
	}
	o->name = arg;
	o->name_given = 1;
	return 0;
}

static int set_deploy(const char *arg, tg_options *o)
{
	if (tg_deploy_policy_parse(arg, &o->deploy) == 0)
		return 0;
	fprintf(stderr, "tg-train: --deploy takes best, always or never, not '%s'\n", arg);
	return -1;
}

static int set_rules(const char *arg, tg_options *o)
{
	if (tg_rules_parse(arg, &o->prepare) == 0)
		return 0;
	fprintf(stderr, "tg-train: --rules takes none or a list of placeholder, too-short,"
	                " too-long, non-latin, not '%s'\n", arg);
	return -1;
}

static int set_bigrams(const char *arg, tg_options *o)
{
	(void)arg;
	o->train.features = TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM;
	return 0;
}

static int set_no_bigrams(const char *arg, tg_options *o)
{
	(void)arg;
	o->train.features = TG_FEAT_UNIGRAM;
	return 0;
}

/* An option that takes one of two words: *is_second says which; else a usage error. */
static int either(const char *opt, const char *arg, const char *first, const char *second, int *is_second)
{
	if (strcmp(arg, first) == 0 || strcmp(arg, second) == 0) {
		*is_second = strcmp(arg, second) == 0;
		return 0;
	}
	fprintf(stderr, "tg-train: %s takes %s or %s, not '%s'\n", opt, first, second, arg);
	return -1;
}

static int set_thresholds(const char *arg, tg_options *o)
{
	return either("--thresholds", arg, "per-genre", "shared", &o->train.shared_threshold);
}

static int decimal(const char *s, size_t len, uint64_t *out);

/* N, MIN-MAX (lengths from TG_SUBWORD_MIN_N to TG_SUBWORD_MAX_N), or 0 for none. */
static int set_subwords(const char *arg, tg_options *o)
{
	const char *dash = strchr(arg, '-');
	uint64_t lo = 0, hi;
	int ok = decimal(arg, dash ? (size_t)(dash - arg) : strlen(arg), &lo) == 0;
	if (dash)
		ok = ok && decimal(dash + 1, strlen(dash + 1), &hi) == 0;
	else
		hi = lo;
	if (ok && !dash && lo == 0) {
		o->train.subwords = (tg_subword_range){ 0, 0 };
		return 0;
	}
	if (ok && lo >= TG_SUBWORD_MIN_N && lo <= hi && hi <= TG_SUBWORD_MAX_N) {
		o->train.subwords = (tg_subword_range){ (unsigned)lo, (unsigned)hi };
		return 0;
	}
	fprintf(stderr, "tg-train: --subwords takes 0, N or MIN-MAX with %u <= MIN <= MAX <= %u, not '%s'\n",
	        TG_SUBWORD_MIN_N, TG_SUBWORD_MAX_N, arg);
	return -1;
}

static int set_inputs(const char *arg, tg_options *o)
{
	return either("--inputs", arg, "overview", "title,overview", &o->prepare.with_title);
}

static int integer(const char *what, const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

static int set_folds(const char *arg, tg_options *o)
{
	uint64_t v;
	if (integer("--folds", arg, 0, TG_MAX_FOLDS, &v))
		return -1;
	if (v == 1) {
		fprintf(stderr, "tg-train: --folds takes 0 (no cross-validation) or 2 to 20\n");
		return -1;
	}
	o->train.folds = (uint32_t)v;
	return 0;
}

#define AT(f) offsetof(tg_options, f)

/* In --help's order.  The SVM's pos_weight, max_epochs and seed are the NB-SVM's too
** (shared_params copies them after parsing). */
static const opt_spec specs[] = {
	{ "name", 'n', "NAME", K_CUSTOM, 0, 0, 0, set_name, "Options:",
	  "model name (default: genre)" },
	{ "deploy", 'd', "POLICY", K_CUSTOM, 0, 0, 0, set_deploy, NULL,
	  "best: deploy if validation micro-F1 beats the deployed\n"
	  "model's, or it was trained on other data (default);\n"
	  "always; never" },
	{ "force", 'f', NULL, K_FLAG, 0, 0, AT(force), NULL, NULL,
	  "train even if this data and these parameters were trained" },
	{ "report", 'r', "FILE", K_STRING, 0, 0, AT(report), NULL, NULL,
	  "write an HTML report of the data and the model" },
	{ "ablation", 0, NULL, K_FLAG, 0, 0, AT(ablation), NULL, NULL,
	  "measure each cleanup rule (trains once per rule)" },
	{ "quiet", 'q', NULL, K_FLAG, 0, 0, AT(quiet), NULL, NULL, "print only errors" },
	{ "query", 0, "SQL", K_STRING, 0, 0, AT(query), NULL, NULL,
	  "train on SQL's rows: columns overview and genres (a JSON\n"
	  "array of names, or names separated by | or ,), and\n"
	  "optionally id (else the row number decides the split)" },
	{ "keep", 0, "N", K_INT, 0, 1e9, AT(keep), NULL, NULL,
	  "prune: undeployed models to keep (default 0)" },
	{ "id", 0, "ID", K_I64, 1, (double)INT64_MAX, AT(model_id), NULL, NULL,
	  "import: this model of SRC (default: its deployed NAME)" },

	{ "min-genre-rows", 0, "N", K_U32, 1, 1e9, AT(prepare.min_genre_rows), NULL,
	  "Data and cleanup (cleanup applies to the training split only):",
	  "a genre is a label with at least N training films (10)" },
	{ "min-tokens", 0, "N", K_SIZE, 0, 1e9, AT(prepare.min_tokens), NULL, NULL,
	  "too-short: fewer than N tokens (5)" },
	{ "max-chars", 0, "N", K_SIZE, 1, 1e12, AT(prepare.max_chars), NULL, NULL,
	  "too-long: more than N bytes (2000)" },
	{ "max-non-ascii", 0, "F", K_DOUBLE, 0, 1, AT(prepare.max_non_ascii), NULL, NULL,
	  "non-latin: more than F of the letters non-ASCII (0.5)" },
	{ "rules", 0, "LIST", K_CUSTOM, 0, 0, 0, set_rules, NULL,
	  "the cleanup rules to apply: none, or a comma-separated list\n"
	  "of placeholder, too-short, too-long, non-latin\n"
	  "(default: too-long,non-latin; see --ablation)" },
	{ "max-record-bytes", 0, "N", K_SIZE, 1024, 1 << 30, AT(max_record_bytes), NULL, NULL,
	  "longest CSV record accepted (1048576)" },

	{ "C", 0, "X", K_DOUBLE, 1e-6, 1e6, AT(train.svm.C), NULL,
	  "Model (an SVM and an NB-SVM per genre, averaged; see README.md):",
	  "the SVM's inverse regularization (0.4)" },
	{ "nb-C", 0, "X", K_DOUBLE, 1e-6, 1e6, AT(train.nbsvm.C), NULL, NULL,
	  "the NB-SVM's inverse regularization (0.1)" },
	{ "folds", 0, "K", K_CUSTOM, 0, 0, 0, set_folds, NULL,
	  "calibrate and pick thresholds on K-fold out-of-fold scores\n"
	  "over train+validation, then refit on both (5); 0: train\n"
	  "on train only and calibrate on validation" },
	{ "thresholds", 0, "RULE", K_CUSTOM, 0, 0, 0, set_thresholds, NULL,
	  "per-genre: each genre tagged above the probability that\n"
	  "gives its best F1 (default); shared: one probability for\n"
	  "every genre, the best micro-F1 (steadier on rare genres)" },
	{ "calibration-films", 0, "N", K_SIZE, 1, 1e9, AT(train.cal_films), NULL, NULL,
	  "with more films to fit, calibrate (and rank features) on N\n"
	  "of them, spread evenly (100000): training stays linear" },
	{ "pos-weight", 0, "X", K_DOUBLE, 1e-3, 1e3, AT(train.svm.pos_weight), NULL, NULL,
	  "weight of a genre's positive films (1)" },
	{ "min-df", 0, "N", K_U32, 1, 1e9, AT(train.min_df), NULL, NULL,
	  "keep words, bigrams and n-grams in at least N training\n"
	  "films (2)" },
	{ "subwords", 0, "N[-M]", K_CUSTOM, 0, 0, 0, set_subwords, NULL,
	  "learn from each word's character n-grams of N to M bytes\n"
	  "too, summed into the word's row when training ends (4); 0:\n"
	  "none" },
	{ "bigrams", 0, NULL, K_CUSTOM, 0, 0, 0, set_bigrams, NULL,
	  "word pairs too: a second table lookup per word, so a\n"
	  "slower tg_predict" },
	{ "no-bigrams", 0, NULL, K_CUSTOM, 0, 0, 0, set_no_bigrams, NULL, "words only (default)" },
	{ "inputs", 0, "LIST", K_CUSTOM, 0, 0, 0, set_inputs, NULL,
	  "what the model reads: overview (default), or title,overview\n"
	  "(the two joined; use tg_text(title, overview) in SQL)" },
	{ "max-bytes", 0, "N", K_U64, 0, (double)TG_MODEL_MAX_BLOB, AT(train.max_model_bytes), NULL, NULL,
	  "the model's blob at most N bytes: the features that add\n"
	  "most to the scores are kept (1000000); 0: no limit" },
	{ "vectors", 0, "FILE", K_STRING, 0, 0, AT(vectors), NULL, NULL,
	  "pretrained word vectors (GloVe, word2vec or fastText .vec\n"
	  "text: one word and its floats per line), learned from as\n"
	  "each film's weighted sum of its words' vectors and folded\n"
	  "into the words' rows (none)" },
	{ "vector-weight", 0, "X", K_DOUBLE, 1e-3, 1e3, AT(train.vector_weight), NULL, NULL,
	  "weight of the vectors' dims against the words' (0.5)" },
	{ "vector-words", 0, "N", K_SIZE, 0, 1e8, AT(train.vector_words), NULL, NULL,
	  "rows from their vectors alone for up to N words the model\n"
	  "does not keep from the films, the first in the vectors\n"
	  "file, within --max-bytes (0)" },
	{ "epochs", 0, "N", K_INT, 1, 10000, AT(train.svm.max_epochs), NULL, NULL,
	  "passes of the learners (10)" },
	{ "seed", 0, "N", K_U64, 0, 4294967295.0, AT(train.svm.seed), NULL, NULL,
	  "random seed (1)" },
	{ "threads", 0, "N", K_INT, 1, TG_MAX_THREADS, AT(train.threads), NULL, NULL,
	  "training threads (2)" },
	{ "busy-timeout", 0, "MS", K_INT, 0, 1e9, AT(busy_ms), NULL, NULL,
	  "wait this long for a locked database (10000)" },
	{ "help", 'h', NULL, K_HELP, 0, 0, 0, NULL, NULL, "this help" },
	{ "version", 'V', NULL, K_VERSION, 0, 0, 0, NULL, NULL, "print the version" },
};

enum { N_SPECS = sizeof specs / sizeof *specs, HELP_COLUMN = 25 };

static int number(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi)) {
		fprintf(stderr, "tg-train: %s needs a number from %g to %g, not '%s'\n", opt, lo, hi, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The len bytes at s as a decimal integer: digits only (no sign, space, fraction,
** exponent or base prefix), at least one, and no more than fit in 64 bits.  0 or -1. */
static int decimal(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
** Every integer of the command line, options and operands (an id, a count, a size):
** a decimal integer from lo to hi, else a usage error naming what and the range.
** strtod and sscanf("%u") took "2.9" for 2, and "4294967298" for 2; this takes
** neither, so that a typo never trains or deploys something other than what was asked.
*/
static int integer(const char *what, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (decimal(s, strlen(s), out) == 0 && *out >= lo && *out <= hi)
		return 0;
	fprintf(stderr, "tg-train: %s needs a whole number from %llu to %llu, not '%s'\n", what,
	        (unsigned long long)lo, (unsigned long long)hi, s);
	return -1;
}

/* The largest value an integer kind's field holds; a table's hi above it means "any". */
static uint64_t kind_max(opt_kind k)
{
	return k == K_INT ? INT_MAX : k == K_U32 ? UINT32_MAX : k == K_I64 ? INT64_MAX
	     : k == K_SIZE ? SIZE_MAX : UINT64_MAX;
}

/* The usage text, then one line per option ("  -n, --name NAME" padded to HELP_COLUMN,
** or two spaces after a longer one) and its help's further lines under the first. */
static void print_help(void)
{
	fputs(usage, stdout);
	for (size_t i = 0; i < N_SPECS; i++) {
		const opt_spec *s = &specs[i];
		if (s->section)
			printf("\n%s\n", s->section);
		int w = s->short_name ? printf("  -%c, --%s", s->short_name, s->name)
		                      : printf("      --%s", s->name);
		if (s->arg)
			w += printf(" %s", s->arg);
		printf("%*s", w < HELP_COLUMN ? HELP_COLUMN - w : 2, "");
		for (const char *h = s->help; *h; h++) {
			putchar(*h);
			if (*h == '\n')
				printf("%*s", HELP_COLUMN, "");
		}
		putchar('\n');
	}
}

/* Checks and stores one option's value; 0, 1 (--help/--version done) or -1 (message printed). */
static int apply(const opt_spec *s, const char *arg, tg_options *o)
{
	char *at = (char *)o + s->field;
	double v = 0;
	uint64_t u = 0;
	char opt[32];
	snprintf(opt, sizeof opt, "--%s", s->name);
	if (s->kind == K_DOUBLE && number(opt, arg, s->lo, s->hi, &v))
		return -1;
	if (s->kind >= K_INT && s->kind <= K_SIZE) {
		uint64_t max = kind_max(s->kind);
		if (integer(opt, arg, (uint64_t)s->lo, s->hi < (double)max ? (uint64_t)s->hi : max, &u))
			return -1;
	}
	switch (s->kind) {
	case K_FLAG: *(int *)at = 1; break;
	case K_STRING: *(const char **)at = arg; break;
	case K_INT: *(int *)at = (int)u; break;
	case K_U32: *(uint32_t *)at = (uint32_t)u; break;
	case K_I64: *(int64_t *)at = (int64_t)u; break;
	case K_U64: *(uint64_t *)at = u; break;
	case K_SIZE: *(size_t *)at = (size_t)u; break;
	case K_DOUBLE: *(double *)at = v; break;
	case K_CUSTOM: return s->set(arg, o);
	case K_HELP: print_help(); return 1;
	case K_VERSION: printf("tg-train %s\n", TG_VERSION); return 1;
	}
	return 0;
}

static void defaults(tg_options *o)
{
	memset(o, 0, sizeof *o);
	o->name = TG_DEFAULT_MODEL;
	o->deploy = TG_DEPLOY_BEST;
	o->busy_ms = TG_REG_BUSY_MS_DEFAULT;
	tg_prepare_defaults(&o->prepare);
	o->train.features = TG_FEAT_UNIGRAM;
	o->train.subwords = (tg_subword_range){ 4, 4 };
	o->train.min_df = 2;
	o->train.max_model_bytes = TG_DEFAULT_MAX_MODEL_BYTES;
	o->train.cal_films = TG_DEFAULT_CAL_FILMS;
	o->train.svm = (tg_linear_params){ .C = 0.4, .pos_weight = 1.0, .max_epochs = 10,
		                           .tolerance = 0.01, .seed = 1 };
	o->train.nbsvm = o->train.svm;
	o->train.nbsvm.C = 0.1;
	o->train.nb_alpha = 1.0;
	o->train.folds = 5;
	o->train.threads = 2;
	o->train.vector_weight = 0.5;
}

/* --pos-weight, --epochs and --seed set both learners. */
static void shared_params(tg_train_config *t)
{
	t->nbsvm.pos_weight = t->svm.pos_weight;
	t->nbsvm.max_epochs = t->svm.max_epochs;
	t->nbsvm.seed = t->svm.seed;
}

static int parse_verb(const char *w, tg_verb *v)
{
	static const struct { const char *word; tg_verb verb; } verbs[] = {
		{ "train", TG_VERB_TRAIN }, { "list", TG_VERB_LIST }, { "deploy", TG_VERB_DEPLOY },
		{ "rollback", TG_VERB_ROLLBACK }, { "prune", TG_VERB_PRUNE }, { "import", TG_VERB_IMPORT },
	};
	for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
		if (strcmp(w, verbs[i].word) == 0) {
			*v = verbs[i].verb;
			return 1;
		}
	return 0;
}

/* The words after the options: an optional verb, then its operands. */
static int parse_operands(int n, char **rest, tg_options *o)
{
	uint64_t id;
	/* A first word naming a verb picks it; a file named like a verb needs ./ in front. */
	if (n > 0 && parse_verb(rest[0], &o->verb))
		n--, rest++;
	const char *want = NULL;
	switch (o->verb) {
	case TG_VERB_TRAIN:
		if (o->query && n == 1)
			o->db = rest[0];
		else if (!o->query && n == 2)
			o->csv = rest[0], o->db = rest[1];
		else
			want = o->query ? "one DB with --query" : "CSV and DB";
		break;
	case TG_VERB_LIST:
	case TG_VERB_ROLLBACK:
	case TG_VERB_PRUNE:
		if (n == 1)
			o->db = rest[0];
		else
			want = "DB";
		break;
	case TG_VERB_IMPORT:
		if (n == 2)
			o->src = rest[0], o->db = rest[1];
		else
			want = "SRC and DST databases";
		break;
	case TG_VERB_DEPLOY:
		if (n == 2 && integer("deploy ID", rest[1], 1, INT64_MAX, &id) == 0)
			o->db = rest[0], o->model_id = (int64_t)id;
		else
			want = "DB and a model ID";
		break;
	}
	if (want) {
		fprintf(stderr, "tg-train: expected %s\nTry 'tg-train --help'.\n", want);
		return -1;
	}
	return 0;
}

int tg_options_parse(int argc, char **argv, tg_options *o)
{
	/* getopt's tables, from specs: a long option returns its short letter, or 256 + its row. */
	struct option longs[N_SPECS + 1];
	char shorts[2 * N_SPECS + 1], *sp = shorts;
	for (size_t i = 0; i < N_SPECS; i++) {
		const opt_spec *s = &specs[i];
		longs[i] = (struct option){ s->name, s->arg ? required_argument : no_argument, NULL,
		                            s->short_name ? s->short_name : 256 + (int)i };
		if (s->short_name) {
			*sp++ = s->short_name;
			if (s->arg)
				*sp++ = ':';
		}
	}
	longs[N_SPECS] = (struct option){ NULL, 0, NULL, 0 };
	*sp = '\0';

	defaults(o);
	int c;
	opterr = 0;
	optind = 1;
	/* Options go anywhere (getopt moves the other words to the end, in order). */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const opt_spec *s = NULL;
		for (size_t i = 0; i < N_SPECS && !s; i++)
			if (c == (specs[i].short_name ? specs[i].short_name : 256 + (int)i))
				s = &specs[i];
		if (!s) {
			if (optopt && optopt < 256)
				fprintf(stderr, "tg-train: unknown option -%c or missing value\n", optopt);
			else
				fprintf(stderr, "tg-train: unknown option %s or missing value\n", argv[optind - 1]);
			fprintf(stderr, "Try 'tg-train --help'.\n");
			return -1;
		}
		int rc = apply(s, optarg, o);
		if (rc)
			return rc;
	}
	shared_params(&o->train);
	return parse_operands(argc - optind, argv + optind, o);
}
