/* The unit tests' random numbers: xorshift64 on a state each test keeps and seeds
** itself, so that every run draws the same sequence. */
#ifndef TG_CHECK_RANDOM_H
#define TG_CHECK_RANDOM_H

#include <stdint.h>

/* The next 32 random bits of *state (which must not be 0). */
static inline uint32_t tg_test_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (uint32_t)(*state >> 32);
}

#endif
