#include <stdlib.h>
#include <string.h>

#include "keymap.h"

int tg_keymap_init(tg_keymap *m, uint32_t expected)
{
	memset(m, 0, sizeof *m);
	uint32_t slots = 1024;
	while (slots < 2 * (uint64_t)expected)
		slots <<= 1;
	m->keys = calloc(slots, sizeof *m->keys);
	m->values = calloc(slots, sizeof *m->values);
	if (!m->keys || !m->values) {
		tg_keymap_free(m);
		return -1;
	}
	m->mask = slots - 1;
	return 0;
}

void tg_keymap_free(tg_keymap *m)
{
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof *m);
}

static uint32_t home_slot(const tg_keymap *m, uint64_t key)
{
	/* Keys are already mixed (feature_keys.h), so low bits are uniform. */
	return (uint32_t)key & m->mask;
}

int64_t tg_keymap_find(const tg_keymap *m, uint64_t key)
{
	if (key == 0)
		return m->has_zero ? (int64_t)m->zero_value : -1;
	for (uint32_t s = home_slot(m, key);; s = (s + 1) & m->mask) {
		if (m->keys[s] == key)
			return m->values[s];
		if (m->keys[s] == 0)
			return -1;
	}
}

static int grow(tg_keymap *m)
{
	tg_keymap bigger = { 0 };
	uint32_t slots = (m->mask + 1) * 2;
	bigger.keys = calloc(slots, sizeof *bigger.keys);
	bigger.values = calloc(slots, sizeof *bigger.values);
	if (!bigger.keys || !bigger.values) {
		tg_keymap_free(&bigger);
		return -1;
	}
	bigger.mask = slots - 1;
	for (uint32_t s = 0; s <= m->mask; s++) {
		if (m->keys[s] == 0)
			continue;
		uint32_t t = home_slot(&bigger, m->keys[s]);
		while (bigger.keys[t] != 0)
			t = (t + 1) & bigger.mask;
		bigger.keys[t] = m->keys[s];
		bigger.values[t] = m->values[s];
	}
	free(m->keys);
	free(m->values);
	m->keys = bigger.keys;
	m->values = bigger.values;
	m->mask = bigger.mask;
	return 0;
}

int64_t tg_keymap_intern(tg_keymap *m, uint64_t key)
{
	if (key == 0) {
		if (!m->has_zero) {
			m->has_zero = 1;
			m->zero_value = m->count++;
		}
		return m->zero_value;
	}
	if (2 * (uint64_t)(m->count + 1) > m->mask + 1 && grow(m) != 0)
		return -1;
	uint32_t s = home_slot(m, key);
	while (m->keys[s] != 0) {
		if (m->keys[s] == key)
			return m->values[s];
		s = (s + 1) & m->mask;
	}
	m->keys[s] = key;
	m->values[s] = m->count;
	return m->count++;
}
