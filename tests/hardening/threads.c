/*
** Many connections in many threads tagging at once (run under ThreadSanitizer by
** `make tsan`, but meaningful without it too).
**
** A registry database file is written with two models ('genre' and 'tiny'); tg is
** registered with sqlite3_auto_extension, so every connection gets it.  The main
** thread computes the reference answers of tg_predict, tg_tags, tg_scores, tg_genres,
** tg_explain and tg_model for a set of texts on one connection; then THREADS threads
** each open their own connection(s) to the same file and ask the same questions, in
** different orders, ROUNDS times, reopening their connection now and then.  Every
** answer must equal the reference.  Meanwhile no model is redeployed (answers would
** legitimately change), but one extra thread keeps writing unrelated rows to the
** database, so readers see the registry change under them and must re-validate their
** cache without reloading a different model.
**
** Usage: threads [THREADS [ROUNDS]]   (defaults 8 and 40)
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tg.h"
#include "schema_sql.h"  /* build/gen: registry/registry.sql as tg_registry_schema_sql */
#include "fixture_model.h"

#define MAX_Q 64
#define ANSWER_CAP 4096

static const char *const sql_forms[] = {
	"SELECT tg_predict(?1)",
	"SELECT tg_tags(?1)",
	"SELECT tg_scores(?1)",
	"SELECT group_concat(genre || ':' || round(score, 4) || ':' || tagged || ':' || rank, ';') FROM tg_genres(?1)",
	"SELECT tg_explain(?1, 'Horror')",
	"SELECT tg_predict(?1, 'tiny') || ' ' || tg_scores(?1, 'tiny')",
	"SELECT tg_model() ->> '$.id'",
};
#define N_FORMS (sizeof sql_forms / sizeof *sql_forms)

typedef struct question {
	const char *sql;
	const char *text;
	char answer[ANSWER_CAP];
} question;

static question qs[MAX_Q];
static int n_q;
static char db_path[256];
static int rounds = 40;
static atomic_int stop_writer;

static int ask(sqlite3 *db, const question *q, char *out, size_t outlen, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	out[0] = 0;
	if (sqlite3_prepare_v2(db, q->sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "prepare: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(st, 1, q->text, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);
		size_t used = strlen(out);
		snprintf(out + used, outlen - used, "%s\n", v ? (const char *)v : "NULL");
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "step: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "threads: open %s: %s\n", db_path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

typedef struct worker {
	pthread_t th;
	int id;
	long answers, wrong, errors;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	char got[ANSWER_CAP], err[256];
	sqlite3 *db = open_db();
	if (!db) {
		w->errors++;
		return NULL;
	}
	unsigned seed = (unsigned)w->id * 2654435761u + 1;
	for (int r = 0; r < rounds; r++) {
		if (r % 10 == 9) {
			/* A fresh connection: loads the models again, concurrently with others. */
			sqlite3_close(db);
			if (!(db = open_db())) {
				w->errors++;
				return NULL;
			}
		}
		for (int i = 0; i < n_q; i++) {
			seed = seed * 1103515245u + 12345u;
			const question *q = &qs[(seed >> 8) % (unsigned)n_q];
			if (ask(db, q, got, sizeof got, err, sizeof err) != 0) {
				if (w->errors++ < 3)
					fprintf(stderr, "threads: thread %d: %s: %s\n", w->id, q->sql, err);
				continue;
			}
			w->answers++;
			if (strcmp(got, q->answer) != 0 && w->wrong++ < 3)
				fprintf(stderr, "threads: thread %d: %s ['%s']: got '%s', expected '%s'\n", w->id, q->sql,
				        q->text, got, q->answer);
		}
	}
	sqlite3_close(db);
	return NULL;
}

/* Keeps writing to the database, so readers' snapshots change under them. */
static void *writer(void *arg)
{
	long *writes = arg;
	sqlite3 *db = open_db();
	if (!db)
		return NULL;
	while (!atomic_load(&stop_writer)) {
		if (sqlite3_exec(db, "INSERT INTO noise (x) VALUES (randomblob(64))", NULL, NULL, NULL) == SQLITE_OK)
			(*writes)++;
		nanosleep(&(struct timespec){ .tv_sec = 0, .tv_nsec = 200000 }, NULL);
	}
	sqlite3_close(db);
	return NULL;
}

static int setup(void)
{
	sqlite3 *db;
	unlink(db_path);
	if (sqlite3_open(db_path, &db) != SQLITE_OK)
		return -1;
	char *err = NULL;
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, &err) != SQLITE_OK ||
	    sqlite3_exec(db, tg_registry_schema_sql, NULL, NULL, &err) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE TABLE noise (x)", NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "threads: setup: %s\n", err ? err : "?");
		sqlite3_free(err);
		sqlite3_close(db);
		return -1;
	}
	static const struct { const char *name; unsigned variant; } models[] = { { "genre", 0 }, { "tiny", 1 } };
	for (size_t i = 0; i < 2; i++) {
		unsigned char *blob;
		size_t len;
		sqlite3_stmt *st;
		if (fixture_blob(fixture_variant(models[i].variant), &blob, &len) != 0)
			return -1;
		sqlite3_prepare_v2(db,
		                   "INSERT INTO tg_models (name, format, params, metrics, data_sha256, deployed, model)"
		                   " VALUES (?1, 1, '{}', '{}', 'ab', 1, ?2)",
		                   -1, &st, NULL);
		sqlite3_bind_text(st, 1, models[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, blob, (int)len, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		sqlite3_free(blob);
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "threads: insert: %s\n", sqlite3_errmsg(db));
			sqlite3_close(db);
			return -1;
		}
	}
	sqlite3_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	int n_threads = argc > 1 ? atoi(argv[1]) : 8;
	if (argc > 2)
		rounds = atoi(argv[2]);
	if (n_threads < 1 || n_threads > 256 || rounds < 1) {
		fprintf(stderr, "usage: threads [THREADS [ROUNDS]]\n");
		return 2;
	}
	if (!sqlite3_threadsafe()) {
		fprintf(stderr, "threads: this SQLite is not thread-safe\n");
		return 2;
	}
	snprintf(db_path, sizeof db_path, "%s/tg-threads-%ld.db", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
	         (long)getpid());
	if (setup() != 0)
		return 2;
	if (sqlite3_auto_extension((void (*)(void))sqlite3_tg_init) != SQLITE_OK) {
		fprintf(stderr, "threads: sqlite3_auto_extension failed\n");
		return 2;
	}

	/* Reference answers, single-threaded. */
	sqlite3 *db = open_db();
	if (!db)
		return 2;
	char err[256];
	for (size_t f = 0; f < N_FORMS; f++)
		for (int t = 0; fixture_text(t) && n_q < MAX_Q; t++) {
			question *q = &qs[n_q++];
			q->sql = sql_forms[f];
			q->text = fixture_text(t);
			if (ask(db, q, q->answer, sizeof q->answer, err, sizeof err) != 0) {
				fprintf(stderr, "threads: reference %s: %s\n", q->sql, err);
				return 2;
			}
		}
	sqlite3_close(db);

	worker *ws = calloc((size_t)n_threads, sizeof *ws);
	pthread_t wt;
	long writes = 0;
	if (!ws || pthread_create(&wt, NULL, writer, &writes) != 0)
		return 2;
	for (int i = 0; i < n_threads; i++) {
		ws[i].id = i;
		if (pthread_create(&ws[i].th, NULL, work, &ws[i]) != 0) {
			fprintf(stderr, "threads: pthread_create failed\n");
			return 2;
		}
	}
	long answers = 0, wrong = 0, errors = 0;
	for (int i = 0; i < n_threads; i++) {
		pthread_join(ws[i].th, NULL);
		answers += ws[i].answers;
		wrong += ws[i].wrong;
		errors += ws[i].errors;
	}
	atomic_store(&stop_writer, 1);
	pthread_join(wt, NULL);
	free(ws);
	sqlite3_reset_auto_extension();
	unlink(db_path);
	char side[300];
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
	printf("threads: %d threads x %d rounds: %ld answers, %ld wrong, %ld errors (%ld concurrent writes)\n",
	       n_threads, rounds, answers, wrong, errors, writes);
	return wrong || errors ? 1 : 0;
}
