/*
** What every libFuzzer harness of fuzz/ shares: the entry point's prototype and
** CHECK(cond), which stops the run on a broken invariant.  abort() makes libFuzzer
** save the input as a crash (fuzz/run.sh greps the log for "invariant").
*/
#ifndef TG_FUZZ_CHECK_H
#define TG_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
			        #cond);                                                \
			abort();                                                       \
		}                                                                      \
	} while (0)

#endif
