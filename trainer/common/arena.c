/* The dataset's string arena: see arena.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

enum { TG_ARENA_BLOCK = 1 << 20 };

struct tg_arena_block {
	tg_arena_block *prev;
	max_align_t data[];
};

void *tg_arena_alloc(tg_arena *a, size_t n)
{
	const size_t align = sizeof(void *);
	size_t at = (a->used + align - 1) & ~(align - 1);
	/* at may pass the end of a block that a record filled to an unaligned length. */
	if (!a->head || at > a->size || n > a->size - at) {
		/* A record longer than a block gets a block of its own size. */
		size_t size = n > TG_ARENA_BLOCK ? n : TG_ARENA_BLOCK;
		if (size > SIZE_MAX - sizeof(tg_arena_block))
			return NULL;
		tg_arena_block *b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->prev = a->head;
		a->head = b;
		a->size = size;
		at = 0;
	}
	a->used = at + n;
	return (char *)a->head->data + at;
}

char *tg_arena_strdup(tg_arena *a, const char *s, size_t len, int *ok)
{
	if (!s)
		return NULL;
	char *p = len < SIZE_MAX ? tg_arena_alloc(a, len + 1) : NULL;
	if (!p) {
		*ok = 0;
		return NULL;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void tg_arena_free(tg_arena *a)
{
	while (a->head) {
		tg_arena_block *prev = a->head->prev;
		free(a->head);
		a->head = prev;
	}
	a->used = a->size = 0;
}
