/*
** The fault-injection seam: the allocator of the readers that take untrusted input
** (read/genre_list.c, read/csv_reader.c and libcsv through it), with realloc's
** semantics (size 0 is taken as 1; what it returns is released with free()).  Tests
** and fuzz harnesses make it fail on purpose: tg_ingest_fail_allocs_after(n) makes
** every allocation after the next n fail, n < 0 (the default) restores normal
** behaviour.  Not thread-safe.
*/
#ifndef TG_FAULT_H
#define TG_FAULT_H

#include <stddef.h>

void *tg_ingest_realloc(void *p, size_t size);
void tg_ingest_fail_allocs_after(long n);

#endif
