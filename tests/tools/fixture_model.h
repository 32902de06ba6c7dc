/*
** The hand-designed models of every test, small enough to work out every expected
** output on paper: tests/unit/check_extension.c, tests/tools/tg-fixture.c (the SQL
** tests' registry), the hardening tests (tests/hardening/oom_ext.c, threads.c) and the
** fuzzers' models (fuzz/fuzz_sql.c, fuzz/gen_corpus.c).
**
** Model 'genre' version 1 (labels Horror, Romance, Comedy; unigrams and bigrams).
** Every feature row has norm2 = 1, so a text whose known features occur n times in
** all has the margin bias + (sum of their weights) / sqrt(n).
**
**   feature          Horror  Romance  Comedy
**   ghost              2.54    -1.00    0.00
**   love              -1.00     2.54    0.50
**   funny              0.00     0.50    1.27
**   wedding            0.00     1.27    1.27
**   "haunted house"    2.54     0.00   -1.00     (a bigram; neither word is known alone)
**
**   label    bias  platt_a  platt_b  threshold
**   Horror   0.0   1.0      0.0      0.5
**   Romance  0.0   1.0      0.0      0.5
**   Comedy   0.5   2.0     -1.0      0.6         so its logit is 2 * (sum / sqrt(n))
**
** The weights are exact in the format's int8 quantization (q * max|w| / 127).
** Examples:  "A ghost story": z = (2.54, -1, 0): Horror 0.9269, Comedy 0.5000,
** Romance 0.2689; tagged: Horror only (Comedy's threshold is 0.6).
**
** Model 'genre' version 2: the same labels with "ghost" moved to Comedy
** (0, 0, 1.27), so "A ghost story" becomes Comedy after a redeploy.
**
** Model 'mood': labels Dark and Light "fun" (a quote, to test JSON escaping);
** ghost (1.27, 0), funny (0, 1.27); unigrams only; all Platt 1/0, thresholds 0.5.
**
** Model 'wide': labels A and B; the twelve words w1 .. w12, word wi weighing
** (-1)^i * i / 10 for A and 0 for B; unigrams only.  In "w1 w2 ... w12" (norm 12)
** wi contributes (-1)^i * i / (10 * sqrt(12)) to A: enough features to test
** tg_explain's limit of 10.
**
** Model 'many' (FIXTURE_MANY_LABELS): genre v1's features with 64 labels, the most a
** model may have: Horror, Romance, Comedy as in genre v1, then "Genre 3" .. "Genre 63"
** weighing -0.3 for every feature.  Model 'empty' (FIXTURE_EMPTY): genre v1's labels
** and no feature at all.
**
** The hardening tests and the fuzzers take the models fixture_variant(0 ..
** FIXTURE_VARIANTS - 1) gives (both kinds of features, unigrams only, the most labels,
** no features) and score the texts of fixture_text.
*/
#ifndef TG_FIXTURE_MODEL_H
#define TG_FIXTURE_MODEL_H

#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

#include "feature_keys.h"
#include "model_write.h"

static inline uint64_t fixture_hash(const char *word)
{
	tg_tokenizer t;
	tg_token tok = { NULL, 0, 0 };
	tg_tokenizer_init(&t, word, strlen(word));
	tg_next_token(&t, &tok);
	return tok.hash;
}

enum fixture_which {
	FIXTURE_GENRE_V1, FIXTURE_GENRE_V2, FIXTURE_MOOD, FIXTURE_WIDE, FIXTURE_TITLED, FIXTURE_MANY_LABELS, FIXTURE_EMPTY
};

#define FIXTURE_VARIANTS 4

/* The models of the hardening tests and the fuzzers, v < FIXTURE_VARIANTS. */
static inline enum fixture_which fixture_variant(unsigned v)
{
	static const enum fixture_which variants[FIXTURE_VARIANTS] = {
		FIXTURE_GENRE_V1, FIXTURE_MOOD, FIXTURE_MANY_LABELS, FIXTURE_EMPTY,
	};
	return variants[v % FIXTURE_VARIANTS];
}

/* Texts the hardening tests score: the first five mention the models' words (genre
** v1's and mood's), then one with no known word, an empty one and one in other
** scripts and cases; NULL after the last. */
static inline const char *fixture_text(size_t i)
{
	static const char *const texts[] = {
		"A haunted house, a ghost and a demon: the family will not survive the night.",
		"Two funny misfits crash a wedding.",
		"She falls in love at her sister's wedding.",
		"A ghost with a funny side falls in love.",
		"The haunted house was funny, the ghost in love, the wedding a ghost story.",
		"Nothing here is known to the model at all.",
		"",
		"\xC3\x89T\xC3\x89 \xE2\x80\x94 GHOST \xC2\xA0 Love\xE2\x80\xA6 FUNNY",
	};
	return i < sizeof texts / sizeof *texts ? texts[i] : NULL;
}

/* The blob of a fixture model (free with sqlite3_free); 0 or -1. */
static inline int fixture_blob(enum fixture_which which, unsigned char **blob, size_t *len)
{
	static const char *const genre_labels[] = { "Horror", "Romance", "Comedy" };
	static const tg_label_params genre_params[] = {
		{ 0.0f, 1.0f, 0.0f, 0.5f },
		{ 0.0f, 1.0f, 0.0f, 0.5f },
		{ 0.5f, 2.0f, -1.0f, 0.6f },
	};
	static const char *const mood_labels[] = { "Dark", "Light \"fun\"" };
	static const tg_label_params mood_params[] = {
		{ 0.0f, 1.0f, 0.0f, 0.5f },
		{ 0.0f, 1.0f, 0.0f, 0.5f },
	};
	const float norm2[12] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	uint64_t keys[5] = {
		tg_unigram_key(fixture_hash("ghost")),
		tg_unigram_key(fixture_hash("love")),
		tg_unigram_key(fixture_hash("funny")),
		tg_unigram_key(fixture_hash("wedding")),
		tg_bigram_key(fixture_hash("haunted"), fixture_hash("house")),
	};
	float genre_weights[5 * 3] = {
		2.54f, -1.00f, 0.00f,
		-1.00f, 2.54f, 0.50f,
		0.00f, 0.50f, 1.27f,
		0.00f, 1.27f, 1.27f,
		2.54f, 0.00f, -1.00f,
	};
	if (which == FIXTURE_GENRE_V2) {
		genre_weights[0] = 0.00f;
		genre_weights[1] = 0.00f;
		genre_weights[2] = 1.27f;
	}
	uint64_t mood_keys[2] = { keys[0], keys[2] };
	const float mood_weights[2 * 2] = { 1.27f, 0.00f, 0.00f, 1.27f };
	static const char *const wide_labels[] = { "A", "B" };
	uint64_t wide_keys[12];
	float wide_weights[12 * 2];
	for (int i = 1; i <= 12; i++) {
		char word[16];
		snprintf(word, sizeof word, "w%d", i);
		wide_keys[i - 1] = tg_unigram_key(fixture_hash(word));
		wide_weights[2 * (i - 1)] = (i % 2 ? -1.0f : 1.0f) * (float)i / 10.0f;
		wide_weights[2 * (i - 1) + 1] = 0.0f;
	}
	enum { MANY = TG_MODEL_MAX_LABELS };
	const char *many_labels[MANY];
	tg_label_params many_params[MANY];
	char many_names[MANY][16];
	float many_weights[5 * MANY];
	for (uint32_t k = 0; which == FIXTURE_MANY_LABELS && k < MANY; k++) {
		snprintf(many_names[k], sizeof many_names[k], "Genre %u", (unsigned)k);
		many_labels[k] = k < 3 ? genre_labels[k] : many_names[k];
		many_params[k] = k < 3 ? genre_params[k] : mood_params[0];
		for (uint32_t r = 0; r < 5; r++)
			many_weights[r * MANY + k] = k < 3 ? genre_weights[r * 3 + k] : -0.3f;
	}
	tg_model_spec spec;
	if (which == FIXTURE_MANY_LABELS)
		spec = (tg_model_spec){ TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM, MANY, many_labels, many_params, 5, keys,
		                        many_weights, norm2 };
	else if (which == FIXTURE_EMPTY)
		spec = (tg_model_spec){ TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM, 3, genre_labels, genre_params, 0, keys,
		                        genre_weights, norm2 };
	else if (which == FIXTURE_WIDE)
		spec = (tg_model_spec){ TG_FEAT_UNIGRAM, 2, wide_labels, mood_params, 12, wide_keys, wide_weights, norm2 };
	else if (which == FIXTURE_MOOD)
		spec = (tg_model_spec){ TG_FEAT_UNIGRAM, 2, mood_labels, mood_params, 2, mood_keys, mood_weights, norm2 };
	else
		spec = (tg_model_spec){ TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM, 3, genre_labels, genre_params,
		                        5, keys, genre_weights, norm2 };
	if (which == FIXTURE_TITLED)   /* genre v1, read as "TITLE. OVERVIEW" */
		spec.features |= TG_FEAT_TITLE;
	char err[200];
	if (tg_model_write(&spec, blob, len, err, sizeof err) != 0) {
		fprintf(stderr, "fixture: %s\n", err);
		return -1;
	}
	return 0;
}

/* The registry table, as registry/registry.sql defines it. */
#define FIXTURE_REGISTRY_SQL                                                                   \
	"CREATE TABLE IF NOT EXISTS tg_models(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"     \
	" created_at TEXT, format INTEGER, params TEXT, metrics TEXT, data_sha256 TEXT,"       \
	" deployed INTEGER NOT NULL DEFAULT 0, model BLOB)"

#define FIXTURE_SHA256 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

/* Inserts a model row with fixed metadata; returns an SQLite code. */
static inline int fixture_insert(sqlite3 *db, sqlite3_int64 id, const char *name, int deployed,
                                 const unsigned char *blob, size_t len)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db,
	        "INSERT INTO tg_models(id, name, created_at, format, params, metrics, data_sha256, deployed, model)"
	        " VALUES(?1, ?2, '2024-05-01 12:00:00', 1, '{\"epochs\": 5, \"l2\": 0.0001}',"
	        " '{\"micro_f1\": 0.75, \"n_test\": 40}', '" FIXTURE_SHA256 "', ?3, ?4)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, deployed);
	sqlite3_bind_blob64(st, 4, blob, len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static inline int fixture_insert_model(sqlite3 *db, sqlite3_int64 id, const char *name, int deployed,
                                       enum fixture_which which)
{
	unsigned char *blob;
	size_t len;
	if (fixture_blob(which, &blob, &len) != 0)
		return SQLITE_ERROR;
	int rc = fixture_insert(db, id, name, deployed, blob, len);
	sqlite3_free(blob);
	return rc;
}

/*
** The standard registry of the tests:
**   1 genre  v1  deployed      3 genre v2 not deployed    5 shelved v1 not deployed
**   2 mood       deployed      4 broken: v1 with one byte flipped, deployed
**   6 wide       deployed      8 titled: genre v1 read with titles, deployed
*/
static inline int fixture_populate(sqlite3 *db)
{
	int rc = sqlite3_exec(db, FIXTURE_REGISTRY_SQL, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = fixture_insert_model(db, 1, "genre", 1, FIXTURE_GENRE_V1);
	if (rc == SQLITE_OK)
		rc = fixture_insert_model(db, 2, "mood", 1, FIXTURE_MOOD);
	if (rc == SQLITE_OK)
		rc = fixture_insert_model(db, 3, "genre", 0, FIXTURE_GENRE_V2);
	if (rc == SQLITE_OK)
		rc = fixture_insert_model(db, 5, "shelved", 0, FIXTURE_GENRE_V1);
	if (rc == SQLITE_OK) {
		unsigned char *blob;
		size_t len;
		if (fixture_blob(FIXTURE_GENRE_V1, &blob, &len) != 0)
			return SQLITE_ERROR;
		blob[len - 1] ^= 0x01; /* the last byte: the checksum no longer matches */
		rc = fixture_insert(db, 4, "broken", 1, blob, len);
		sqlite3_free(blob);
	}
	if (rc == SQLITE_OK)
		rc = fixture_insert_model(db, 6, "wide", 1, FIXTURE_WIDE);
	if (rc == SQLITE_OK)
		rc = fixture_insert_model(db, 8, "titled", 1, FIXTURE_TITLED);
	return rc;
}

#endif
