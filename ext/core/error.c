/* The one error helper (error.h says the convention). */
#include <stdio.h>

#include "error.h"

int tg_verrf(char *err, size_t errlen, const char *fmt, va_list ap)
{
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	return -1;
}

int tg_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tg_verrf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
