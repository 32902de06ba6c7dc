/*
** A bump allocator for the strings of many films: they live as long as the dataset and
** are freed together, so one block of 1 MiB holds thousands of them, without a malloc
** header and rounding for each (a film had eight or so allocations of its own) and
** without a million free() calls at the end.
*/
#ifndef TG_ARENA_H
#define TG_ARENA_H

#include <stddef.h>

typedef struct tg_arena_block tg_arena_block;

typedef struct tg_arena {
	tg_arena_block *head;   /* newest block; each links to the one before */
	size_t used, size;      /* bytes taken of head's data, and its capacity */
} tg_arena;

/* n bytes aligned for any pointer, or NULL when out of memory.  Never NULL for n = 0. */
void *tg_arena_alloc(tg_arena *a, size_t n);
/* A copy of s[0..len) with a NUL after it; NULL stays NULL (*ok is not touched) and out
** of memory sets *ok to 0. */
char *tg_arena_strdup(tg_arena *a, const char *s, size_t len, int *ok);
void tg_arena_free(tg_arena *a);

#endif
