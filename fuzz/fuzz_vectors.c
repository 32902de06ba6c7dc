/*
** libFuzzer harness: tg_vectors_read (trainer/read/vectors.c) on arbitrary bytes.
**
** The input after its first byte is written to a file and read.  The first byte picks
** the keep callback: every word, none, or those whose first byte is odd.  The result is
** compared with a reference reader written here from vectors.h's rules in the plainest
** way (the whole input in memory, split on LF, tokens copied and given to strtof, an
** O(n^2) duplicate search): both accept or both refuse, on the same line; an accepted
** file has n <= n_read, valid UTF-8 words, finite values, and the very words, values
** (bit for bit) and sha256 of the reference; a refused one has a message naming the
** file and nothing kept.  The Makefile builds the reader with a 7-byte chunk, 256-byte
** lines and 16 numbers at most, so that lines straddle chunks and the limits are hit.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"
#include "utf8.h"
#include "vectors.h"
#include "fuzz_check.h"

/* The reference reader's result. */
typedef struct {
	int ok;
	unsigned long line;  /* of the refusal; 0 for an empty file */
	size_t n_read, n;
	unsigned dim;
	char **words;        /* the kept ones */
	float *values;
} ref_result;

static int keep_mode(int mode, const char *word)
{
	return mode == 0 ? 1 : mode == 1 ? 0 : ((unsigned char)word[0] & 1);
}

static int keep_cb(void *ctx, const char *word, size_t len)
{
	CHECK(len > 0);
	return keep_mode(*(int *)ctx, word);
}

static int is_sep(char c)
{
	return c == ' ' || c == '\t';
}

static int all_digits(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static char *dup_bytes(const char *s, size_t len)
{
	char *c = malloc(len + 1);
	CHECK(c != NULL);
	memcpy(c, s, len);
	c[len] = '\0';
	return c;
}

/* Splits line s[0..len) on runs of spaces and tabs; returns the count, *tok owned. */
static size_t split(const char *s, size_t len, char ***tok)
{
	size_t n = 0;
	*tok = NULL;
	for (size_t i = 0; i < len;) {
		while (i < len && is_sep(s[i]))
			i++;
		if (i == len)
			break;
		size_t a = i;
		while (i < len && !is_sep(s[i]))
			i++;
		*tok = realloc(*tok, (n + 1) * sizeof **tok);
		CHECK(*tok != NULL);
		(*tok)[n++] = dup_bytes(s + a, i - a);
	}
	return n;
}

static void free_tokens(char **tok, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(tok[i]);
	free(tok);
}

/* A number token as vectors.h defines it: strtof reads it whole, finitely. */
static int ref_number(const char *t, float *out)
{
	if (t[0] == '\v' || t[0] == '\f' || t[0] == '\r')
		return 0;
	char *e;
	float v = strtof(t, &e);
	if (*e || !isfinite(v))
		return 0;
	*out = v;
	return 1;
}

static void ref_free(ref_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->words[i]);
	free(r->words);
	free(r->values);
}

static void ref_read(const char *d, size_t size, int mode, ref_result *r)
{
	memset(r, 0, sizeof *r);
	if (size == 0)
		return;
	char **all = NULL; /* every word, for the duplicate search */
	int header = 0;
	size_t header_n = 0;
	unsigned long line = 0;
	for (size_t pos = 0; pos < size; ) {
		line++;
		r->line = line;
		const char *nl = memchr(d + pos, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - (d + pos)) : size - pos;
		const char *s = d + pos;
		pos += len + 1;
		if (!nl) /* the last line has no line end, or is too long to tell */
			goto done;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (len > TG_VECTORS_MAX_LINE || memchr(s, '\0', len)) /* NUL: binary, refused anywhere */
			goto done;
		if (line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, len -= 3;
		char **tok;
		size_t nt = split(s, len, &tok);
		if (line == 1 && nt == 2 && all_digits(tok[0], strlen(tok[0])) && all_digits(tok[1], strlen(tok[1])) &&
		    !is_sep(s[0])) {
			/* too large for strtoull is ULLONG_MAX, which both limits refuse */
			unsigned long long n = strtoull(tok[0], NULL, 10), dim = strtoull(tok[1], NULL, 10);
			free_tokens(tok, nt);
			if (n > UINT32_MAX - 1 || dim < 1 || dim > TG_VECTORS_MAX_DIM)
				goto done;
			header = 1, header_n = (size_t)n, r->dim = (unsigned)dim;
			continue;
		}
		int bad = nt < 2 || is_sep(s[0]) || nt - 1 > TG_VECTORS_MAX_DIM || (header && r->n_read == header_n);
		for (size_t i = 0; !bad && i < len && !is_sep(s[i]); i++)
			bad = (unsigned char)s[i] < 0x20 || s[i] == 0x7f;
		if (!bad)
			bad = !tg_utf8_valid(tok[0], strlen(tok[0]));
		for (size_t i = 0; !bad && i < r->n_read; i++)
			bad = strcmp(all[i], tok[0]) == 0;
		if (!bad && r->dim && nt - 1 != r->dim)
			bad = 1;
		float *row = malloc(nt * sizeof *row);
		CHECK(row != NULL);
		for (size_t i = 1; !bad && i < nt; i++)
			bad = !ref_number(tok[i], &row[i - 1]);
		if (bad) {
			free(row);
			free_tokens(tok, nt);
			goto done;
		}
		r->dim = (unsigned)(nt - 1);
		all = realloc(all, (r->n_read + 1) * sizeof *all);
		CHECK(all != NULL);
		all[r->n_read++] = dup_bytes(tok[0], strlen(tok[0]));
		if (keep_mode(mode, tok[0])) {
			r->words = realloc(r->words, (r->n + 1) * sizeof *r->words);
			r->values = realloc(r->values, (r->n + 1) * r->dim * sizeof *r->values);
			CHECK(r->words && r->values);
			r->words[r->n] = dup_bytes(tok[0], strlen(tok[0]));
			memcpy(r->values + r->n * r->dim, row, r->dim * sizeof *row);
			r->n++;
		}
		free(row);
		free_tokens(tok, nt);
	}
	r->ok = (!header || r->n_read == header_n) && r->n_read > 0;
done:
	for (size_t i = 0; i < r->n_read; i++)
		free(all[i]);
	free(all);
	if (!r->ok) {
		ref_free(r);
		r->n = r->n_read = 0;
		r->words = NULL;
		r->values = NULL;
	}
}

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	int mode = data[0] % 3;
	const char *d = (const char *)data + 1;
	size--;
	if (!path[0]) {
		strcpy(path, "/tmp/tg_fuzz_vectors_XXXXXX");
		int fd = mkstemp(path);
		CHECK(fd >= 0);
		close(fd);
	}
	FILE *fp = fopen(path, "wb");
	CHECK(fp != NULL);
	CHECK(fwrite(d, 1, size, fp) == size);
	CHECK(fclose(fp) == 0);

	tg_vectors v;
	char err[256] = "";
	int rc = tg_vectors_read(path, keep_cb, &mode, &v, err, sizeof err);
	ref_result r;
	ref_read(d, size, mode, &r);
	size_t plen = strlen(path);
	unsigned long line = rc == 0 ? 0 : strtoul(err + plen + 1, NULL, 10);
	if ((rc == 0) != r.ok || (rc != 0 && line != r.line))
		fprintf(stderr, "reader: %s\nreference: %s on line %lu\n", rc ? err : "accepted",
		        r.ok ? "accepted" : "refused", r.line);
	CHECK((rc == 0) == r.ok);
	if (rc != 0) {
		CHECK(strncmp(err, path, plen) == 0 && err[plen] == ':');
		CHECK(line == r.line);
		CHECK(v.words == NULL && v.values == NULL && v.word_bytes == NULL);
		CHECK(v.n == 0 && v.n_read == 0 && v.dim == 0);
		return 0;
	}
	CHECK(v.n <= v.n_read);
	CHECK(v.n == r.n && v.n_read == r.n_read && v.dim == r.dim);
	CHECK(v.dim >= 1 && v.dim <= TG_VECTORS_MAX_DIM);
	for (size_t i = 0; i < v.n; i++) {
		CHECK(tg_utf8_valid(v.words[i], strlen(v.words[i])));
		CHECK(strcmp(v.words[i], r.words[i]) == 0);
	}
	for (size_t i = 0; i < v.n * v.dim; i++)
		CHECK(isfinite(v.values[i]));
	CHECK(v.n == 0 || memcmp(v.values, r.values, v.n * v.dim * sizeof(float)) == 0);
	unsigned char digest[TG_SHA256_DIGEST_LEN];
	tg_sha256 c;
	tg_sha256_init(&c);
	tg_sha256_update(&c, d, size);
	tg_sha256_final(&c, digest);
	CHECK(memcmp(v.sha256, digest, sizeof digest) == 0);
	tg_vectors_free(&v);
	ref_free(&r);
	return 0;
}
