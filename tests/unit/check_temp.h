/* The unit tests' scratch files: bytes written to a fresh file in /tmp. */
#ifndef TG_CHECK_TEMP_H
#define TG_CHECK_TEMP_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes data[0..n) to a new temporary file; its path is returned in a static buffer,
** good until the next call.  The caller unlinks the file. */
static inline const char *tg_test_write_temp(const void *data, size_t n)
{
	static char path[64];
	strcpy(path, "/tmp/tg_test_XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *fp = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(data, 1, n, fp), n);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

#endif
