#include <stdio.h>
#include <unistd.h>

#include "clock.h"
#include "progress_bar.h"

void tg_progress_bar_start(tg_progress_bar *p, const char *what, const char *unit, uint64_t total, int quiet)
{
	p->what = what;
	p->unit = unit;
	p->total = total;
	p->started = p->drawn = tg_seconds_now();
	p->active = !quiet && isatty(STDERR_FILENO);
}

static void draw(const tg_progress_bar *p, uint64_t done, double t)
{
	double rate = t > p->started ? done / (t - p->started) : 0;
	if (p->total) {
		int width = 30, filled = (int)(width * (done > p->total ? 1.0 : (double)done / p->total));
		double left = rate > 0 && done < p->total ? (p->total - done) / rate : 0;
		fprintf(stderr, "\r%-10s [%.*s%*s] %3d%%  %.0f %s/s  ETA %.0fs ", p->what, filled,
		        "##############################", width - filled, "", (int)(100.0 * done / p->total),
		        rate, p->unit, left);
	} else {
		fprintf(stderr, "\r%-10s %llu %s  %.0f %s/s ", p->what, (unsigned long long)done, p->unit, rate,
		        p->unit);
	}
}

void tg_progress_bar_update(tg_progress_bar *p, uint64_t done)
{
	if (!p->active)
		return;
	double t = tg_seconds_now();
	if (t - p->drawn < 0.1)
		return;
	p->drawn = t;
	draw(p, done, t);
}

void tg_progress_bar_end(tg_progress_bar *p)
{
	if (p->active)
		fprintf(stderr, "\r\033[K");
	p->active = 0;
}

static void hook_update(void *ctx, uint64_t done)
{
	tg_progress_bar_update(ctx, done);
}

tg_progress tg_progress_bar_hook(tg_progress_bar *p)
{
	return (tg_progress){ hook_update, p };
}
