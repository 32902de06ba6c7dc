/*
** tg's one error convention, for the core, the SQL layer and the trainer alike:
**
**   a function that can fail takes `char *err, size_t errlen` last, returns its failure
**   code (-1, or its module's code: TG_REG_*, SQLITE_*), and on failure writes into err
**   a message that starts with the cause ("no model with id 7", "database is locked:
**   ..."); it never allocates it.  err may be NULL (or errlen 0) when the caller does not
**   want the message.  On success err is not touched.
**
** The caller's buffer is the choice because the error path then allocates nothing: a
** message survives running out of memory, and nothing has to be freed on any path.
** TG_ERR_MAX bytes hold every message tg writes; a longer one (a very long file or
** model name) is cut, never overrun.
*/
#ifndef TG_ERROR_H
#define TG_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#define TG_ERR_MAX 1024

/* printf into err (if err and errlen); returns -1. */
int tg_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int tg_verrf(char *err, size_t errlen, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

#endif
