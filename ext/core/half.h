/*
** IEEE 754 half precision for the model's per-row scale and norm: 2 bytes instead
** of 4 keeps a 50k-feature model under 2 MB.  Only the values a model needs are
** supported: finite, non-negative, normal or zero (the writer flushes the rest).
*/
#ifndef TG_HALF_H
#define TG_HALF_H

#include <stdint.h>
#include <string.h>

static inline float tg_half_to_float(uint16_t h)
{
	if ((h & 0x7fffu) == 0)
		return 0.0f;
	uint32_t bits = (uint32_t)(h & 0x8000u) << 16 | ((uint32_t)(h & 0x7fffu) + 0x1c000u) << 13;
	float f;
	memcpy(&f, &bits, sizeof f);
	return f;
}

/* Rounds a non-negative finite float to the nearest half; below the smallest normal
** half it becomes 0, above the largest it saturates. */
static inline uint16_t tg_float_to_half(float f)
{
	uint32_t bits;
	memcpy(&bits, &f, sizeof bits);
	if (!(f > 6.1035156e-05f))
		return 0;
	if (f >= 65504.0f)
		return 0x7bffu;
	uint32_t exp = (bits >> 23) & 0xffu, mant = bits & 0x7fffffu;
	uint32_t h = (exp - 112u) << 10 | mant >> 13;
	uint32_t rest = mant & 0x1fffu;
	if (rest > 0x1000u || (rest == 0x1000u && (h & 1u)))
		h++;   /* a carry into the exponent is still the right half */
	return h > 0x7bffu ? 0x7bffu : (uint16_t)h;
}

/* A half the model format accepts: non-negative, finite, zero or normal. */
static inline int tg_half_is_valid(uint16_t h)
{
	uint16_t exp = (h >> 10) & 0x1fu;
	return (h & 0x8000u) == 0 && exp != 0x1fu && (exp != 0 || h == 0);
}

#endif
