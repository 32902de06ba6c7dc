/* tg-train's verbs; each returns the process exit status. */
#ifndef TG_COMMANDS_H
#define TG_COMMANDS_H

#include "options.h"

int tg_cmd_train(const tg_options *o);
int tg_cmd_registry(const tg_options *o);   /* list, deploy, rollback, prune */
int tg_cmd_import(const tg_options *o);

#endif
