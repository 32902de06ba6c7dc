/* tg-train's command line, parsed once into one struct the verbs read. */
#ifndef TG_OPTIONS_H
#define TG_OPTIONS_H

#include <stdint.h>
#include "prepare.h"
#include "registry.h"
#include "train.h"

typedef enum {
	TG_VERB_TRAIN, TG_VERB_LIST, TG_VERB_DEPLOY, TG_VERB_ROLLBACK, TG_VERB_PRUNE, TG_VERB_IMPORT
} tg_verb;

typedef struct tg_options {
	tg_verb verb;
	const char *csv;            /* train from this file ... */
	const char *query;          /* ... or from this SQL over db */
	const char *db;
	const char *src;            /* import: the registry to copy from (db is the destination) */
	const char *name;
	int name_given;             /* list: only this name */
	const char *report;         /* HTML report path */
	int64_t model_id;           /* deploy; import --id (0: the deployed model of name) */
	int keep;                   /* prune */
	tg_deploy_policy deploy;
	int force, quiet, ablation;
	size_t max_record_bytes;
	int busy_ms;
	const char *vectors;        /* --vectors: pretrained word vectors */
	tg_prepare_options prepare;
	tg_train_config train;
} tg_options;

/* Returns 0 to run, 1 when --help/--version printed (exit 0), -1 on a usage error
** (message printed). */
int tg_options_parse(int argc, char **argv, tg_options *o);

#endif
