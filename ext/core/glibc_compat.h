/*
** exp() and log() bound to the symbol versions every glibc has had since the first one
** for x86-64 (GLIBC_2.2.5) and arm64 (GLIBC_2.17), instead of the GLIBC_2.29 ones a
** newer glibc binds by default, so that tg.so loads on glibc 2.17 and later.  glibc 2.29
** gave them new versions only to drop the SVID error handling (matherr): the old ones
** call the same implementation and differ only in setting errno on overflow and
** underflow, so every answer is the same bits (packages-test compares them).
** Only in the loadable extension: a program linking the objects with -static would find
** no versioned symbol in libm.a.  packages/glibc-audit.sh checks what the library needs.
** Include after <math.h>, in each file that calls exp() or log().
*/
#ifndef TG_GLIBC_COMPAT_H
#define TG_GLIBC_COMPAT_H
#if defined(__GLIBC__) && !defined(SQLITE_CORE)
#if defined(__x86_64__)
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
#elif defined(__aarch64__)
__asm__(".symver exp,exp@GLIBC_2.17");
__asm__(".symver log,log@GLIBC_2.17");
#endif
#endif
#endif
