/*
** bench/speed's measuring program: one process per measurement set, linked with
** libsqlite3, loading tg.so through sqlite3_load_extension.  bench/speed compiles it
** into its scratch directory; it is not part of `make`.
**
**   speed_driver version
**       SQLite's library version.
**   speed_driver exec DB SQL
**       runs an SQL script (no extension); for building the benchmark tables.
**   speed_driver scan DB EXT REPS[:SECONDS] WARM_SQL SQL...
**       opens DB with a page cache large enough to hold it, loads EXT, runs WARM_SQL
**       once (so every query starts from the same, fully cached, state), then runs
**       the SQLs round robin, timing prepare+step+finalize with CLOCK_MONOTONIC and
**       CLOCK_PROCESS_CPUTIME_ID: each at least REPS times and until its runs add
**       up to SECONDS of CPU (at most 40 runs).  Prints one line per SQL: index,
**       best and median wall seconds, best and median CPU seconds, runs, and the
**       first column of its first result row.
**   speed_driver first DB EXT RUNS SQL_WITH SQL_WITHOUT
**       RUNS times each, alternating: new connection + load EXT + run the SQL to its
**       first row, timed up to that row.  Prints "first" and, per run, a tab and
**       WALL_WITH,CPU_WITH,WALL_WITHOUT,CPU_WITHOUT in seconds.
**   speed_driver mem DB EXT SQL
**       new connection (default page cache), load EXT, run SQL to completion; prints
**       getrusage max RSS and sqlite3_memory_highwater before and after.
** EXT may be "" (no extension) in scan and mem.
**
** Every query runs on the calling thread; PRAGMA threads = 0 keeps SQLite from
** starting helper threads, and bench/speed pins the process to one CPU.
** The function bench_touch(text) is registered on every connection: it reads its
** argument as text (as tg's functions do) and returns its length, so a scan calling
** it measures what SQLite itself costs per row and per function call.
*/
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static double now(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "speed_driver: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
	exit(1);
}

static void bench_touch(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *t = sqlite3_value_text(argv[0]);
	if (!t) {
		sqlite3_result_null(c);
		return;
	}
	sqlite3_result_int(c, sqlite3_value_bytes(argv[0]));
}

static void exec_or_die(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "speed_driver: %s\n  in: %.200s\n", err ? err : "error", sql);
		exit(1);
	}
}

static sqlite3 *open_db(const char *path, int flags, const char *ext)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK)
		die("open", db);
	if (sqlite3_create_function(db, "bench_touch", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                            bench_touch, NULL, NULL) != SQLITE_OK)
		die("create_function", db);
	if (ext) {
		char *err = NULL;
		sqlite3_enable_load_extension(db, 1);
		if (sqlite3_load_extension(db, ext, NULL, &err) != SQLITE_OK) {
			fprintf(stderr, "speed_driver: cannot load %s: %s\n", ext, err ? err : "?");
			exit(1);
		}
	}
	return db;
}

/* Runs sql to completion (or to its first row); returns its first column as text. */
static char *run(sqlite3 *db, const char *sql, int first_row_only)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, db);
	char *first = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!first) {
			const unsigned char *v = sqlite3_column_text(st, 0);
			first = strdup(v ? (const char *)v : "NULL");
		}
		if (first_row_only)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		die(sql, db);
	sqlite3_finalize(st);
	return first ? first : strdup("");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int cmd_scan(int argc, char **argv)
{
	if (argc < 6)
		return 2;
	const char *path = argv[2], *ext = argv[3];
	/* REPS or REPS:SECONDS: each query runs at least REPS times and, up to MAX_REPS,
	** until its runs add up to SECONDS of CPU, so short queries get more tries. */
	int reps = atoi(argv[4]);
	const char *colon = strchr(argv[4], ':');
	double budget = colon ? atof(colon + 1) : 0;
	enum { MAX_REPS = 40 };
	int nq = argc - 6;
	char **sql = argv + 6;
	if (reps < 1 || reps > MAX_REPS)
		return 2;
	sqlite3 *db = open_db(path, SQLITE_OPEN_READONLY, *ext ? ext : NULL);
	exec_or_die(db, "PRAGMA threads = 0; PRAGMA cache_size = -8000000; PRAGMA temp_store = MEMORY;");
	exec_or_die(db, argv[5]);
	double *wall = calloc((size_t)(nq * MAX_REPS), sizeof *wall);
	double *cpu = calloc((size_t)(nq * MAX_REPS), sizeof *cpu);
	double *spent = calloc((size_t)nq, sizeof *spent);
	int *done = calloc((size_t)nq, sizeof *done);
	char **result = calloc((size_t)nq, sizeof *result);
	if (!wall || !cpu || !spent || !done || !result)
		die("calloc", NULL);
	for (int more = 1; more;) {
		more = 0;
		for (int q = 0; q < nq; q++) {
			if (done[q] >= MAX_REPS || (done[q] >= reps && spent[q] >= budget))
				continue;
			double c0 = now(CLOCK_PROCESS_CPUTIME_ID), t0 = now(CLOCK_MONOTONIC);
			char *res = run(db, sql[q], 0);
			double t1 = now(CLOCK_MONOTONIC), c1 = now(CLOCK_PROCESS_CPUTIME_ID);
			wall[q * MAX_REPS + done[q]] = t1 - t0;
			cpu[q * MAX_REPS + done[q]] = c1 - c0;
			spent[q] += c1 - c0;
			done[q]++;
			more = 1;
			if (!result[q])
				result[q] = res;
			else
				free(res);
		}
	}
	for (int q = 0; q < nq; q++) {
		double *w = wall + q * MAX_REPS, *c = cpu + q * MAX_REPS;
		qsort(w, (size_t)done[q], sizeof *w, cmp_double);
		qsort(c, (size_t)done[q], sizeof *c, cmp_double);
		printf("%d\t%.9f\t%.9f\t%.9f\t%.9f\t%d\t%s\n", q, w[0], w[done[q] / 2], c[0], c[done[q] / 2], done[q],
		       result[q]);
		free(result[q]);
	}
	sqlite3_close(db);
	free(wall);
	free(cpu);
	free(spent);
	free(done);
	free(result);
	return 0;
}

/* Wall and CPU seconds from opening a connection to the first row of sql. */
static void first_answer(const char *path, const char *ext, const char *sql, double *wall, double *cpu)
{
	double c0 = now(CLOCK_PROCESS_CPUTIME_ID), t0 = now(CLOCK_MONOTONIC);
	sqlite3 *db = open_db(path, SQLITE_OPEN_READONLY, ext);
	char *res = run(db, sql, 1);
	double t1 = now(CLOCK_MONOTONIC), c1 = now(CLOCK_PROCESS_CPUTIME_ID);
	free(res);
	sqlite3_close(db);
	*wall = t1 - t0;
	*cpu = c1 - c0;
}

static int cmd_first(int argc, char **argv)
{
	if (argc != 7)
		return 2;
	const char *path = argv[2], *ext = argv[3], *with = argv[5], *without = argv[6];
	int runs = atoi(argv[4]);
	/* One untimed run of each: the first dlopen of a process pays for relocations. */
	double aw, ac, bw, bc;
	first_answer(path, ext, with, &aw, &ac);
	first_answer(path, ext, without, &bw, &bc);
	printf("first");
	for (int i = 0; i < runs; i++) {
		if (i % 2) {
			first_answer(path, ext, with, &aw, &ac);
			first_answer(path, ext, without, &bw, &bc);
		} else {
			first_answer(path, ext, without, &bw, &bc);
			first_answer(path, ext, with, &aw, &ac);
		}
		printf("\t%.9f,%.9f,%.9f,%.9f", aw, ac, bw, bc);
	}
	printf("\n");
	return 0;
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int cmd_mem(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	sqlite3 *db = open_db(argv[2], SQLITE_OPEN_READONLY, *argv[3] ? argv[3] : NULL);
	exec_or_die(db, "PRAGMA threads = 0;");
	long rss0 = maxrss_kb();
	sqlite3_int64 hw0 = sqlite3_memory_highwater(0), used0 = sqlite3_memory_used();
	char *res = run(db, argv[4], 0);
	long rss1 = maxrss_kb();
	sqlite3_int64 hw1 = sqlite3_memory_highwater(0), used1 = sqlite3_memory_used();
	printf("rss_kb_before=%ld rss_kb_after=%ld heap_hw_before=%lld heap_hw_after=%lld "
	       "heap_used_before=%lld heap_used_after=%lld result=%s\n",
	       rss0, rss1, (long long)hw0, (long long)hw1, (long long)used0, (long long)used1, res);
	free(res);
	sqlite3_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;
	if (argc >= 2 && strcmp(argv[1], "version") == 0) {
		printf("%s\n", sqlite3_libversion());
		rc = 0;
	} else if (argc == 4 && strcmp(argv[1], "exec") == 0) {
		sqlite3 *db = open_db(argv[2], SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
		exec_or_die(db, argv[3]);
		if (sqlite3_close(db) != SQLITE_OK)
			die("close", db);
		rc = 0;
	} else if (argc >= 2 && strcmp(argv[1], "scan") == 0) {
		rc = cmd_scan(argc, argv);
	} else if (argc >= 2 && strcmp(argv[1], "first") == 0) {
		rc = cmd_first(argc, argv);
	} else if (argc >= 2 && strcmp(argv[1], "mem") == 0) {
		rc = cmd_mem(argc, argv);
	}
	if (rc == 2)
		fprintf(stderr, "usage: speed_driver version | exec DB SQL | scan DB EXT REPS WARM SQL... | "
		                "first DB EXT RUNS SQL_WITH SQL_WITHOUT | mem DB EXT SQL\n");
	return rc;
}
