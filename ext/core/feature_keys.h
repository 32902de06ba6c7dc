/*
** Feature keys: what a token stream means to the model.  Each token yields its
** unigram key and, after the first, the key of the bigram it ends.  Training counts
** these keys and prediction looks them up; both call this one function, so a text
** gets the same features on both sides.
*/
#ifndef TG_FEATURE_KEYS_H
#define TG_FEATURE_KEYS_H

#include "tokenize.h"

/* Bits of the model's feature set (stored in the blob header).  TG_FEAT_TITLE is
** not a kind of key: it says the model's text is a film's title and overview joined
** by film_text.h, so that tg_text() knows what to hand it. */
#define TG_FEAT_UNIGRAM 0x1u
#define TG_FEAT_BIGRAM  0x2u
#define TG_FEAT_TITLE   0x4u
#define TG_FEAT_WORDS   (TG_FEAT_UNIGRAM | TG_FEAT_BIGRAM)

/* Bumped whenever tokenize.h or the key derivation below changes meaning. */
#define TG_TOKENIZER_VERSION 1u

/* splitmix64's finalizer: spreads FNV's weak low bits over the whole key. */
static inline uint64_t tg_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static inline uint64_t tg_unigram_key(uint64_t token_hash)
{
	return tg_mix64(token_hash);
}

static inline uint64_t tg_bigram_key(uint64_t prev_hash, uint64_t token_hash)
{
	/* Rotating the first hash makes "dog bites" and "bites dog" differ. */
	return tg_mix64(((prev_hash << 23) | (prev_hash >> 41)) ^ token_hash ^ 0x9e3779b97f4a7c15ULL);
}

typedef struct tg_feature_iter {
	tg_tokenizer tok;
	unsigned flags;
	tg_token prev;   /* start == NULL before the first token */
} tg_feature_iter;

static inline void tg_features_init(tg_feature_iter *it, const void *text, size_t len, unsigned flags)
{
	tg_tokenizer_init(&it->tok, text, len);
	it->flags = flags;
	it->prev = (tg_token){ NULL, 0, 0 };
}

/*
** Advances to the next token.  Returns the number of keys written to keys[0..1]
** (unigram first, then bigram), which may be 0 for a token that yields none under
** the flags; returns -1 at the end of the text.  *tok is the token, *prev_start the
** start of the bigram's first token (for showing a bigram's text).
*/
static inline int tg_features_next(tg_feature_iter *it, tg_token *tok, uint64_t keys[2],
                                   const unsigned char **prev_start)
{
	if (!tg_next_token(&it->tok, tok))
		return -1;
	int n = 0;
	if (it->flags & TG_FEAT_UNIGRAM)
		keys[n++] = tg_unigram_key(tok->hash);
	if ((it->flags & TG_FEAT_BIGRAM) && it->prev.start)
		keys[n++] = tg_bigram_key(it->prev.hash, tok->hash);
	*prev_start = it->prev.start ? it->prev.start : tok->start;
	it->prev = *tok;
	return n;
}

#endif
