/*
** How a long stage reports work done without knowing who listens: it calls back with
** the count so far.  tg-train draws a bar from it (cli/progress_bar.h); tests and
** other callers pass NULL.
*/
#ifndef TG_PROGRESS_H
#define TG_PROGRESS_H

#include <stdint.h>

typedef struct tg_progress {
	void (*update)(void *ctx, uint64_t done);
	void *ctx;
} tg_progress;

/* p may be NULL: nobody listens. */
static inline void tg_progress_report(const tg_progress *p, uint64_t done)
{
	if (p && p->update)
		p->update(p->ctx, done);
}

#endif
