/*
** Out-of-memory test of the extension: every allocation SQLite (and tg, which
** allocates through SQLite) makes during a fixed script is made to fail in turn.
**
** A wrapper allocator installed with SQLITE_CONFIG_MALLOC counts allocations and
** fails number N.  The script is: open :memory:, create the registry, insert three
** models, load tg (sqlite3_tg_init, linked statically), then run every tg SQL
** function, including a redeploy and a second model name.  First a reference run
** with no failure records each step's outcome; then for N = 1, 2, ... the script
** runs again until a run makes fewer than N allocations.
**
** Two modes per N:
**   once     only allocation N fails.  The failing step must end in a clean error
**            (SQLITE_NOMEM, or a message starting "tg:" or saying "out of memory"),
**            or give the reference result (SQLite retried).  Every later step must
**            then give exactly the reference result: one failure must not leave the
**            model cache or anything else in a bad state.  (A failed setup step ends
**            the run.)
**   always   allocation N and all after it fail: the first differing step must be a
**            clean error; the run stops there.
** Each run closes its connection (sqlite3_close must succeed: no statement left
** unfinalized) and the bytes SQLite has outstanding must drop back to what they were
** before the run.  Built with ASan/LSan this also catches leaks and bad accesses.
**
** Usage: oom_ext [-v] [-n MAX_N]   exit 0 when every run ended cleanly.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "tg.h"
#include "schema_sql.h"  /* build/gen: registry/registry.sql as tg_registry_schema_sql */
#include "fixture_model.h"

/* ---- the failing allocator --------------------------------------------------- */

static sqlite3_mem_methods orig;
static long alloc_count;    /* allocations made since arming */
static long fail_at;        /* 0: never fail */
static int fail_always;     /* fail every allocation from fail_at on */
static long injected;       /* failures injected in this run */

static int should_fail(void)
{
	alloc_count++;
	if (fail_at > 0 && (alloc_count == fail_at || (fail_always && alloc_count > fail_at))) {
		injected++;
		return 1;
	}
	return 0;
}

static void *x_malloc(int n)
{
	return should_fail() ? NULL : orig.xMalloc(n);
}

static void *x_realloc(void *p, int n)
{
	return should_fail() ? NULL : orig.xRealloc(p, n);
}

static void x_free(void *p) { orig.xFree(p); }
static int x_size(void *p) { return orig.xSize(p); }
static int x_roundup(int n) { return orig.xRoundup(n); }
static int x_init(void *a) { return orig.xInit(a); }
static void x_shutdown(void *a) { orig.xShutdown(a); }

static void arm(long n, int always)
{
	alloc_count = 0;
	injected = 0;
	fail_at = n;
	fail_always = always;
}

static void disarm(void)
{
	fail_at = 0;
}

/* ---- the script -------------------------------------------------------------- */

#define MAX_STEPS 64
#define OUT_CAP 8192

typedef struct outcome {
	int rc;                 /* SQLITE_OK or the error code */
	char text[OUT_CAP];     /* result rows, or the error message */
} outcome;

static outcome reference[MAX_STEPS];
static int n_steps;
static int verbose;
static int warmup;

static unsigned char *blobs[3];
static size_t blob_len[3];

/* Queries run after setup; ?1 is bound to each test text where it appears. */
static const char *const queries[] = {
	"SELECT tg_predict(?1)",
	"SELECT tg_tags(?1)",
	"SELECT tg_scores(?1)",
	"SELECT genre, round(score, 4), tagged, rank FROM tg_genres(?1)",
	"SELECT tg_explain(?1, 'Horror')",
	"SELECT tg_predict(?1, 'tiny'), tg_tags(?1, 'tiny'), tg_scores(?1, 'tiny')",
	"SELECT json_remove(tg_model(), '$.created_at')",
	"SELECT json_remove(tg_model('tiny'), '$.created_at')",
	"SELECT tg_version()",
};

/* Setup statements: failures here end the run. */
static const char *const setup_insert =
	"INSERT INTO tg_models (name, format, params, metrics, data_sha256, deployed, model) "
	"VALUES (?1, 1, '{\"C\":0.5}', '{\"validation\":{\"micro_f1\":0.5}}', 'ab', ?2, ?3)";

static void out_append(outcome *o, const char *fmt, ...)
{
	size_t used = strlen(o->text);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->text + used, sizeof o->text - used, fmt, ap);
	va_end(ap);
}

static void set_error(outcome *o, sqlite3 *db, int rc, const char *msg)
{
	o->rc = rc;
	snprintf(o->text, sizeof o->text, "%s", msg ? msg : db ? sqlite3_errmsg(db) : "(no message)");
}

/* Runs one statement with up to one text parameter; rows go to o->text. */
static void run_sql(sqlite3 *db, const char *sql, const char *text, int bind_blob, outcome *o)
{
	sqlite3_stmt *st = NULL;
	o->rc = SQLITE_OK;
	o->text[0] = 0;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		set_error(o, db, rc, NULL);
		return;
	}
	if (bind_blob >= 0) {
		static const char *const names[3] = { "genre", "genre", "tiny" };
		static const int deployed[3] = { 1, 0, 1 };
		rc = sqlite3_bind_text(st, 1, names[bind_blob], -1, SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int(st, 2, deployed[bind_blob]);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_blob(st, 3, blobs[bind_blob], (int)blob_len[bind_blob], SQLITE_STATIC);
	} else if (text && sqlite3_bind_parameter_count(st) >= 1) {
		rc = sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	}
	if (rc != SQLITE_OK) {
		set_error(o, db, rc, NULL);
		sqlite3_finalize(st);
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int n = sqlite3_column_count(st);
		for (int i = 0; i < n; i++) {
			const unsigned char *v = sqlite3_column_text(st, i);
			if (!v && sqlite3_column_type(st, i) != SQLITE_NULL) {
				/* Converting the value to text ran out of memory. */
				set_error(o, db, SQLITE_NOMEM, "out of memory reading a result column");
				sqlite3_finalize(st);
				return;
			}
			out_append(o, "%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
		}
		out_append(o, "\n");
	}
	if (rc != SQLITE_DONE) {
		set_error(o, db, rc, NULL);
		/* sqlite3_finalize returns the same error; its message may be fresher. */
		int frc = sqlite3_finalize(st);
		if (frc != SQLITE_OK)
			set_error(o, db, frc, NULL);
		return;
	}
	rc = sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		set_error(o, db, rc, NULL);
}

/*
** A clean error for step `step`: out of memory, or a tg error.  One SQLite (3.40)
** behaviour counts as clean too, not being tg's: an error message that cannot be
** copied leaves the error code alone with SQLite's generic text ("SQL logic error"
** for SQLITE_ERROR).
*/
static int is_clean_error(const outcome *o, int step)
{
	if (o->rc == SQLITE_OK)
		return 0;
	if ((o->rc & 0xff) == SQLITE_NOMEM || strncmp(o->text, "tg:", 3) == 0 ||
	    strstr(o->text, "out of memory") != NULL)
		return 1;
	return o->rc == reference[step].rc && strcmp(o->text, sqlite3_errstr(o->rc)) == 0;
}

static int same(const outcome *a, const outcome *b)
{
	return a->rc == b->rc && strcmp(a->text, b->text) == 0;
}

typedef enum { RUN_REFERENCE, RUN_ONCE, RUN_ALWAYS } run_kind;

static int failures;

static void report(long n, run_kind kind, int step, const char *what, const outcome *got)
{
	/* Show both texts from a little before where they first differ. */
	const char *e = reference[step].text, *g = got->text;
	size_t i = 0;
	while (e[i] && e[i] == g[i])
		i++;
	size_t from = i > 60 ? i - 60 : 0;
	failures++;
	fprintf(stderr, "oom_ext: N=%ld %s, step %d (%s): expected rc %d '%s%.160s', got rc %d '%s%.160s'\n", n,
	        kind == RUN_ONCE ? "once" : "always", step, what, reference[step].rc, from ? "..." : "", e + from,
	        got->rc, from ? "..." : "", g + from);
}

/*
** Checks step `step`'s outcome.  Returns 1 to go on with the script, 0 to stop.
** *failed_before: set once a step has failed (in once mode later steps must match).
*/
static int judge(long n, run_kind kind, int step, const char *what, outcome *o, int setup,
                 int *failed_before)
{
	if (kind == RUN_REFERENCE) {
		if (step >= MAX_STEPS) {
			fprintf(stderr, "oom_ext: too many steps\n");
			exit(2);
		}
		reference[step] = *o;
		n_steps = step + 1;
		if (verbose && !warmup)
			fprintf(stderr, "step %d (%s): rc %d %s\n", step, what, o->rc, o->text);
		if (setup && o->rc != SQLITE_OK) {
			fprintf(stderr, "oom_ext: setup step %d (%s) fails without injected failures: %s\n", step,
			        what, o->text);
			exit(2);
		}
		return 1;
	}
	if (same(o, &reference[step]))
		return 1;
	/* A difference is only acceptable as a clean error, and only while failures can
	** still be injected: in once mode, the step where allocation N failed. */
	int may_fail = kind == RUN_ALWAYS ? injected > 0 : (injected > 0 && !*failed_before);
	if (!may_fail || !is_clean_error(o, step)) {
		report(n, kind, step, what, o);
		return 0;
	}
	*failed_before = 1;
	if (kind == RUN_ALWAYS || setup)
		return 0;
	return 1;
}

/* Runs the script once.  Returns the number of allocations it made. */
static long run_script(long n, run_kind kind)
{
	sqlite3_int64 before = sqlite3_memory_used();
	outcome *o = malloc(sizeof *o);
	if (!o) {
		fprintf(stderr, "oom_ext: out of memory in the harness\n");
		exit(2);
	}
	int step = 0, failed_before = 0;
	sqlite3 *db = NULL;
	if (kind == RUN_REFERENCE)
		arm(0, 0);
	else
		arm(n, kind == RUN_ALWAYS);

	/* open */
	o->text[0] = 0;
	o->rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (o->rc != SQLITE_OK)
		set_error(o, db, o->rc, db ? sqlite3_errmsg(db) : "out of memory opening");
	if (!judge(n, kind, step++, "open", o, 1, &failed_before))
		goto done;

	/* registry */
	char *msg = NULL;
	o->rc = sqlite3_exec(db, tg_registry_schema_sql, NULL, NULL, &msg);
	o->text[0] = 0;
	if (o->rc != SQLITE_OK)
		set_error(o, db, o->rc, msg);
	sqlite3_free(msg);
	if (!judge(n, kind, step++, "schema", o, 1, &failed_before))
		goto done;

	for (int b = 0; b < 3; b++) {
		run_sql(db, setup_insert, NULL, b, o);
		if (!judge(n, kind, step++, "insert model", o, 1, &failed_before))
			goto done;
	}

	/* load tg */
	msg = NULL;
	o->text[0] = 0;
	o->rc = sqlite3_tg_init(db, &msg, NULL);
	if (o->rc != SQLITE_OK)
		set_error(o, db, o->rc, msg ? msg : "tg: init failed without a message");
	sqlite3_free(msg);
	if (!judge(n, kind, step++, "sqlite3_tg_init", o, 1, &failed_before))
		goto done;

	/* the functions, over several texts */
	for (int round = 0; round < 2; round++) {
		if (round == 1) {
			/* Redeploy: the next statements must see model 2. */
			run_sql(db, "UPDATE tg_models SET deployed = (id = 2) WHERE name = 'genre'", NULL, -1, o);
			if (!judge(n, kind, step++, "redeploy", o, 1, &failed_before))
				goto done;
		}
		for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
			const char *text = fixture_text((q + (size_t)round) % 5);
			run_sql(db, queries[q], text, -1, o);
			if (!judge(n, kind, step++, queries[q], o, 0, &failed_before))
				goto done;
		}
		/* Many rows in one statement: the statement keeps its model. */
		run_sql(db,
		        "WITH t(x) AS (VALUES ('ghost haunted'), ('alien planet'), ('love kiss'), (NULL), ('!!'),"
		        " ('family grief'), ('wacky prank')) SELECT group_concat(coalesce(tg_predict(x), 'NULL'), ',')"
		        " FROM t",
		        NULL, -1, o);
		if (!judge(n, kind, step++, "many rows", o, 0, &failed_before))
			goto done;
	}
	/* Errors must stay errors under memory pressure too. */
	run_sql(db, "SELECT tg_predict('ghost', 'no such model')", NULL, -1, o);
	if (!judge(n, kind, step++, "unknown model", o, 0, &failed_before))
		goto done;
	run_sql(db, "SELECT tg_explain('ghost', 'No Such Genre')", NULL, -1, o);
	if (!judge(n, kind, step++, "unknown genre", o, 0, &failed_before))
		goto done;
done:;
	long made = alloc_count;
	disarm();
	if (kind == RUN_REFERENCE && step != n_steps) {
		fprintf(stderr, "oom_ext: reference run stopped early\n");
		exit(2);
	}
	if (db) {
		int rc = sqlite3_close(db);
		if (rc != SQLITE_OK) {
			failures++;
			fprintf(stderr, "oom_ext: N=%ld: sqlite3_close: %s (a statement left unfinalized?)\n", n,
			        sqlite3_errstr(rc));
			sqlite3_close_v2(db);
		}
	}
	sqlite3_int64 after = sqlite3_memory_used();
	if (after != before && !warmup) {
		failures++;
		fprintf(stderr, "oom_ext: N=%ld %s: %lld bytes still allocated after closing (leak)\n", n,
		        kind == RUN_ONCE ? "once" : kind == RUN_ALWAYS ? "always" : "reference",
		        (long long)(after - before));
	}
	free(o);
	return made;
}

int main(int argc, char **argv)
{
	long max_n = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			max_n = atol(argv[++i]);
		else {
			fprintf(stderr, "usage: oom_ext [-v] [-n MAX_N]\n");
			return 2;
		}
	}
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &orig) != SQLITE_OK) {
		fprintf(stderr, "oom_ext: SQLITE_CONFIG_GETMALLOC failed\n");
		return 2;
	}
	sqlite3_mem_methods mine = orig;
	mine.xMalloc = x_malloc;
	mine.xFree = x_free;
	mine.xRealloc = x_realloc;
	mine.xSize = x_size;
	mine.xRoundup = x_roundup;
	mine.xInit = x_init;
	mine.xShutdown = x_shutdown;
	/* Lookaside would satisfy small allocations without asking the allocator. */
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1) != SQLITE_OK || sqlite3_initialize() != SQLITE_OK) {
		fprintf(stderr, "oom_ext: cannot install the allocator\n");
		return 2;
	}
	/* Model 1: 'genre', deployed; model 2: 'genre' with 64 labels, deployed by the
	** script's redeploy step (so the answers change); model 3: 'tiny', two labels, unigrams only
	** (tests/tools/fixture_model.h: genre v1, many and mood). */
	static const unsigned variant[3] = { 0, 2, 1 };
	for (unsigned v = 0; v < 3; v++)
		if (fixture_blob(fixture_variant(variant[v]), &blobs[v], &blob_len[v]) != 0)
			return 2;

	warmup = 1;
	run_script(0, RUN_REFERENCE); /* SQLite's one-time allocations happen here */
	warmup = 0;
	long total = run_script(0, RUN_REFERENCE);
	printf("oom_ext: reference run: %d steps, %ld allocations\n", n_steps, total);
	for (int s = 0; s < n_steps; s++)
		if (reference[s].rc != SQLITE_OK)
			printf("oom_ext: note: step %d fails in the reference run too: %s\n", s, reference[s].text);
	long limit = max_n > 0 && max_n < total + 1 ? max_n : total + 1;
	long runs = 0;
	for (long n = 1; n <= limit; n++) {
		for (int always = 0; always <= 1; always++) {
			run_script(n, always ? RUN_ALWAYS : RUN_ONCE);
			runs++;
			if (injected == 0 && n <= total) {
				/* Allocation counts are deterministic: every N up to total fails one. */
				failures++;
				fprintf(stderr, "oom_ext: N=%ld: no failure was injected (nondeterministic allocations?)\n", n);
			}
		}
		if (failures > 20) {
			fprintf(stderr, "oom_ext: too many failures, stopping\n");
			break;
		}
	}
	printf("oom_ext: %ld failing runs (N = 1..%ld, once and always): %d problem(s)\n", runs, limit, failures);
	for (unsigned v = 0; v < 3; v++)
		sqlite3_free(blobs[v]);
	sqlite3_shutdown();
	return failures ? 1 : 0;
}
