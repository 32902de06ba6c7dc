/* See testmodel.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "feature_keys.h"
#include "model_write.h"
#include "testmodel.h"

static const char *const genres[] = { "Horror", "Comedy", "Science Fiction", "Romance", "Drama" };

/* Words (and "a b" bigrams) per genre, in the order of genres[]. */
static const char *const words[][6] = {
	{ "ghost", "haunted", "demon", "blood", "haunted house", "killer" },
	{ "funny", "wacky", "hilarious", "prank", "road trip", "misfits" },
	{ "alien", "spaceship", "planet", "robot", "outer space", "galaxy" },
	{ "love", "wedding", "kiss", "heart", "falls in", "in love" },
	{ "family", "grief", "father", "struggle", "true story", "mother" },
};

const char *const tg_testmodel_texts[] = {
	"A haunted house, a ghost and a demon: the family will not survive the night.",
	"Two wacky misfits go on a hilarious road trip.",
	"An alien robot lands its spaceship on a distant planet in outer space.",
	"She falls in love with the groom at her sister's wedding.",
	"A father's grief tears a family apart; based on a true story.",
	"Nothing here is known to the model at all.",
	"",
	"\xC3\x89T\xC3\x89 \xE2\x80\x94 GHOST \xC2\xA0 Love\xE2\x80\xA6 ALIEN",
	NULL,
};

/* Hash of the first token of w, and of its second when it is a bigram. */
static uint64_t word_key(const char *w)
{
	tg_tokenizer t;
	tg_token a, b;
	tg_tokenizer_init(&t, w, strlen(w));
	if (!tg_next_token(&t, &a))
		return 0;
	if (tg_next_token(&t, &b))
		return tg_bigram_key(a.hash, b.hash);
	return tg_unigram_key(a.hash);
}

int tg_testmodel_build(unsigned v, unsigned char **blob, size_t *len)
{
	enum { G = sizeof genres / sizeof *genres, W = 6, MAXL = TG_MODEL_MAX_LABELS };
	const char *labels[MAXL];
	char names[MAXL][24];
	tg_label_params params[MAXL];
	uint64_t keys[G * W];
	float weights[G * W * MAXL];
	float norm2[G * W];
	uint32_t n_labels = v == 1 ? 1 : v == 2 ? MAXL : G;
	uint32_t features = v == 1 ? TG_FEAT_UNIGRAM : TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM;

	for (uint32_t k = 0; k < n_labels; k++) {
		if (k < G) {
			labels[k] = genres[k];
		} else {
			snprintf(names[k], sizeof names[k], "Genre %u", k);
			labels[k] = names[k];
		}
		params[k] = (tg_label_params){ .bias = -1.0f + 0.01f * (float)k, .platt_a = 1.5f,
		                               .platt_b = -0.25f, .threshold = 0.4f };
	}
	uint32_t n_rows = 0;
	if (v != 3) {
		for (uint32_t g = 0; g < G; g++)
			for (uint32_t w = 0; w < W; w++) {
				if (v == 1 && strchr(words[g][w], ' '))
					continue;
				keys[n_rows] = word_key(words[g][w]);
				for (uint32_t k = 0; k < n_labels; k++)
					weights[(size_t)n_rows * n_labels + k] =
					    k == g ? 2.0f + 0.1f * (float)w : -0.3f - 0.01f * (float)k;
				norm2[n_rows] = 0.5f + 0.05f * (float)w;
				n_rows++;
			}
	}
	tg_model_spec spec = { .features = features, .n_labels = n_labels, .labels = labels,
		               .params = params, .n_rows = n_rows, .keys = keys, .weights = weights,
		               .norm2 = norm2 };
	char err[256];
	if (tg_model_write(&spec, blob, len, err, sizeof err) != 0) {
		fprintf(stderr, "testmodel: %s\n", err);
		return -1;
	}
	return 0;
}
