/*
** Pretrained word vectors in the ecosystem's text format (GloVe, word2vec text, fastText
** .vec): one word and its floats per line, with fastText's optional "N D" header line.
** Training-time input only: neither tg.so nor a model blob carries the vectors.
**
** What a file may hold, exactly:
**   - An optional UTF-8 byte order mark, skipped.
**   - An optional header: a first line of exactly two unsigned decimal integers "N D"
**     (N words of D floats).  A first line of two integers is always taken as a header.
**     The file must then hold exactly N words of D numbers each.
**   - Then one word per line: the word, then its numbers.  Fields are separated by runs
**     of spaces or tabs; spaces and tabs before the line end are allowed (fastText writes
**     one), a line may not start with one (that would be an empty word).  Lines end in
**     LF or CRLF, the last one too: a file whose last line has no line end is taken as
**     cut short.  No blank lines.
**   - A word is 1 or more bytes of valid UTF-8 (RFC 3629) with no ASCII control
**     character (bytes 0x00-0x1F, 0x7F) and no space; each word appears once.
**   - A number is any text strtof() reads whole in the C locale (decimal, exponent, hex)
**     whose value is finite: NaN, inf and values beyond float's range are refused.
**     Values are those strtof gives, correctly rounded to float; the common decimal forms
**     take a faster exact path that gives the same bits.
**   - Every line has the same count of numbers, 1 to TG_VECTORS_MAX_DIM (the header's D
**     when there is one), and a line is at most TG_VECTORS_MAX_LINE bytes.
** Anything else is refused with a message naming the file, the line and the cause, and
** nothing is kept.
*/
#ifndef TG_VECTORS_H
#define TG_VECTORS_H

#include <stddef.h>
#include <stdint.h>

/* The fuzz build makes these small, to reach them. */
#ifndef TG_VECTORS_MAX_LINE
#define TG_VECTORS_MAX_LINE (1u << 20)  /* bytes in one line, its line end excluded */
#endif
#ifndef TG_VECTORS_MAX_DIM
#define TG_VECTORS_MAX_DIM 10000u       /* numbers per word */
#endif

typedef struct tg_vectors {
	uint32_t dim;          /* floats per word */
	size_t n;              /* words kept (those the keep callback accepted) */
	size_t n_read;         /* words in the file */
	const char **words;    /* n NUL-terminated UTF-8 words, in file order */
	float *values;         /* n x dim, row-major, in the same order */
	uint8_t sha256[32];    /* of the file's bytes, as read */
	/* private storage follows */
	char *word_bytes;      /* every word of the file, NUL-terminated; words[] points into it */
} tg_vectors;

/* Called once per word of the file (bytes exactly as in the file, not NUL-terminated):
** return 1 to keep its vector, 0 to skip it.  NULL keeps every word. */
typedef int (*tg_vectors_keep_fn)(void *ctx, const char *word, size_t len);

/* Reads PATH whole.  Every word is checked (valid UTF-8, no duplicates, dim finite floats per
** line, same dim on every line and as the header says, header count matches), kept or not.
** Returns 0, or -1 with a message naming the file, the line and the cause in err
** (e.g. "vectors.vec:12: 99 numbers where the others have 100"); out is then empty. */
int tg_vectors_read(const char *path, tg_vectors_keep_fn keep, void *ctx, tg_vectors *out,
                    char *err, size_t errlen);

/* Frees what tg_vectors_read gave and empties v; an empty v is fine. */
void tg_vectors_free(tg_vectors *v);

#endif
