/* tg-train: see options.c for the command line and README.md for the whole story. */
#include "commands.h"

int main(int argc, char **argv)
{
	tg_options o;
	int parsed = tg_options_parse(argc, argv, &o);
	if (parsed != 0)
		return parsed > 0 ? 0 : 2;
	switch (o.verb) {
	case TG_VERB_TRAIN: return tg_cmd_train(&o);
	case TG_VERB_IMPORT: return tg_cmd_import(&o);
	default: return tg_cmd_registry(&o);
	}
}
