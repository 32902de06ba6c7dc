#include "checksum.h"
#include "endian_io.h"

#define PRIME1 0x9e3779b97f4a7c15ULL
#define PRIME2 0xc2b2ae3d27d4eb4fULL

static uint64_t round64(uint64_t acc, uint64_t word)
{
	acc += word * PRIME2;
	acc = (acc << 31) | (acc >> 33);
	return acc * PRIME1;
}

uint64_t tg_checksum(const unsigned char *p, size_t n_words, size_t skip)
{
	/* Four independent lanes keep the multiplier busy: ~4x one lane's speed. */
	uint64_t lane[4] = { PRIME1, PRIME2, ~PRIME1, ~PRIME2 };
	for (size_t i = 0; i < n_words; i++) {
		uint64_t w = i == skip ? 0 : tg_read_le64(p + 8 * i);
		lane[i & 3] = round64(lane[i & 3], w);
	}
	uint64_t h = (uint64_t)n_words * PRIME1;
	for (int i = 0; i < 4; i++) {
		h ^= round64(0, lane[i]);
		h = h * PRIME1 + PRIME2;
	}
	h ^= h >> 29;
	h *= PRIME2;
	h ^= h >> 32;
	return h;
}
