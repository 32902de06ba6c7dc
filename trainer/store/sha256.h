/*
** SHA-256 (FIPS 180-4), streaming, for fingerprinting the trainer's input file
** (tg_models.data_sha256).  No allocation; a context is plain data and can be copied.
*/
#ifndef TG_SHA256_H
#define TG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define TG_SHA256_DIGEST_LEN 32
#define TG_SHA256_HEX_LEN 64   /* a hex buffer needs TG_SHA256_HEX_LEN + 1 bytes */

typedef struct tg_sha256 {
	uint32_t h[8];
	uint64_t nbytes;           /* total bytes hashed so far */
	unsigned char buf[64];     /* pending partial block */
	size_t nbuf;
} tg_sha256;

void tg_sha256_init(tg_sha256 *c);
void tg_sha256_update(tg_sha256 *c, const void *data, size_t len);
/* Writes the 32-byte digest; the context must be re-initialised before reuse. */
void tg_sha256_final(tg_sha256 *c, unsigned char out[TG_SHA256_DIGEST_LEN]);
/* Lowercase hex of a digest, NUL-terminated (65 bytes). */
void tg_sha256_hex(const unsigned char digest[TG_SHA256_DIGEST_LEN], char hex[TG_SHA256_HEX_LEN + 1]);
/* One-shot helpers. */
void tg_sha256_buf_hex(const void *data, size_t len, char hex[TG_SHA256_HEX_LEN + 1]);

#endif
