/*
** A fast 64-bit checksum over 8-byte words, for catching damaged model blobs.
** Not cryptographic: it guards against accidents (a truncated copy, a flipped bit,
** a blob from another program), while the loader's checks guard against malice.
*/
#ifndef TG_CHECKSUM_H
#define TG_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Checksum of the n_words little-endian words at p, reading word skip as 0 (the
** slot that holds the checksum itself; pass n_words or more to skip none). */
uint64_t tg_checksum(const unsigned char *p, size_t n_words, size_t skip);

#endif
