/*
** libFuzzer harness: the SQL functions themselves, through SQL, over registries in
** odd states -- as a user or a hostile database would call them.
**
** Each input sets up a fresh connection (tg registered with sqlite3_auto_extension)
** and then calls every function on texts, model names and argument types taken from
** the input.  The first bytes pick the setup:
**   byte 0 bit 0  a registry in main         bit 4  damage aux's blob
**          bit 1  a registry in schema aux   bit 5  main's registry rebuilt with
**          bit 2  a registry in temp                CREATE TABLE AS (rowid != id)
**          bit 3  damage main's blob         bit 6  aux's registry is a view
**                                            bit 7  DETACH aux before the calls
**   byte 1       the test-model variant of main, aux and temp (2 bits each);
**                bit 6  also attach a hostile database "evil" (below)
**                bit 7  its objects are views, not tables
**   byte 2, 3    where the damage goes (little-endian offset) and byte 4 its XOR;
**                byte 4's top bit also sets PRAGMA trusted_schema=OFF
** The rest is split at NUL bytes into (text, name, genre) triples; the first byte
** of each text picks the SQL types its arguments are bound as.
**
** The hostile database, attached last, deploys its own genre and holds a table or a
** view named like each name tg could resolve (pragma_database_list, whose view finds
** its own schema through pragma_table_list, as an attacker's would; pragma_table_list).
**
** Invariants: no crash, leak or undefined behaviour (ASan/UBSan); a failing call
** has an error message; with "evil" attached, an intact registry in main (and none in
** temp) serves the default name, without error; tg_tags, tg_scores, tg_explain and tg_model return valid
** JSON; tg_predict is the first of tg_tags, also on tg_text's film text; tg_scores'
** numbers are printf's "%.4f" of tg_genres' scores, in its order.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sqlite3.h"
#include "tg.h"
#include "fixture_model.h"
#include "fuzz_check.h"

static unsigned char *blobs[FIXTURE_VARIANTS];
static size_t blob_lens[FIXTURE_VARIANTS];

static int init(void)
{
	for (unsigned v = 0; v < FIXTURE_VARIANTS; v++)
		if (fixture_blob(fixture_variant(v), &blobs[v], &blob_lens[v]) != 0)
			return -1;
	return sqlite3_auto_extension((void (*)(void))sqlite3_tg_init) == SQLITE_OK ? 0 : -1;
}

/* A registry in one schema, looser than registry/registry.sql (NULL metadata is allowed, as
** in a table made by hand): two versions of genre, one deployed, and a mood whose
** metadata is not JSON. */
static void make_registry(sqlite3 *db, const char *schema, unsigned variant, int damage, unsigned at,
                          unsigned char xor_with)
{
	char *sql = sqlite3_mprintf("CREATE TABLE \"%w\".tg_models (id INTEGER PRIMARY KEY, name TEXT, created_at,"
	                            " format, params, metrics, data_sha256, deployed, model)", schema);
	CHECK(sql);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_free(sql);
	size_t len = blob_lens[variant];
	unsigned char *blob = sqlite3_malloc64(len ? len : 1);
	CHECK(blob);
	memcpy(blob, blobs[variant], len);
	if (damage && len)
		blob[at % len] ^= xor_with ? xor_with : 1;
	sql = sqlite3_mprintf("INSERT INTO \"%w\".tg_models (name, format, params, metrics, data_sha256, deployed,"
	                      " model) VALUES ('genre', 1, '{}', '{}', 'x', 0, ?1), ('genre', 1, '{\"v\":1}',"
	                      " '{}', 'y', 1, ?1), ('mood', 1, NULL, 'oops{', NULL, 1, ?1)", schema);
	CHECK(sql);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, blob, (int)len, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	sqlite3_free(sql);
	sqlite3_free(blob);
}

/* The hostile database: its own registry, and objects named like what tg could look up. */
static void attach_evil(sqlite3 *db, unsigned variant, int views)
{
	sqlite3_exec(db, "ATTACH ':memory:' AS evil", NULL, NULL, NULL);
	make_registry(db, "evil", variant, 0, 0, 0);
	sqlite3_exec(db, views ? "CREATE TABLE evil.evil_marker (x);"
	                         "CREATE VIEW evil.pragma_database_list AS SELECT 0 AS seq, schema AS name, '' AS file"
	                         " FROM pragma_table_list WHERE name = 'evil_marker';"
	                         "CREATE VIEW evil.pragma_table_list AS SELECT 'evil' AS schema, 'tg_models' AS name"
	                       : "CREATE TABLE evil.pragma_database_list (seq, name, file);"
	                         "INSERT INTO evil.pragma_database_list VALUES (0, 'evil', ''), (1, 'evil', '');"
	                         "CREATE TABLE evil.pragma_table_list (schema, name, type, ncol, wr, strict);"
	                         "INSERT INTO evil.pragma_table_list VALUES ('evil', 'tg_models', 'table', 9, 0, 0)",
	             NULL, NULL, NULL);
}

/* The schema of the default model, or the error. */
static void expect_main(sqlite3 *db)
{
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(db, "SELECT tg_model() ->> '$.schema'", -1, &st, NULL) == SQLITE_OK);
	int rc = sqlite3_step(st);
	const char *schema = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (!schema || strcmp(schema, "main") != 0) {
		fprintf(stderr, "the default model came from %s\n", schema ? schema : sqlite3_errmsg(db));
		CHECK(!"an attached database chose the model");
	}
	sqlite3_finalize(st);
}

static void bind_as(sqlite3_stmt *st, int i, unsigned type, const char *s, int n)
{
	switch (type & 3) {
	case 0: sqlite3_bind_text(st, i, s, n, SQLITE_TRANSIENT); break;
	case 1: sqlite3_bind_blob(st, i, s, n, SQLITE_TRANSIENT); break;
	case 2: sqlite3_bind_int64(st, i, n ? (sqlite3_int64)(unsigned char)s[0] - 100 : 0); break;
	default: sqlite3_bind_null(st, i); break;
	}
}

/* Runs one query with three bound arguments; checks what every answer must be. */
static void run(sqlite3 *db, const char *sql, unsigned types, const char *a, int an, const char *b, int bn,
                const char *c, int cn)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	bind_as(st, 1, types, a, an);
	bind_as(st, 2, types >> 2, b, bn);
	bind_as(st, 3, types >> 4, c, cn);
	int rc;
	for (int rows = 0; (rc = sqlite3_step(st)) == SQLITE_ROW && rows < 64; rows++)
		for (int k = 0; k < sqlite3_column_count(st); k++)
			if (sqlite3_column_type(st, k) == SQLITE_INTEGER && sqlite3_column_int(st, k) != 1) {
				fprintf(stderr, "%s: column %d is %d (arguments %.*s | %.*s | %.*s)\n", sql, k,
				        sqlite3_column_int(st, k), an, a, bn, b, cn, c);
				CHECK(!"a check query answered 0");
			}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		CHECK(sqlite3_errmsg(db) && *sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready = 0;
	if (!ready) {
		CHECK(init() == 0);
		ready = 1;
	}
	if (size < 5)
		return 0;
	const unsigned flags = data[0], variants = data[1], at = data[2] | (unsigned)data[3] << 8;
	const unsigned char xor_with = data[4];
	sqlite3 *db;
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	sqlite3_exec(db, "ATTACH ':memory:' AS aux", NULL, NULL, NULL);
	if (flags & 1)
		make_registry(db, "main", variants & 3, flags & 8, at, xor_with);
	if (flags & 2)
		make_registry(db, "aux", variants >> 2 & 3, flags & 16, at, xor_with);
	if (flags & 4)
		make_registry(db, "temp", variants >> 4 & 3, 0, at, xor_with);
	if (flags & 32)
		sqlite3_exec(db, "CREATE TABLE main.bak AS SELECT * FROM main.tg_models WHERE id <> 1;"
		                 "DROP TABLE main.tg_models; CREATE TABLE main.tg_models AS SELECT * FROM main.bak",
		             NULL, NULL, NULL);
	if (flags & 64)
		sqlite3_exec(db, "ALTER TABLE aux.tg_models RENAME TO m; CREATE VIEW aux.tg_models AS SELECT * FROM aux.m",
		             NULL, NULL, NULL);
	if (flags & 128)
		sqlite3_exec(db, "DETACH aux", NULL, NULL, NULL);
	if (variants & 64)
		attach_evil(db, (variants & 3) ^ 1, variants & 128);
	if (xor_with & 128)
		sqlite3_exec(db, "PRAGMA trusted_schema = OFF", NULL, NULL, NULL);
	if ((variants & 64) && (flags & (1 | 4 | 8)) == 1)
		expect_main(db);

	/* Each check is true (1) whenever the call answers at all.  (json_valid(NULL) is 0
	** in SQLite 3.40, so a NULL result is let through by name.) */
	static const char *const queries[] = {
		"SELECT tg_predict(?1, ?2) IS tg_tags(?1, ?2) ->> 0",
		("SELECT t IS NULL OR json_valid(t), s IS NULL OR json_valid(s)"
		 " FROM (SELECT tg_tags(?1, ?2) AS t, tg_scores(?1, ?2) AS s)"),
		"SELECT e IS NULL OR json_valid(e) FROM (SELECT tg_explain(?1, ?3, ?2) AS e)",
		"SELECT json_valid(tg_model(?2))",
		"SELECT count(*) >= 0 FROM tg_genres(?1, ?2)",
		"SELECT tg_predict(?1) IS tg_tags(?1) ->> 0, json_valid(tg_model())",
		"SELECT length(tg_debug()) > 0 AND tg_version() IS NOT NULL",
		"SELECT tg_predict(t, ?2) IS tg_tags(t, ?2) ->> 0 FROM (SELECT tg_text(?3, ?1, ?2) AS t)",
		/* tg_scores' fast sigmoids and digits say what printf says of libm's sigmoid
		** (tg_genres' score), label by label in rank order. */
		("SELECT s IS NULL OR s = g FROM (SELECT"
		 " (SELECT group_concat(key || ':' || ifnull(printf('%.4f', value), 'null'), ',')"
		 "  FROM json_each(tg_scores(?1, ?2))) AS s,"
		 " (SELECT group_concat(genre || ':' || ifnull(printf('%.4f', score), 'null'), ',')"
		 "  FROM (SELECT genre, score FROM tg_genres(?1, ?2) ORDER BY rank)) AS g)"),
	};
	const char *p = (const char *)data + 5, *end = (const char *)data + size;
	for (int calls = 0; p < end && calls < 8; calls++) {
		const char *part[3];
		int len[3];
		for (int k = 0; k < 3; k++) {
			const char *nul = memchr(p, 0, (size_t)(end - p));
			const char *stop = nul ? nul : end;
			part[k] = p;
			len[k] = (int)(stop - p);
			p = nul ? nul + 1 : end;
		}
		unsigned types = len[0] ? (unsigned char)part[0][0] : 0;
		for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
			run(db, queries[q], types, part[0], len[0], part[1], len[1], part[2], len[2]);
	}
	CHECK(sqlite3_close(db) == SQLITE_OK);
	return 0;
}
