#include <errno.h>
#include <getopt.h>
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
	"--report is checked before training, so an unwritable path fails at once.\n"
	"\n"
	"Options:\n"
	"  -n, --name NAME        model name (default: genre)\n"
	"  -d, --deploy POLICY    best: deploy if validation micro-F1 beats the deployed\n"
	"                         model's, or it was trained on other data (default);\n"
	"                         always; never\n"
	"  -f, --force            train even if this data and these parameters were trained\n"
	"  -r, --report FILE      write an HTML report of the data and the model\n"
	"      --ablation         measure each cleanup rule (trains once per rule)\n"
	"  -q, --quiet            print only errors\n"
	"      --query SQL        train on SQL's rows: columns overview and genres (a JSON\n"
	"                         array of names, or names separated by | or ,), and\n"
	"                         optionally id (else the row number decides the split)\n"
	"      --keep N           prune: undeployed models to keep (default 0)\n"
	"      --id ID            import: this model of SRC (default: its deployed NAME)\n"
	"\n"
	"Data and cleanup (cleanup applies to the training split only):\n"
	"      --min-genre-rows N a genre is a label with at least N training films (10)\n"
	"      --min-tokens N     too-short: fewer than N tokens (5)\n"
	"      --max-chars N      too-long: more than N bytes (2000)\n"
	"      --max-non-ascii F  non-latin: more than F of the letters non-ASCII (0.5)\n"
	"      --rules LIST       the cleanup rules to apply: none, or a comma-separated list\n"
	"                         of placeholder, too-short, too-long, non-latin\n"
	"                         (default: too-long,non-latin; see --ablation)\n"
	"      --max-record-bytes N  longest CSV record accepted (1048576)\n"
	"\n"
	"Model (an SVM and an NB-SVM per genre, averaged; see README.md):\n"
	"      --C X              the SVM's inverse regularization (0.4)\n"
	"      --nb-C X           the NB-SVM's inverse regularization (0.1)\n"
	"      --folds K          calibrate and pick thresholds on K-fold out-of-fold scores\n"
	"                         over train+validation, then refit on both (5); 0: train\n"
	"                         on train only and calibrate on validation\n"
	"      --pos-weight X     weight of a genre's positive films (1)\n"
	"      --min-df N         keep words and bigrams in at least N training films (2)\n"
	"      --no-bigrams       words only\n"
	"      --inputs LIST      what the model reads: overview (default), or title,overview\n"
	"                         (the two joined; use tg_text(title, overview) in SQL)\n"
	"      --max-bytes N      the model's blob at most N bytes: the features that add\n"
	"                         most to the scores are kept (1000000); 0: no limit\n"
	"      --epochs N         passes of the learners (10)\n"
	"      --seed N           random seed (1)\n"
	"      --threads N        training threads (2)\n"
	"      --busy-timeout MS  wait this long for a locked database (10000)\n"
	"  -h, --help             this help\n"
	"  -V, --version          print the version\n";

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

enum {
	OPT_QUERY = 256, OPT_KEEP, OPT_MIN_GENRE_ROWS, OPT_MIN_TOKENS, OPT_MAX_CHARS, OPT_MAX_NON_ASCII,
	OPT_RULES, OPT_MAX_RECORD, OPT_MAX_BYTES,
	OPT_C, OPT_POS_WEIGHT, OPT_MIN_DF, OPT_NO_BIGRAMS, OPT_INPUTS, OPT_EPOCHS, OPT_SEED, OPT_THREADS, OPT_BUSY,
	OPT_ABLATION, OPT_NB_C, OPT_FOLDS, OPT_ID
};

static const struct option long_options[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "deploy", required_argument, NULL, 'd' },
	{ "force", no_argument, NULL, 'f' },
	{ "report", required_argument, NULL, 'r' },
	{ "ablation", no_argument, NULL, OPT_ABLATION },
	{ "quiet", no_argument, NULL, 'q' },
	{ "query", required_argument, NULL, OPT_QUERY },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "id", required_argument, NULL, OPT_ID },
	{ "min-genre-rows", required_argument, NULL, OPT_MIN_GENRE_ROWS },
	{ "min-tokens", required_argument, NULL, OPT_MIN_TOKENS },
	{ "max-chars", required_argument, NULL, OPT_MAX_CHARS },
	{ "max-non-ascii", required_argument, NULL, OPT_MAX_NON_ASCII },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "max-record-bytes", required_argument, NULL, OPT_MAX_RECORD },
	{ "C", required_argument, NULL, OPT_C },
	{ "nb-C", required_argument, NULL, OPT_NB_C },
	{ "folds", required_argument, NULL, OPT_FOLDS },
	{ "pos-weight", required_argument, NULL, OPT_POS_WEIGHT },
	{ "min-df", required_argument, NULL, OPT_MIN_DF },
	{ "no-bigrams", no_argument, NULL, OPT_NO_BIGRAMS },
	{ "inputs", required_argument, NULL, OPT_INPUTS },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "epochs", required_argument, NULL, OPT_EPOCHS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "busy-timeout", required_argument, NULL, OPT_BUSY },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void defaults(tg_options *o)
{
	memset(o, 0, sizeof *o);
	o->name = TG_DEFAULT_MODEL;
	o->deploy = TG_DEPLOY_BEST;
	o->busy_ms = TG_REG_BUSY_MS_DEFAULT;
	tg_prepare_defaults(&o->prepare);
	o->train.features = TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM;
	o->train.min_df = 2;
	o->train.max_model_bytes = TG_DEFAULT_MAX_MODEL_BYTES;
	o->train.svm = (tg_linear_params){ .C = 0.4, .pos_weight = 1.0, .max_epochs = 10,
		                           .tolerance = 0.01, .seed = 1 };
	o->train.nbsvm = o->train.svm;
	o->train.nbsvm.C = 0.1;
	o->train.nb_alpha = 1.0;
	o->train.folds = 5;
	o->train.threads = 2;
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

int tg_options_parse(int argc, char **argv, tg_options *o)
{
	defaults(o);
	int c;
	double v;
	opterr = 0;
	optind = 1;
	/* Options go anywhere (getopt moves the other words to the end, in order). */
	while ((c = getopt_long(argc, argv, "n:d:fr:qhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!*optarg) {
				fprintf(stderr, "tg-train: --name must not be empty\n");
				return -1;
			}
			o->name = optarg;
			o->name_given = 1;
			break;
		case 'd':
			if (tg_deploy_policy_parse(optarg, &o->deploy) != TG_REG_OK) {
				fprintf(stderr, "tg-train: --deploy takes best, always or never, not '%s'\n", optarg);
				return -1;
			}
			break;
		case 'f': o->force = 1; break;
		case 'r': o->report = optarg; break;
		case 'q': o->quiet = 1; break;
		case OPT_ABLATION: o->ablation = 1; break;
		case OPT_QUERY: o->query = optarg; break;
		case OPT_KEEP:
			if (number("--keep", optarg, 0, 1e9, &v)) return -1;
			o->keep = (int)v;
			break;
		case OPT_ID:
			if (number("--id", optarg, 1, 9.2e18, &v)) return -1;
			o->model_id = (int64_t)v;
			break;
		case OPT_MIN_GENRE_ROWS:
			if (number("--min-genre-rows", optarg, 1, 1e9, &v)) return -1;
			o->prepare.min_genre_rows = (uint32_t)v;
			break;
		case OPT_MIN_TOKENS:
			if (number("--min-tokens", optarg, 0, 1e9, &v)) return -1;
			o->prepare.min_tokens = (size_t)v;
			break;
		case OPT_MAX_CHARS:
			if (number("--max-chars", optarg, 1, 1e12, &v)) return -1;
			o->prepare.max_chars = (size_t)v;
			break;
		case OPT_MAX_NON_ASCII:
			if (number("--max-non-ascii", optarg, 0, 1, &v)) return -1;
			o->prepare.max_non_ascii = v;
			break;
		case OPT_RULES:
			if (tg_rules_parse(optarg, &o->prepare) != 0) {
				fprintf(stderr, "tg-train: --rules takes none or a list of placeholder, too-short,"
				                " too-long, non-latin, not '%s'\n", optarg);
				return -1;
			}
			break;
		case OPT_MAX_RECORD:
			if (number("--max-record-bytes", optarg, 1024, 1 << 30, &v)) return -1;
			o->max_record_bytes = (size_t)v;
			break;
		case OPT_C:
			if (number("--C", optarg, 1e-6, 1e6, &v)) return -1;
			o->train.svm.C = v;
			break;
		case OPT_NB_C:
			if (number("--nb-C", optarg, 1e-6, 1e6, &v)) return -1;
			o->train.nbsvm.C = v;
			break;
		case OPT_FOLDS:
			if (number("--folds", optarg, 0, TG_MAX_FOLDS, &v))
				return -1;
			if (v == 1) {
				fprintf(stderr, "tg-train: --folds takes 0 (no cross-validation) or 2 to 20\n");
				return -1;
			}
			o->train.folds = (uint32_t)v;
			break;
		case OPT_POS_WEIGHT:
			if (number("--pos-weight", optarg, 1e-3, 1e3, &v)) return -1;
			o->train.svm.pos_weight = o->train.nbsvm.pos_weight = v;
			break;
		case OPT_MIN_DF:
			if (number("--min-df", optarg, 1, 1e9, &v)) return -1;
			o->train.min_df = (uint32_t)v;
			break;
		case OPT_NO_BIGRAMS: o->train.features = TG_FEAT_UNIGRAM; break;
		case OPT_INPUTS:
			if (strcmp(optarg, "overview") == 0 || strcmp(optarg, "title,overview") == 0) {
				o->prepare.with_title = optarg[0] == 't';
				break;
			}
			fprintf(stderr, "tg-train: --inputs takes overview or title,overview, not '%s'\n", optarg);
			return -1;
		case OPT_MAX_BYTES:
			if (number("--max-bytes", optarg, 0, (double)TG_MODEL_MAX_BLOB, &v)) return -1;
			o->train.max_model_bytes = (uint64_t)v;
			break;
		case OPT_EPOCHS:
			if (number("--epochs", optarg, 1, 10000, &v)) return -1;
			o->train.svm.max_epochs = o->train.nbsvm.max_epochs = (int)v;
			break;
		case OPT_SEED:
			if (number("--seed", optarg, 0, 4294967295.0, &v)) return -1;
			o->train.svm.seed = o->train.nbsvm.seed = (uint64_t)v;
			break;
		case OPT_THREADS:
			if (number("--threads", optarg, 1, TG_MAX_THREADS, &v)) return -1;
			o->train.threads = (int)v;
			break;
		case OPT_BUSY:
			if (number("--busy-timeout", optarg, 0, 1e9, &v)) return -1;
			o->busy_ms = (int)v;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		case 'V':
			printf("tg-train %s\n", TG_VERSION);
			return 1;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "tg-train: unknown option -%c or missing value\n", optopt);
			else
				fprintf(stderr, "tg-train: unknown option %s or missing value\n", argv[optind - 1]);
			fprintf(stderr, "Try 'tg-train --help'.\n");
			return -1;
		}
	}
	int n = argc - optind;
	char **rest = argv + optind;
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
		if (n == 2 && number("deploy ID", rest[1], 1, 9.2e18, &v) == 0)
			o->db = rest[0], o->model_id = (int64_t)v;
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
