/*
** Growing an array by doubling, the one way the trainer's lists, tables and buffers
** grow (films, malformed rows, examples, feature keys, genre names): amortized O(1)
** per element, and a size that cannot overflow.
*/
#ifndef TG_GROW_H
#define TG_GROW_H

#include <stdint.h>
#include <stdlib.h>

/*
** The array items (capacity *cap elements of elem_size bytes) with room for at least
** need elements: items itself when it has it, else items reallocated to double the
** capacity (from first_cap, which is not 0) as often as needed, and *cap updated.
** NULL only when out of memory or the size would overflow; then items and *cap are as
** they were.  An array not yet allocated gets first_cap elements even when need is 0,
** so that a caller may always take NULL for a failure: a list whose first item has no
** elements (a film without a known word) is not out of memory.  tg_grow_by takes the
** allocator (the readers of untrusted input use common/fault.h's, which tests fail).
*/
static inline void *tg_grow_by(void *items, size_t *cap, size_t need, size_t elem_size, size_t first_cap,
                               void *(*realloc_fn)(void *, size_t))
{
	if (need <= *cap && items)
		return items;
	size_t n = *cap ? *cap : first_cap;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (n > SIZE_MAX / elem_size)
		return NULL;
	void *grown = realloc_fn(items, n * elem_size);
	if (grown)
		*cap = n;
	return grown;
}

static inline void *tg_grow(void *items, size_t *cap, size_t need, size_t elem_size, size_t first_cap)
{
	return tg_grow_by(items, cap, need, elem_size, first_cap, realloc);
}

/* The array shrunk to n elements (n > 0), its spare capacity back to the system; items
** itself when it cannot be. */
static inline void *tg_shrink(void *items, size_t n, size_t elem_size)
{
	void *fit = realloc(items, n * elem_size);
	return fit ? fit : items;
}

#endif
