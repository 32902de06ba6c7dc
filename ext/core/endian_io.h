/* Little-endian reads and writes, whatever the host's byte order. */
#ifndef TG_ENDIAN_IO_H
#define TG_ENDIAN_IO_H

#include <stdint.h>
#include <string.h>

static inline uint32_t tg_read_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t tg_read_le64(const unsigned char *p)
{
	return (uint64_t)tg_read_le32(p) | (uint64_t)tg_read_le32(p + 4) << 32;
}

static inline void tg_write_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void tg_write_le64(unsigned char *p, uint64_t v)
{
	tg_write_le32(p, (uint32_t)v);
	tg_write_le32(p + 4, (uint32_t)(v >> 32));
}

static inline float tg_read_lef32(const unsigned char *p)
{
	uint32_t u = tg_read_le32(p);
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

static inline void tg_write_lef32(unsigned char *p, float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	tg_write_le32(p, u);
}

static inline int tg_host_is_little_endian(void)
{
	const uint16_t one = 1;
	unsigned char b;
	memcpy(&b, &one, 1);
	return b == 1;
}

#endif
