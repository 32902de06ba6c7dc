/*
** LD_PRELOAD shim that makes a program's Nth malloc/calloc/realloc fail, for the
** trainer's out-of-memory test (tests/hardening/oom_trainer.sh).  It needs no change
** to the program: glibc lets malloc be interposed, and the shim forwards to glibc's
** own allocator (__libc_malloc and friends), so free() and the rest stay glibc's.
**
** Counting starts when the shim's constructor runs (after libc is up, before main).
** Environment:
**   TG_FAILMALLOC_N=N        fail allocation number N (1-based); unset or 0: never
**   TG_FAILMALLOC_ALWAYS=1   also fail every allocation after N
**   TG_FAILMALLOC_REPORT=F   at exit, write "<allocations> <failures injected>" to F
**   TG_FAILMALLOC_ZERO=1     every request for 0 bytes returns NULL, as C allows (glibc
**                            returns a pointer): a caller that takes that NULL for out
**                            of memory fails where glibc hid it
** Build: cc -shared -fPIC -o failmalloc.so failmalloc.c
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

void *malloc(size_t n);
void *calloc(size_t a, size_t b);
void *realloc(void *p, size_t n);

static int armed;
static unsigned long count, fail_n, injected;
static int always, zero_null;
static char report_path[512];

static int fail_now(void)
{
	if (!armed)
		return 0;
	/* Counting is racy across threads; the trainer's allocations are counted
	** exactly when it runs single-threaded (--threads 1). */
	unsigned long c = __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED);
	if (fail_n && (c == fail_n || (always && c > fail_n))) {
		__atomic_add_fetch(&injected, 1, __ATOMIC_RELAXED);
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *malloc(size_t n)
{
	if (zero_null && n == 0)
		return NULL;
	return fail_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	if (zero_null && (a == 0 || b == 0))
		return NULL;
	return fail_now() ? NULL : __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	/* realloc(p, 0) frees; it is not an allocation that can fail. */
	if (p && n == 0)
		return __libc_realloc(p, 0);
	if (zero_null && n == 0)
		return NULL;
	return fail_now() ? NULL : __libc_realloc(p, n);
}

static void write_report(void)
{
	armed = 0;
	if (!report_path[0])
		return;
	char line[64];
	int len = snprintf(line, sizeof line, "%lu %lu\n", count, injected);
	int fd = open(report_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, line, (size_t)len) < 0) {
			/* nothing to do */
		}
		close(fd);
	}
}

__attribute__((constructor)) static void failmalloc_init(void)
{
	const char *s = getenv("TG_FAILMALLOC_N");
	fail_n = s ? strtoul(s, NULL, 10) : 0;
	s = getenv("TG_FAILMALLOC_ALWAYS");
	always = s && *s == '1';
	s = getenv("TG_FAILMALLOC_ZERO");
	zero_null = s && *s == '1';
	s = getenv("TG_FAILMALLOC_REPORT");
	if (s && strlen(s) < sizeof report_path) {
		strcpy(report_path, s);
		/* Written at exit() and after main returns, not when killed by a signal. */
		atexit(write_report);
	}
	armed = 1;
}
