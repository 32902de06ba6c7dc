/* Seconds on the monotonic clock: for durations (the progress bar, the learning time). */
#ifndef TG_CLOCK_H
#define TG_CLOCK_H

double tg_seconds_now(void);

#endif
