#include <stdlib.h>

#include "fault.h"

static long fail_after = -1;

void tg_ingest_fail_allocs_after(long n)
{
	fail_after = n;
}

void *tg_ingest_realloc(void *p, size_t size)
{
	if (size == 0)
		size = 1;
	if (fail_after == 0)
		return NULL;
	void *q = realloc(p, size);
	if (q && fail_after > 0)
		fail_after--;
	return q;
}
