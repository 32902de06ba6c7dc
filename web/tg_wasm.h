/*
** What the WebAssembly build exports to the page (web/page/app.js calls these through
** the Module's _tgw_* functions).  Texts and model bytes are passed in buffers from
** tgw_alloc, which SQLite then owns; returned strings are UTF-8, valid until the
** next call.  Every error message starts with "tg: ".
*/
#ifndef TG_WASM_H
#define TG_WASM_H

/* n bytes from SQLite's allocator, for the bytes the page passes in. */
void *tgw_alloc(int n);

/* Opens the model database from its n bytes.  Returns 0, or 1 (see tgw_error). */
int tgw_open(unsigned char *bytes, int n);

/* {"version": tg_version(), "sqlite": sqlite_version(), "model": tg_model()}. */
const char *tgw_info(void);

/* Answers a film: its overview (n UTF-8 bytes) and its title (title_n bytes, 0 for
** none), as tg_text(title, overview) hands them to the model.  Returns 0, or 1 (see
** tgw_error). */
int tgw_run(char *text, int n, char *title, int title_n);

/*
** Column i of the last answer: 0 tg_predict, 1 tg_tags, 2 tg_scores, 3 tg_explain for
** the top genre, each exactly as the SQL function returns it on tg_text(title,
** overview); NULL when the text has no word the model knows.
*/
const char *tgw_column(int i);

/* The last error message, or "". */
const char *tgw_error(void);

#endif
