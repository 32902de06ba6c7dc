/* tg's release.  The number lives in the VERSION file at the project's root alone; the
** Makefile passes it in as -DTG_VERSION, and the npm, Python and Debian packages read
** the same file, so no two places can disagree. */
#ifndef TG_VERSION_H
#define TG_VERSION_H
#ifndef TG_VERSION
#error "build with -DTG_VERSION='\"x.y.z\"' (the Makefile reads it from VERSION)"
#endif
#endif
