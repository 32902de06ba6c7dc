/*
** SHA-256, streaming, for fingerprinting the trainer's input (tg_models.data_sha256):
** Debian's nettle (nettle-dev) does the hashing -- a well-kept, audited implementation
** rather than one of our own -- and these names keep the callers independent of it.
** The trainer only: ext/ links nothing but SQLite.  No allocation; a context is plain
** data and can be copied.
*/
#ifndef TG_SHA256_H
#define TG_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <nettle/sha2.h>

#define TG_SHA256_DIGEST_LEN SHA256_DIGEST_SIZE
#define TG_SHA256_HEX_LEN 64   /* a hex buffer needs TG_SHA256_HEX_LEN + 1 bytes */

typedef struct sha256_ctx tg_sha256;

static inline void tg_sha256_init(tg_sha256 *c)
{
	sha256_init(c);
}

static inline void tg_sha256_update(tg_sha256 *c, const void *data, size_t len)
{
	sha256_update(c, len, (const uint8_t *)data);
}

/* Writes the 32-byte digest; the context must be re-initialised before reuse. */
static inline void tg_sha256_final(tg_sha256 *c, unsigned char out[TG_SHA256_DIGEST_LEN])
{
	sha256_digest(c, TG_SHA256_DIGEST_LEN, out);
}

/* Lowercase hex of a digest, NUL-terminated (65 bytes). */
static inline void tg_sha256_hex(const unsigned char digest[TG_SHA256_DIGEST_LEN],
                                 char hex[TG_SHA256_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < TG_SHA256_DIGEST_LEN; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[TG_SHA256_HEX_LEN] = '\0';
}

/* One-shot: the hex digest of a buffer. */
static inline void tg_sha256_buf_hex(const void *data, size_t len, char hex[TG_SHA256_HEX_LEN + 1])
{
	tg_sha256 c;
	unsigned char d[TG_SHA256_DIGEST_LEN];
	tg_sha256_init(&c);
	tg_sha256_update(&c, data, len);
	tg_sha256_final(&c, d);
	tg_sha256_hex(d, hex);
}

#endif
