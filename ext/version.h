/* tg's release, reported by tg_version() and tg-train --version. */
#ifndef TG_VERSION_H
#define TG_VERSION_H
#define TG_VERSION "0.1.0"
#endif
