#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "model_table.h"
#include "registry.h"

int tg_cmd_registry(const tg_options *o)
{
	sqlite3 *db = NULL;
	char err[TG_ERR_MAX] = "", what[128];
	/* The verb, as a failure to open the registry for it ends its message. */
	if (o->verb == TG_VERB_DEPLOY)
		snprintf(what, sizeof what, "deploying model %lld", (long long)o->model_id);
	else
		snprintf(what, sizeof what, o->verb == TG_VERB_ROLLBACK ? "rolling back '%.64s'" : "pruning models of '%.64s'",
		         o->name);
	int rc = o->verb == TG_VERB_LIST ? tg_reg_open_readonly(o->db, o->busy_ms, &db, err, sizeof err)
	                                 : tg_reg_open(o->db, o->busy_ms, what, &db, err, sizeof err);
	if (rc == TG_REG_OK) {
		int64_t id = 0;
		int n = 0;
		switch (o->verb) {
		case TG_VERB_LIST:
			rc = tg_reg_list(db, o->name_given ? o->name : NULL, stdout, err, sizeof err);
			break;
		case TG_VERB_DEPLOY:
			rc = tg_reg_deploy(db, o->model_id, err, sizeof err);
			if (rc == TG_REG_OK && !o->quiet)
				printf("deployed model %lld\n", (long long)o->model_id);
			break;
		case TG_VERB_ROLLBACK:
			rc = tg_reg_rollback(db, o->name, &id, err, sizeof err);
			if (rc == TG_REG_OK && !o->quiet)
				printf("rolled back '%s' to model %lld\n", o->name, (long long)id);
			break;
		case TG_VERB_PRUNE:
			rc = tg_reg_prune(db, o->name, o->keep, &n, err, sizeof err);
			if (rc == TG_REG_OK && !o->quiet)
				printf("deleted %d undeployed model%s of '%s'\n", n, n == 1 ? "" : "s", o->name);
			break;
		case TG_VERB_TRAIN:
		case TG_VERB_IMPORT:
			break;
		}
	}
	if (rc != TG_REG_OK)
		fprintf(stderr, "tg-train: %s\n", err);
	sqlite3_close(db);
	return rc == TG_REG_OK ? 0 : 1;
}
