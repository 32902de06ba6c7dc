/*
** libFuzzer harness: tg_genre_list_parse (trainer/read/genre_list.c) on arbitrary bytes.
**
** Checks the contract of genre_list.h on every result: names are non-empty, at most
** TG_GENRE_MAX_NAME bytes, valid UTF-8, trimmed, free of control characters and
** distinct, at most TG_GENRE_MAX_NAMES of them; a rejection gives a reason and no
** names.  Accepted lists must survive a round trip through both spellings the parser
** reads (a JSON array, and a '|'-joined plain string when no name holds '|' or a
** bracket).  The first input byte, when odd, also replays the parse with the first
** (byte >> 1) allocations succeeding and every later one failing: the result must
** then be the same or TG_GENRES_NOMEM.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "genre_list.h"
#include "fuzz_check.h"

static int same_names(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

static void check_ok(char **names, size_t n)
{
	CHECK(n <= TG_GENRE_MAX_NAMES);
	CHECK((n == 0) == (names == NULL));
	for (size_t i = 0; i < n; i++) {
		const char *s = names[i];
		size_t len = strlen(s);
		CHECK(len >= 1 && len <= TG_GENRE_MAX_NAME);
		CHECK(tg_utf8_valid(s, len));
		CHECK(s[0] != ' ' && s[len - 1] != ' ');
		for (size_t j = 0; j < len; j++)
			CHECK((unsigned char)s[j] >= 0x20 && s[j] != 0x7f);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(names[j], s) != 0);
	}
}

/* Appends s to a growing buffer (aborts when out of memory: harness only). */
static void put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
		CHECK(*buf != NULL);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
}

static void reparse_equal(const char *text, size_t len, char **names, size_t n)
{
	char **again = NULL;
	size_t n2 = 0;
	char why[128];
	int rc = tg_genre_list_parse(text, len, &again, &n2, why, sizeof why);
	if (rc == TG_GENRES_INVALID)
		fprintf(stderr, "reparse of '%.*s' failed: %s\n", (int)len, text, why);
	CHECK(rc == TG_GENRES_OK);
	CHECK(same_names(names, n, again, n2));
	tg_genre_list_free(again, n2);
}

static void round_trips(char **names, size_t n)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	/* As a JSON array of strings. */
	put(&buf, &len, &cap, "[", 1);
	for (size_t i = 0; i < n; i++) {
		put(&buf, &len, &cap, i ? ", \"" : "\"", i ? 3 : 1);
		for (const char *p = names[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				put(&buf, &len, &cap, "\\", 1);
			put(&buf, &len, &cap, p, 1);
		}
		put(&buf, &len, &cap, "\"", 1);
	}
	put(&buf, &len, &cap, "]", 1);
	if (len <= TG_GENRE_MAX_INPUT)
		reparse_equal(buf, len, names, n);

	/* As "A|B|" (the trailing bar forces the '|' split even for one name). */
	int plain_ok = n > 0;
	for (size_t i = 0; i < n && plain_ok; i++)
		if (strpbrk(names[i], "|[]{}"))
			plain_ok = 0;
	if (plain_ok) {
		len = 0;
		for (size_t i = 0; i < n; i++) {
			put(&buf, &len, &cap, names[i], strlen(names[i]));
			put(&buf, &len, &cap, "|", 1);
		}
		if (len <= TG_GENRE_MAX_INPUT)
			reparse_equal(buf, len, names, n);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	unsigned mode = data[0];
	const char *s = (const char *)data + 1;
	size_t len = size - 1;

	/* An exact-size copy with no NUL after it: reading past len is caught. */
	char *copy = malloc(len ? len : 1);
	CHECK(copy != NULL);
	memcpy(copy, s, len);

	char **names = (char **)1;
	size_t n = 12345;
	char why[160];
	memset(why, 'x', sizeof why);
	int rc = tg_genre_list_parse(copy, len, &names, &n, why, sizeof why);
	CHECK(rc == TG_GENRES_OK || rc == TG_GENRES_INVALID);
	CHECK(memchr(why, 0, sizeof why) != NULL);
	if (rc == TG_GENRES_OK) {
		check_ok(names, n);
		round_trips(names, n);
	} else {
		CHECK(names == NULL && n == 0 && why[0] != 0);
	}
	if (len > TG_GENRE_MAX_INPUT)
		CHECK(rc == TG_GENRES_INVALID);

	if (mode & 1) {
		char **n2 = (char **)1;
		size_t c2 = 777;
		tg_ingest_fail_allocs_after((long)(mode >> 1));
		int rc2 = tg_genre_list_parse(copy, len, &n2, &c2, why, sizeof why);
		tg_ingest_fail_allocs_after(-1);
		CHECK(rc2 == rc || rc2 == TG_GENRES_NOMEM);
		if (rc2 == TG_GENRES_OK)
			CHECK(same_names(names, n, n2, c2));
		else
			CHECK(n2 == NULL && c2 == 0 && why[0] != 0);
		tg_genre_list_free(n2, c2);
	}
	tg_genre_list_free(names, n);
	free(copy);
	return 0;
}
