/*
** Turning margins into decisions, fit on the calibration films (out of fold, or the
** validation split): Platt scaling makes scores probabilities (among films given 0.7,
** about 70% have the genre), and a threshold on that probability, per label or shared
** by all (calibrate_ensemble.c), picks the tags.
*/
#ifndef TG_CALIBRATE_H
#define TG_CALIBRATE_H

#include <stddef.h>

/* Fits p = sigmoid(a*s + b) to labels y (0/1) by Newton's method with Platt's
** smoothed targets (Lin, Lin and Weng 2007).  a is kept positive. */
void tg_platt_fit(const float *s, const unsigned char *y, size_t n, float *a, float *b);

/* The threshold t maximizing the F1 of the tags (p >= t) or forced[i] -- a film is
** always tagged with its top label, so those count whatever t is (forced may be
** NULL), into *out: 1 when no row is positive.  -1 when out of memory. */
int tg_best_threshold(const float *p, const unsigned char *y, const unsigned char *forced, size_t n, float *out);

#endif
