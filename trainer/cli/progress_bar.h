/*
** A progress line on stderr for long work -- a bar, items per second and the time
** left -- drawn only when stderr is a terminal, and at most ten times a second.
** Silent otherwise, so logs and pipes never see it.  The stages report through
** common/progress.h's callback, which tg_progress_bar_hook points here.
*/
#ifndef TG_PROGRESS_BAR_H
#define TG_PROGRESS_BAR_H

#include <stdint.h>
#include "progress.h"

typedef struct tg_progress_bar {
	const char *what, *unit;
	uint64_t total;       /* 0: unknown, no bar or ETA */
	double started, drawn;
	int active;
} tg_progress_bar;

void tg_progress_bar_start(tg_progress_bar *p, const char *what, const char *unit, uint64_t total, int quiet);
void tg_progress_bar_update(tg_progress_bar *p, uint64_t done);
void tg_progress_bar_end(tg_progress_bar *p);

/* The callback a stage takes, drawing on p. */
tg_progress tg_progress_bar_hook(tg_progress_bar *p);

#endif
