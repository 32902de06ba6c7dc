/*
** The scorer: a text's feature keys looked up in the model's slot table, their rows
** summed with the widest kernel this processor runs (AVX2+F16C, SSE2 or portable C),
** then logits, the top label and per-feature contributions.  It trusts the model
** completely: model_load.c checked every value it reads.
*/
#include <math.h>
#include <string.h>

#include "glibc_compat.h"

#include "model.h"
#include "score_stages.h"

#ifdef TG_AVX2
/* AVX2 and F16C, and the OS saving the YMM registers (XGETBV), from CPUID. */
static int detect_avx2_f16c(void)
{
	unsigned a, b, c, d, lo, hi;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX) || !(c & bit_F16C))
		return 0;
	__asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & 6u) != 6u)
		return 0;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX2);
}
#endif

/* Asked once per process: CPUID traps to the hypervisor in a VM.  Threads that race
** here store the same answer. */
uint32_t tg_cpu_has_avx2_f16c(void)
{
#ifdef TG_AVX2
	static int known = -1;
	int has = __atomic_load_n(&known, __ATOMIC_RELAXED);
	if (has < 0) {
		has = detect_avx2_f16c();
		__atomic_store_n(&known, has, __ATOMIC_RELAXED);
	}
	return (uint32_t)has;
#else
	return 0;
#endif
}

const char *tg_simd_path(void)
{
	if (tg_cpu_has_avx2_f16c())
		return "avx2+f16c";
#if defined(__SSE2__) && !defined(TG_NO_SIMD)
	return "sse2";
#else
	return "portable C";
#endif
}

/* Keys looked up per batch: a typical overview (about 100 keys) is one batch, and the
** batch's key and row arrays (TG_MAX_KEYS entries, 7.5 KiB) stay on the stack. */
#define TG_BATCH 128
/* Keys one batch can hold: TG_BATCH, and the keys of the last window added. */
#define TG_MAX_KEYS (TG_BATCH + 2 * TG_SCAN_MAX_TOKENS)

#ifdef TG_SSE2

/*
** The row's scale / 2^24 and its norm2 as floats in lanes 0 and 1.  A half that is
** zero or normal is a float with the exponent rebiased: shifted into place, times
** 2^112 (2^88 for the scale, folding in the 2^-24).
*/
static inline __m128 row_halves(const tg_model_row *row)
{
	uint32_t w;
	memcpy(&w, row, 4);
	const __m128i h = _mm_unpacklo_epi16(_mm_cvtsi32_si128((int)w), _mm_setzero_si128());
	return _mm_mul_ps(_mm_castsi128_ps(_mm_slli_epi32(h, 13)), _mm_setr_ps(0x1p88f, 0x1p112f, 0.0f, 0.0f));
}

/*
** Weights times 2^24 as floats: a byte moved to the top of a 32-bit lane is the
** weight times 2^24 as an integer, which converts exactly.  Times scale / 2^24 that
** is scale * weight exactly (a half times a byte has 19 significant bits), so the
** sums are those of scale * (float)q, with no shift to sign-extend the bytes.
*/
#define TG_Q_HI_LANES(lo, hi) _mm_cvtepi32_ps(_mm_unpack##hi##_epi16(_mm_setzero_si128(), (lo)))

static inline __m128 q4(const int8_t *q)
{
	uint32_t w;
	memcpy(&w, q, 4);
	return TG_Q_HI_LANES(_mm_unpacklo_epi8(_mm_setzero_si128(), _mm_cvtsi32_si128((int)w)), lo);
}

/* Adds the rows with the accumulators in registers; width is a constant in each call. */
static inline __attribute__((always_inline)) void add_rows_w(const tg_model_row *const *rows, size_t n,
                                                           float *acc, double *norm2, uint32_t width)
{
	__m128 a[8];
	for (uint32_t v = 0; v < width / 4; v++)
		a[v] = _mm_loadu_ps(acc + 4 * v);
	double n2 = *norm2;
	for (size_t r = 0; r < n; r++) {
		const tg_model_row *row = rows[r];
		const __m128 sn = row_halves(row);
		const __m128 s = _mm_shuffle_ps(sn, sn, 0);
		n2 += (double)_mm_cvtss_f32(_mm_shuffle_ps(sn, sn, 1));
		uint32_t v = 0;
		/* 16 weights at a time; the row holds width of them, so the load stays in it. */
		for (; 4 * v + 16 <= width; v += 4) {
			const __m128i b = _mm_loadu_si128((const __m128i *)(row->q + 4 * v));
			const __m128i lo = _mm_unpacklo_epi8(_mm_setzero_si128(), b);
			const __m128i hi = _mm_unpackhi_epi8(_mm_setzero_si128(), b);
			a[v] = _mm_add_ps(a[v], _mm_mul_ps(s, TG_Q_HI_LANES(lo, lo)));
			a[v + 1] = _mm_add_ps(a[v + 1], _mm_mul_ps(s, TG_Q_HI_LANES(lo, hi)));
			a[v + 2] = _mm_add_ps(a[v + 2], _mm_mul_ps(s, TG_Q_HI_LANES(hi, lo)));
			a[v + 3] = _mm_add_ps(a[v + 3], _mm_mul_ps(s, TG_Q_HI_LANES(hi, hi)));
		}
		for (; v < width / 4; v++)
			a[v] = _mm_add_ps(a[v], _mm_mul_ps(s, q4(row->q + 4 * v)));
	}
	*norm2 = n2;
	for (uint32_t v = 0; v < width / 4; v++)
		_mm_storeu_ps(acc + 4 * v, a[v]);
}
#endif


/* acc[k] += scale * q[k] and norm2 += norm2 for each row, in order.  Every path does
** the same float operations in the same order, so all give the same sums. */
static inline __attribute__((always_inline)) void add_rows(const tg_model_row *const *rows, size_t n, float *acc,
                                                         double *norm2, uint32_t width)
{
#ifdef TG_SSE2
	if (width <= 32) {
		add_rows_w(rows, n, acc, norm2, width);
		return;
	}
#endif
	for (size_t r = 0; r < n; r++) {
		const tg_model_row *row = rows[r];
		const float s = tg_row_scale(row);
		*norm2 += tg_row_norm2(row);
		for (uint32_t k = 0; k < width; k += 4)
			for (uint32_t j = 0; j < 4; j++)
				acc[k + j] += s * (float)row->q[k + j];
	}
}

/* The key's row, if found, appended to rows[nr] (and prefetched) by the full probe of
** tg_model_lookup; returns the new count. */
static inline size_t find_row_probing(const tg_model *m, uint64_t key, const tg_model_row **rows, size_t nr)
{
	const tg_model_row *row = tg_model_lookup(m, key);
	if (row) {
		__builtin_prefetch(row);
		rows[nr++] = row;
	}
	return nr;
}

/*
** The rows of the keys found in the table, in key order, into rows; returns how
** many.  Each row is prefetched for add_rows.
**
** With SSE2 a key's first four slots are compared at once: the key is found at the
** first slot holding its fingerprint before the first empty slot, as tg_model_lookup
** finds it, and is missing if an empty slot comes first; only when four full slots
** hold neither (a long cluster) does tg_model_lookup go on.  No branch depends on
** whether a key is found, a coin toss for the processor.
*/
static inline size_t find_rows(const tg_model *m, const uint64_t *keys, size_t nk, const tg_model_row **rows)
{
	size_t nr = 0;
	size_t i = 0;
#ifdef TG_SSE2
	const uint32_t *const slots = m->slots;
	const uint32_t mask = m->slot_mask;
	/* e >> row_bits == fingerprint, compared in place: the fingerprint is the key's
	** top bits, which sit at bit row_bits and up of the key's high word. */
	const uint32_t row_mask = (1u << m->row_bits) - 1, fp_mask = ~row_mask;
	const size_t stride = m->row_stride;
	/* Where row number 0 would be: a slot holds the row's number plus 1. */
	const unsigned char *const row0 = m->rows - stride;
	const __m128i fp_bits = _mm_set1_epi32((int)fp_mask);
	for (; i < nk; i++) {
		const uint64_t key = keys[i];
		const uint32_t slot = (uint32_t)key & mask;
		const tg_model_row *row;
		if (slot + 3 > mask)
			goto slow;   /* the four slots would wrap around (or the table has fewer) */
		const __m128i v = _mm_loadu_si128((const __m128i *)(slots + slot));
		const __m128i fp = _mm_set1_epi32((int)((uint32_t)(key >> 32) & fp_mask));
		/* The first of the four slots that is empty or holds the fingerprint (an empty
		** slot can match a fingerprint of 0: it is still empty). */
		const __m128i stop = _mm_or_si128(_mm_cmpeq_epi32(v, _mm_setzero_si128()),
		                                  _mm_cmpeq_epi32(_mm_and_si128(v, fp_bits), fp));
		const unsigned first = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(stop));
		if (first == 0)
			goto slow;   /* four full slots, none the key's: a long cluster */
		/* Found when that slot is full; else the row computed is never counted. */
		const uint32_t e = slots[slot + (unsigned)__builtin_ctz(first)];
		row = (const tg_model_row *)(row0 + (size_t)(e & row_mask) * stride);
		__builtin_prefetch(row);
		rows[nr] = row;
		nr += e != 0;
		continue;
	slow:
		nr = find_row_probing(m, key, rows, nr);
	}
#endif
	for (; i < nk; i++)
		nr = find_row_probing(m, keys[i], rows, nr);
	return nr;
}

#ifdef TG_AVX2
/*
** add_rows_w for processors with AVX2 and F16C (picked at load, tg_model.avx2): the
** halves convert in one instruction and 8 weights sign-extend to floats in one, so a
** row of 20 weights is about half the instructions.  The same float operations in the
** same order (scale and norm2 exact, scale * q exact, no fused multiply-add), so the
** same sums.  The last four weights of a row are read as four bytes: eight would run
** past the last row, which ends the model's allocation.
*/
__attribute__((target("avx2,f16c"))) static inline __attribute__((always_inline)) void
add_rows_avx2_w(const tg_model_row *const *rows, size_t n, float *acc, double *norm2, uint32_t width)
{
	__m256 a[4];
	__m128 tail = _mm_setzero_ps();
	const uint32_t n8 = width / 8;
	for (uint32_t v = 0; v < n8; v++)
		a[v] = _mm256_loadu_ps(acc + 8 * v);
	if (width % 8)
		tail = _mm_loadu_ps(acc + 8 * n8);
	double n2 = *norm2;
	for (size_t r = 0; r < n; r++) {
		const tg_model_row *row = rows[r];
		uint32_t h;
		memcpy(&h, row, 4);
		const __m128 sn = _mm_cvtph_ps(_mm_cvtsi32_si128((int)h));
		n2 += (double)_mm_cvtss_f32(_mm_shuffle_ps(sn, sn, 1));
		const __m256 s = _mm256_broadcastss_ps(sn);
		for (uint32_t v = 0; v < n8; v++) {
			const __m128i q8 = _mm_loadl_epi64((const __m128i *)(const void *)(row->q + 8 * v));
			a[v] = _mm256_add_ps(a[v], _mm256_mul_ps(s, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q8))));
		}
		if (width % 8) {
			int32_t q4;
			memcpy(&q4, row->q + 8 * n8, 4);
			const __m128 w = _mm_cvtepi32_ps(_mm_cvtepi8_epi32(_mm_cvtsi32_si128(q4)));
			tail = _mm_add_ps(tail, _mm_mul_ps(_mm256_castps256_ps128(s), w));
		}
	}
	*norm2 = n2;
	for (uint32_t v = 0; v < n8; v++)
		_mm256_storeu_ps(acc + 8 * v, a[v]);
	if (width % 8)
		_mm_storeu_ps(acc + 8 * n8, tail);
}

__attribute__((target("avx2,f16c"))) static void add_rows_avx2(const tg_model *m, const tg_model_row *const *rows,
                                                              size_t n, float *acc, double *norm2)
{
	if (m->padded_labels <= 32)
		TG_BY_WIDTH(m->padded_labels, add_rows_avx2_w(rows, n, acc, norm2, TG_W));
	else
		add_rows(rows, n, acc, norm2, m->padded_labels);
}
#endif

/* Adds the rows with the width a constant in each case, so that the accumulators
** stay in registers. */
static void add_rows_any(const tg_model *m, const tg_model_row *const *rows, size_t n, float *acc, double *norm2)
{
#ifdef TG_AVX2
	if (m->avx2) {
		add_rows_avx2(m, rows, n, acc, norm2);
		return;
	}
#endif
	TG_BY_WIDTH(m->padded_labels, add_rows(rows, n, acc, norm2, TG_W));
}

/* Appends the key to keys, fetching its slot for find_rows. */
static inline size_t put_key(const tg_model *m, uint64_t key, uint64_t *keys, size_t nk)
{
	__builtin_prefetch(&m->slots[(uint32_t)key & m->slot_mask]);
	keys[nk] = key;
	return nk + 1;
}

/*
** tg_model_accumulate's work up to the given stage (score_stages.h), a constant in
** every call: each stage compiles to code of its own with nothing of the later stages
** in it, and TG_STAGE_ADD to the code of tg_model_accumulate.  A partial stage folds
** what it produced last into sums->n_known: reading the array the next stage would
** read, so that the compiler can drop none of the stage's work.
*/
static inline __attribute__((always_inline)) void accumulate(const tg_model *m, const void *text, size_t len,
                                                             tg_sums *sums, const enum tg_accumulate_stage stage)
{
	float *const acc = sums->acc;   /* summed in place */
	double norm2 = 0;
	uint64_t n_tokens = 0, n_known = 0;
	uint64_t fold = 0;   /* a partial stage's output, folded */
	const int uni = (m->features & TG_FEAT_UNIGRAM) != 0, bi = (m->features & TG_FEAT_BIGRAM) != 0;
	uint64_t hashes[TG_SCAN_MAX_TOKENS];
	uint64_t keys[TG_MAX_KEYS];
	const tg_model_row *rows[TG_MAX_KEYS];
	tg_hash_scan scan;
	uint64_t prev = 0;
	int last = 0;

#ifdef TG_SSE2
	_Static_assert(TG_MODEL_MAX_LABELS == 64, "the stores below clear 64 floats");
	/* Not memset, nor a loop that compilers make one: for 256 bytes they pick rep stos,
	** which is slow to start. */
	const __m128 zero = _mm_setzero_ps();
	_mm_storeu_ps(acc + 0, zero), _mm_storeu_ps(acc + 4, zero), _mm_storeu_ps(acc + 8, zero);
	_mm_storeu_ps(acc + 12, zero), _mm_storeu_ps(acc + 16, zero), _mm_storeu_ps(acc + 20, zero);
	_mm_storeu_ps(acc + 24, zero), _mm_storeu_ps(acc + 28, zero), _mm_storeu_ps(acc + 32, zero);
	_mm_storeu_ps(acc + 36, zero), _mm_storeu_ps(acc + 40, zero), _mm_storeu_ps(acc + 44, zero);
	_mm_storeu_ps(acc + 48, zero), _mm_storeu_ps(acc + 52, zero), _mm_storeu_ps(acc + 56, zero);
	_mm_storeu_ps(acc + 60, zero);
#else
	memset(acc, 0, sizeof sums->acc);
#endif
	tg_hash_scan_init(&scan, text, len);
	while (!last) {
		/* The keys of the next tokens, as tg_features_next gives them, each one's slot
		** fetched meanwhile. */
		size_t nk = 0;
		while (!last && nk < TG_BATCH) {
			const size_t nh = tg_hash_scan_next(&scan, hashes, &last);
			if (stage == TG_STAGE_SCAN) {
				for (size_t i = 0; i < nh; i++)
					fold ^= hashes[i];
				n_tokens += nh;
				continue;
			}
			size_t i = 0;
			if (nh > 0 && n_tokens == 0) {
				/* The first token of the text: no bigram ends there. */
				if (uni)
					nk = put_key(m, tg_unigram_key(hashes[0]), keys, nk);
				prev = hashes[i++];
			}
			n_tokens += nh;
			if (uni && bi) {
				for (; i < nh; i++) {
					nk = put_key(m, tg_unigram_key(hashes[i]), keys, nk);
					nk = put_key(m, tg_bigram_key(prev, hashes[i]), keys, nk);
					prev = hashes[i];
				}
			} else {
				for (; i < nh; i++) {
					nk = put_key(m, uni ? tg_unigram_key(hashes[i]) : tg_bigram_key(prev, hashes[i]), keys, nk);
					prev = hashes[i];
				}
			}
		}
		if (stage <= TG_STAGE_KEYS) {
			for (size_t i = 0; i < nk; i++)   /* none at TG_STAGE_SCAN */
				fold ^= keys[i];
			continue;
		}
		/* Their rows, fetching each row found, then their weights. */
		const size_t nr = find_rows(m, keys, nk, rows);
		n_known += nr;
		if (stage == TG_STAGE_LOOKUP) {
			for (size_t i = 0; i < nr; i++)
				fold ^= (uintptr_t)rows[i];
			continue;
		}
		add_rows_any(m, rows, nr, acc, &norm2);
	}
	sums->norm2 = norm2;
	sums->n_tokens = n_tokens;
	sums->n_known = stage == TG_STAGE_ADD ? n_known : fold;
}

void tg_model_accumulate(const tg_model *m, const void *text, size_t len, tg_sums *sums)
{
	accumulate(m, text, len, sums, TG_STAGE_ADD);
}

void tg_model_logits(const tg_model *m, const tg_sums *sums, float *z)
{
	const double inv_norm = sums->norm2 > 0 ? 1.0 / sqrt(sums->norm2) : 0.0;
	uint32_t k = 0;
#ifdef TG_SSE2
	/* Two labels at a time, the same double operations as below. */
	const __m128d inv = _mm_set1_pd(inv_norm);
	for (; k + 2 <= m->n_labels; k += 2) {
		const __m128d acc = _mm_cvtps_pd(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(sums->acc + k))));
		const __m128d margin = _mm_add_pd(_mm_loadu_pd(m->bias + k), _mm_mul_pd(acc, inv));
		const __m128d logit = _mm_add_pd(_mm_mul_pd(_mm_loadu_pd(m->platt_a + k), margin), _mm_loadu_pd(m->platt_b + k));
		_mm_storel_pi((__m64 *)(void *)(z + k), _mm_cvtpd_ps(logit));
	}
#endif
	for (; k < m->n_labels; k++) {
		double margin = m->bias[k] + sums->acc[k] * inv_norm;
		z[k] = (float)(m->platt_a[k] * margin + m->platt_b[k]);
	}
}

uint32_t tg_model_top(const tg_model *m, const float *z)
{
	/* The first best: a later label must be greater, not equal.  Written so that the
	** compiler can keep the choice out of branches (the winner is anybody's guess). */
	uint32_t best = 0;
	float best_z = z[0];
	for (uint32_t k = 1; k < m->n_labels; k++) {
		const int better = z[k] > best_z;
		best = better ? k : best;
		best_z = better ? z[k] : best_z;
	}
	return best;
}

double tg_sigmoid(double z)
{
	return z >= 0 ? 1.0 / (1.0 + exp(-z)) : exp(z) / (1.0 + exp(z));
}

float tg_model_contribution(const tg_model *m, const tg_model_row *row, uint32_t k, double norm2)
{
	if (norm2 <= 0)
		return 0;
	return (float)(m->params[k].platt_a * tg_row_scale(row) * row->q[k] / sqrt(norm2));
}
