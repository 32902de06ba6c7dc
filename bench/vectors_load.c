/*
** bench/vectors: loads a word vectors file with tg_vectors_read, as tg-train --vectors
** does, and prints what it cost: wall and CPU time, peak RSS, and what it read.
**   vectors_load FILE [none]     "none" keeps no word (the checks and parsing alone)
*/
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "error.h"
#include "sha256.h"
#include "vectors.h"

static int keep_none(void *ctx, const char *word, size_t len)
{
	(void)ctx, (void)word, (void)len;
	return 0;
}

static double secs(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "none") != 0)) {
		fprintf(stderr, "usage: vectors_load FILE [none]\n");
		return 2;
	}
	struct timespec t0, t1;
	char err[TG_ERR_MAX];
	tg_vectors v;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (tg_vectors_read(argv[1], argc == 3 ? keep_none : NULL, NULL, &v, err, sizeof err) != 0) {
		fprintf(stderr, "vectors_load: %s\n", err);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	char hex[TG_SHA256_HEX_LEN + 1];
	tg_sha256_hex(v.sha256, hex);
	printf("%zu words, %zu kept, %u floats each, sha256 %s: %.2f s wall, %.2f s user, %.2f s sys, "
	       "peak RSS %.0f MB\n", v.n_read, v.n, v.dim, hex,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, secs(ru.ru_utime),
	       secs(ru.ru_stime), (double)ru.ru_maxrss / 1024);
	tg_vectors_free(&v);
	return 0;
}
