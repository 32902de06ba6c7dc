/*
** The tokenizer shared by training and prediction: one pass over the bytes that
** finds token boundaries, folds case and hashes, so no copy of the text is made.
**
** A token is a maximal run of ASCII letters and digits and of non-ASCII UTF-8
** bytes, so words of any script stay whole.  Separators are every other ASCII byte,
** U+0080..U+00BF (no-break space, guillemets, inverted marks) and U+2000..U+203F
** (typographic spaces, dashes, curly quotes, ellipsis): those are what real overviews
** put between words.  ASCII and Latin-1 capitals are folded to lower case.  Tokens of
** one byte are dropped ("a", the "s" of "hero's"): they carry no genre.  Invalid UTF-8
** is not an error: its bytes are word bytes like any other.
*/
#ifndef TG_TOKENIZE_H
#define TG_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct tg_token {
	const unsigned char *start;  /* first byte of the token in the caller's text */
	size_t len;                  /* bytes, as in the text (before folding) */
	uint64_t hash;               /* FNV-1a of the case-folded bytes */
} tg_token;

typedef struct tg_tokenizer {
	const unsigned char *p;
	const unsigned char *end;
} tg_tokenizer;

#define TG_FNV_OFFSET 0xcbf29ce484222325ULL
#define TG_FNV_PRIME  0x100000001b3ULL

static inline void tg_tokenizer_init(tg_tokenizer *t, const void *text, size_t len)
{
	t->p = (const unsigned char *)text;
	t->end = t->p + len;
}

/*
** What a byte hashes as inside a word: ASCII capitals folded to lower case, every
** other word byte itself.  0 marks the bytes that need a closer look: ASCII
** separators (0x00 included), and C2, C3 and E2, which start a multi-byte separator
** or a Latin-1 capital, or are word bytes, depending on the bytes after them.  No
** word byte hashes as 0, so one load and one test classify the common case.
*/
static const unsigned char tg_fold_table[256] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
	0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
	0xc0, 0xc1, 0x00, 0x00, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
	0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
	0xe0, 0xe1, 0x00, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

/* Length of the separator starting at p (0 when p starts a word byte). */
static inline size_t tg_separator_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	if (tg_fold_table[c] != 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c == 0xC2 && end - p >= 2 && p[1] >= 0x80 && p[1] <= 0xBF)
		return 2;
	if (c == 0xE2 && end - p >= 3 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0xBF)
		return 3;
	return 0;
}

/* A Latin-1 capital at p (C3 80..C3 9E but the multiplication sign C3 97). */
static inline int tg_latin1_capital(const unsigned char *p, const unsigned char *end)
{
	return p[0] == 0xC3 && end - p >= 2 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97;
}

/* Returns 1 and fills *tok with the next token, or 0 at the end of the text. */
static inline int tg_next_token(tg_tokenizer *t, tg_token *tok)
{
	const unsigned char *p = t->p, *end = t->end;
	for (;;) {
		/* Skip separators: ASCII ones take the short path. */
		for (;;) {
			if (p >= end) {
				t->p = p;
				return 0;
			}
			if (tg_fold_table[*p] != 0)
				break;
			if (*p < 0x80) {
				p++;
				continue;
			}
			size_t sep = tg_separator_len(p, end);
			if (sep == 0)
				break;
			p += sep;
		}
		const unsigned char *start = p;
		uint64_t h = TG_FNV_OFFSET;
		while (p < end) {
			unsigned c = tg_fold_table[*p];
			if (c == 0) {
				if (*p < 0x80 || tg_separator_len(p, end) != 0)
					break;
				c = *p;
				if (tg_latin1_capital(p, end)) {
					/* Hash the lead byte, then the lower-case trail. */
					h = (h ^ c) * TG_FNV_PRIME;
					c = (unsigned)p[1] + 0x20;
					p++;
				}
			}
			h = (h ^ c) * TG_FNV_PRIME;
			p++;
		}
		if (p - start >= 2) {
			tok->start = start;
			tok->len = (size_t)(p - start);
			tok->hash = h;
			t->p = p;
			return 1;
		}
	}
}

/*
** Many tokens at a time, for prediction: tg_hash_scan_next() gives the hashes of the
** tokens of the next window of TG_SCAN_WINDOW bytes: the same tokens and hashes, in
** the same order, as tg_next_token (which stays the reference: the trainer's
** vocabulary, tg_explain and the tokenizer fuzzer use it).
**
** It rests on this: whether a byte is a separator, and what it hashes as, depends on
** its position alone (tg_byte_value), not on where a scan started, because the bytes
** that can start a multi-byte separator or a capital (C2, C3, E2) can never continue
** one (those are 80..BF).  So a window is classified 16 bytes at a time, and the
** FNV-1a chain, one multiply per byte, runs without a branch on the text: each byte's
** code (tg_scan_step) says whether the state carries over from the byte before or
** starts afresh, and whether a token ends there, and the hash of each token is handed
** out where a separator follows two word bytes.  With no branch on the data the window
** can be cut where words start into chains that run interleaved, so that the
** multiplies of different words overlap: a chain is bound by its multiply's latency,
** four of them by the instructions.
*/

/* What byte i of the text hashes as (0: a separator byte).  Bytes of a separator
** are 0, a Latin-1 capital's trail byte is lowered, and an ASCII capital folded: the
** rules of tg_next_token, asked from the byte's position (the bytes that start a
** separator or a capital are never 80..BF, so a trail byte's lead is 1 or 2 back). */
static inline unsigned tg_byte_value(const unsigned char *text, size_t n, size_t i)
{
	const unsigned char *p = text + i, *end = text + n;
	const unsigned c = *p;
	if (c < 0x80)
		return tg_fold_table[c];
	if (c >= 0xC0)   /* C2, C3 and E2 (0 in the table): a separator's lead, or a word byte */
		return tg_fold_table[c] != 0 || tg_separator_len(p, end) == 0 ? c : 0;
	if ((i >= 1 && tg_separator_len(p - 1, end) >= 2) || (i >= 2 && tg_separator_len(p - 2, end) == 3))
		return 0;                  /* 80..BF inside a separator */
	if (i >= 1 && tg_latin1_capital(p - 1, end))
		return c + 0x20;
	return c;
}

#define TG_SCAN_WINDOW 512
/* Hashes one window can give: a token needs two bytes and a separator, and one may
** have begun in the window before. */
#define TG_SCAN_MAX_TOKENS (TG_SCAN_WINDOW / 3 + 2)

typedef struct tg_hash_scan {
	const unsigned char *text;
	size_t n, at;
	uint64_t h;              /* the chain's state after the last byte scanned */
	unsigned char hist[2];   /* values of the last two bytes scanned */
} tg_hash_scan;

static inline void tg_hash_scan_init(tg_hash_scan *s, const void *text, size_t n)
{
	s->text = (const unsigned char *)text;
	s->n = n;
	s->at = 0;
	s->h = TG_FNV_OFFSET;
	s->hist[0] = s->hist[1] = 0;
}

/*
** One byte of the chain, by its code: the byte's value, plus 256 when the byte before
** it is not a word byte, or 512 for a separator that ends a token (one after two word
** bytes).  The step is h = ((h & keep) ^ in) * prime, with (keep, in) = (~0, value),
** or (0, offset basis ^ value) for a word's first byte, which so starts afresh; at a
** separator the state is not used.  The pairs come from tables rather than from a
** test, so the loop has no branch on the text.
*/
#define TG_CODE_RESET 256u
#define TG_CODE_EMIT  512u
#define TG_FNV_E(j) ((uint64_t)((j) >> 9))
#define TG_FNV_K(j) ((j) < 256 ? ~(uint64_t)0 : 0)
#define TG_FNV_I(j) ((j) < 256 ? (uint64_t)(j) : TG_FNV_OFFSET ^ (uint64_t)((j) & 255))
#define TG_FNV_2(f, j) f(j), f((j) + 1)
#define TG_FNV_8(f, j) TG_FNV_2(f, j), TG_FNV_2(f, (j) + 2), TG_FNV_2(f, (j) + 4), TG_FNV_2(f, (j) + 6)
#define TG_FNV_32(f, j) TG_FNV_8(f, j), TG_FNV_8(f, (j) + 8), TG_FNV_8(f, (j) + 16), TG_FNV_8(f, (j) + 24)
#define TG_FNV_128(f, j) TG_FNV_32(f, j), TG_FNV_32(f, (j) + 32), TG_FNV_32(f, (j) + 64), TG_FNV_32(f, (j) + 96)
#define TG_FNV_513(f) TG_FNV_128(f, 0), TG_FNV_128(f, 128), TG_FNV_128(f, 256), TG_FNV_128(f, 384), f(512)
static const uint64_t tg_fnv_keep[513] = { TG_FNV_513(TG_FNV_K) };
static const uint64_t tg_fnv_in[513] = { TG_FNV_513(TG_FNV_I) };
static const uint64_t tg_fnv_emit[513] = { TG_FNV_513(TG_FNV_E) };
#undef TG_FNV_E
#undef TG_FNV_K
#undef TG_FNV_I
#undef TG_FNV_2
#undef TG_FNV_8
#undef TG_FNV_32
#undef TG_FNV_128
#undef TG_FNV_513

/* The step at a byte of code c: first hands out the state as a token's hash if c
** ends one (out[*n], counted only then), then moves the chain on. */
static inline uint64_t tg_scan_step(uint64_t h, unsigned c, uint64_t *out, size_t *n)
{
	out[*n] = h;
	*n += tg_fnv_emit[c];
	return ((h & tg_fnv_keep[c]) ^ tg_fnv_in[c]) * TG_FNV_PRIME;
}

/* SSE2 is part of x86-64; elsewhere, or built with -DTG_NO_SIMD (to test it), the
** same results come from plain C. */
#if defined(__SSE2__) && !defined(TG_NO_SIMD)
#define TG_SSE2 1
#include <emmintrin.h>
/* Kernels for AVX2 and F16C, compiled with GCC's and clang's target attribute and used
** where the processor has them (tg_model.avx2). */
#if defined(__x86_64__) && defined(__GNUC__)
#define TG_AVX2 1
#include <cpuid.h>
#include <immintrin.h>
#endif
#endif

/* Values of text[at..at + w) into v[0..w).  Always inlined, as tg_hash_scan_next is
** (see there). */
static inline __attribute__((always_inline)) void tg_scan_values(const unsigned char *text, size_t n, size_t at, size_t w, unsigned char *v)
{
	size_t i = 0;
#ifdef TG_SSE2
	for (; i + 16 <= w; i += 16) {
		const __m128i c = _mm_loadu_si128((const __m128i *)(text + at + i));
		const __m128i lower = _mm_or_si128(c, _mm_set1_epi8(0x20));
		/* Unsigned range checks as signed ones, shifted by 128. */
		const __m128i alpha = _mm_cmplt_epi8(_mm_add_epi8(lower, _mm_set1_epi8((char)(128 - 'a'))),
		                                     _mm_set1_epi8((char)(-128 + 26)));
		const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(c, _mm_set1_epi8((char)(128 - '0'))),
		                                     _mm_set1_epi8((char)(-128 + 10)));
		/* Digits have bit 5 set already, so lower is the value of every ASCII word byte. */
		_mm_storeu_si128((__m128i *)(v + i), _mm_and_si128(lower, _mm_or_si128(alpha, digit)));
		for (unsigned high = (unsigned)_mm_movemask_epi8(c); high != 0; high &= high - 1) {
			const unsigned j = (unsigned)__builtin_ctz(high);
			v[i + j] = (unsigned char)tg_byte_value(text, n, at + i + j);
		}
	}
#endif
	for (; i < w; i++)
		v[i] = (unsigned char)tg_byte_value(text, n, at + i);
}

/*
** The codes (see tg_scan_step) of positions 0..n-1 from their values, v[-2..n) (v is
** read, and code written, to the next multiple of 16 past n).
*/
static inline void tg_scan_codes(const unsigned char *v, size_t n, uint16_t *code)
{
	size_t i = 0;
#ifdef TG_SSE2
	const __m128i z = _mm_setzero_si128(), one = _mm_set1_epi8(1), two = _mm_set1_epi8(2);
	for (; i < n; i += 16) {
		const __m128i v0 = _mm_loadu_si128((const __m128i *)(v + i));
		const __m128i s0 = _mm_cmpeq_epi8(v0, z);
		const __m128i s1 = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(v + i - 1)), z);
		const __m128i s2 = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(v + i - 2)), z);
		/* High byte: 1 (reset) after a separator, 2 (emit) at a separator after two word bytes. */
		const __m128i hi = _mm_or_si128(_mm_and_si128(s1, one),
		                                _mm_and_si128(_mm_andnot_si128(_mm_or_si128(s1, s2), s0), two));
		_mm_storeu_si128((__m128i *)(code + i), _mm_unpacklo_epi8(v0, hi));
		_mm_storeu_si128((__m128i *)(code + i + 8), _mm_unpackhi_epi8(v0, hi));
	}
#else
	for (; i < n; i++) {
		unsigned c = v[i];
		if (v[i - 1] == 0)
			c |= TG_CODE_RESET;
		else if (v[i] == 0 && v[i - 2] != 0)
			c = TG_CODE_EMIT;
		code[i] = (uint16_t)c;
	}
#endif
}

/* The first position p in [t, n) where a chain can begin (v[p - 1] is a separator),
** or n if none; v is zero from n on, for 16 bytes. */
static inline size_t tg_scan_start_at(const unsigned char *v, size_t t, size_t n)
{
	size_t p = t;
#ifdef TG_SSE2
	for (; p < n; p += 16) {
		const unsigned zero = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(v + p - 1)), _mm_setzero_si128()));
		if (zero) {
			p += (size_t)__builtin_ctz(zero);
			return p < n ? p : n;
		}
	}
	return n;
#else
	for (; p < n; p++)
		if (v[p - 1] == 0)
			return p;
	return n;
#endif
}

/* code[0..n) = the dummy code: no token ends there, and the state is not used.  It
** may write up to 31 codes more. */
static inline void tg_scan_dummy(uint16_t *code, size_t n)
{
	size_t i = 0;
#ifdef TG_SSE2
	const __m128i dummy = _mm_set1_epi16((short)TG_CODE_RESET);
	do {
		_mm_storeu_si128((__m128i *)(code + i), dummy);
		_mm_storeu_si128((__m128i *)(code + i + 8), dummy);
		_mm_storeu_si128((__m128i *)(code + i + 16), dummy);
		_mm_storeu_si128((__m128i *)(code + i + 24), dummy);
		i += 32;
	} while (i < n);
#else
	for (; i < n; i++)
		code[i] = TG_CODE_RESET;
#endif
}

/*
** Hashes of the tokens of the next window into out (room for TG_SCAN_MAX_TOKENS), in
** text order; returns how many.  Sets *last when the text has been scanned to its end
** (a token that runs to the end included); call it no more then.  Always inlined: the
** build that times tg_model_accumulate's stages (model.c) has four callers, and GCC
** would call it out of line there, so that the stages would not be tg.so's code.
*/
static inline __attribute__((always_inline)) size_t tg_hash_scan_next(tg_hash_scan *s, uint64_t *out, int *last)
{
	unsigned char vb[2 + TG_SCAN_WINDOW + 16];
	/* One lane of codes per chain, each TG_SCAN_WINDOW + 1 long and 32 to spare. */
	uint16_t lane[4][TG_SCAN_WINDOW + 1 + 32];
	uint64_t more[3][TG_SCAN_MAX_TOKENS];
	unsigned char *v = vb + 2;
	const size_t w = s->n - s->at < TG_SCAN_WINDOW ? s->n - s->at : TG_SCAN_WINDOW;
	*last = s->at + w == s->n;
	/* The end of the text is a separator: position w when this window is the last. */
	const size_t npos = w + (size_t)*last;

	vb[0] = s->hist[0];
	vb[1] = s->hist[1];
	tg_scan_values(s->text, s->n, s->at, w, v);
	memset(v + w, 0, 16);

	/*
	** Up to four chains, cut where a chain can begin, run interleaved.  To run the
	** same number of steps with no rest to finish alone, each gets a lane of that many
	** codes: the first chain's ends in dummy codes, the others' begin with them (the
	** first carries the state in, the last carries it out).
	*/
	size_t cut[5] = { 0, npos, npos, npos, npos };
	int chains = 1;
	for (int j = 1; j < 4 && npos >= 64; j++) {
		const size_t t = tg_scan_start_at(v, npos * (size_t)j / 4, npos);
		if (t < npos && t > cut[chains - 1])
			cut[chains++] = t;
	}
	cut[chains] = npos;
	size_t steps = 0;
	for (int j = 0; j < chains; j++)
		if (cut[j + 1] - cut[j] > steps)
			steps = cut[j + 1] - cut[j];
	for (int j = 0; j < chains; j++) {
		const size_t len = cut[j + 1] - cut[j], pad = steps - len;
		if (j == 0) {
			tg_scan_codes(v, len, lane[0]);
			tg_scan_dummy(lane[0] + len, pad);
		} else {
			tg_scan_dummy(lane[j], pad);
			tg_scan_codes(v + cut[j], len, lane[j] + pad);
		}
	}
	uint64_t h0 = s->h, h1 = 0, h2 = 0, h3 = 0;
	size_t n0 = 0, n1 = 0, n2 = 0, n3 = 0;
	if (chains == 4) {
		for (size_t i = 0; i < steps; i++) {
			h0 = tg_scan_step(h0, lane[0][i], out, &n0);
			h1 = tg_scan_step(h1, lane[1][i], more[0], &n1);
			h2 = tg_scan_step(h2, lane[2][i], more[1], &n2);
			h3 = tg_scan_step(h3, lane[3][i], more[2], &n3);
		}
	} else if (chains == 3) {
		for (size_t i = 0; i < steps; i++) {
			h0 = tg_scan_step(h0, lane[0][i], out, &n0);
			h1 = tg_scan_step(h1, lane[1][i], more[0], &n1);
			h2 = tg_scan_step(h2, lane[2][i], more[1], &n2);
		}
	} else if (chains == 2) {
		for (size_t i = 0; i < steps; i++) {
			h0 = tg_scan_step(h0, lane[0][i], out, &n0);
			h1 = tg_scan_step(h1, lane[1][i], more[0], &n1);
		}
	} else {
		for (size_t i = 0; i < steps; i++)
			h0 = tg_scan_step(h0, lane[0][i], out, &n0);
	}
	size_t count = n0;
	for (size_t i = 0; i < n1; i++)
		out[count++] = more[0][i];
	for (size_t i = 0; i < n2; i++)
		out[count++] = more[1][i];
	for (size_t i = 0; i < n3; i++)
		out[count++] = more[2][i];

	/* The state after byte w - 1, for a token that goes on in the next window. */
	s->h = chains == 4 ? h3 : chains == 3 ? h2 : chains == 2 ? h1 : h0;
	s->hist[0] = v[(ptrdiff_t)w - 2];
	s->hist[1] = v[(ptrdiff_t)w - 1];
	s->at += w;
	return count;
}

#endif
