/*
** A progress line on stderr for long work -- a bar, items per second and the time
** left -- drawn only when stderr is a terminal, and at most ten times a second.
** Silent otherwise, so logs and pipes never see it.
*/
#ifndef TG_PROGRESS_H
#define TG_PROGRESS_H

#include <stdint.h>

typedef struct tg_progress {
	const char *what, *unit;
	uint64_t total;       /* 0: unknown, no bar or ETA */
	double started, drawn;
	int active;
} tg_progress;

/* Seconds on the monotonic clock: for durations (the progress line, the learning time). */
double tg_seconds_now(void);

void tg_progress_start(tg_progress *p, const char *what, const char *unit, uint64_t total, int quiet);
void tg_progress_update(tg_progress *p, uint64_t done);
void tg_progress_end(tg_progress *p);

#endif
