/*
** Subwords: the character n-grams of a word, fastText's way of letting "murderer"
** learn from "murdered".  They exist only at training time.  A word's n-grams
** depend on the word alone, so once trained their weights are summed into the
** word's own row (tg_vocab_fold): the model keeps one row per word, and prediction
** still does one lookup per token and knows nothing of subwords.
**
** A word's n-grams are those of its case-folded bytes (what the tokenizer hashes)
** between "<" and ">", so that a prefix differs from the same letters inside a word,
** of min..max bytes, the bracketed word itself excluded (it is the word's own
** feature).  Only words the model keeps have them: a word it has no row for
** contributes nothing, in training as in prediction.
*/
#ifndef TG_SUBWORD_H
#define TG_SUBWORD_H

#include <stddef.h>
#include <stdint.h>

#define TG_SUBWORD_MIN_N 2u
#define TG_SUBWORD_MAX_N 8u
/* Longer words (folded bytes) have no n-grams: a word that long is a URL or a run of
** letters, not morphology. */
#define TG_SUBWORD_MAX_WORD 64u
/* The most n-grams one word can have: one of each length at each position. */
#define TG_SUBWORD_MAX_KEYS ((TG_SUBWORD_MAX_N - TG_SUBWORD_MIN_N + 1) * (TG_SUBWORD_MAX_WORD + 2))

/* The n-gram lengths; min == 0: no subwords. */
typedef struct tg_subword_range {
	uint32_t min, max;
} tg_subword_range;

/*
** The keys of a token's n-grams into keys (room for TG_SUBWORD_MAX_KEYS), in order of
** length then position, repeats kept (a word's repeated n-gram counts twice, as a
** word repeated in a text does); returns how many.  token is the token's bytes as in
** the text (tg_token's start and len).  The keys never equal a word's or a bigram's.
*/
size_t tg_subword_keys(const unsigned char *token, size_t len, tg_subword_range r, uint64_t *keys);

#endif
