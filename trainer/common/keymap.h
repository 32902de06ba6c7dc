/* A growable hash map from 64-bit feature keys to dense indices 0..n-1. */
#ifndef TG_KEYMAP_H
#define TG_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct tg_keymap {
	uint64_t *keys;      /* slot -> key (0 = empty; key 0 is stored out of band) */
	uint32_t *values;    /* slot -> index */
	uint32_t mask;
	uint32_t count;
	int has_zero;        /* key 0 present */
	uint32_t zero_value;
} tg_keymap;

int tg_keymap_init(tg_keymap *m, uint32_t expected);
void tg_keymap_free(tg_keymap *m);
/* Index of key, inserting it as the next index when absent (-1 when out of memory). */
int64_t tg_keymap_intern(tg_keymap *m, uint64_t key);
/* Index of key, or -1 when absent. */
int64_t tg_keymap_find(const tg_keymap *m, uint64_t key);

#endif
