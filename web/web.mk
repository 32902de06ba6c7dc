# --- tg in the browser (web/README.md) ---
# `make web` builds the static page in build/web/site: SQLite (Debian's sqlite3 source
# package, checked against web/sqlite3-source.sha256) and tg compiled to WebAssembly with
# Debian's emscripten, the page's own files (web/page/) and the model database
# (TG_MODEL_DB, copied as genre.db).  `make web-test` drives the page in headless
# Chromium (web/test/run.sh); `make web-bench` prints its sizes and speed (web/bench.py).
# The amalgamation and its object are kept in build/web/sqlite, so rebuilding the page
# only recompiles what changed.
.PHONY: web web-deps web-model web-test web-bench

TG_MODEL_DB ?= models/genre.db
EMCC        ?= emcc
# Debian's emscripten runs its JS tools with the `node` on PATH, which need not be
# Debian's own and then cannot find Debian's JS modules (acorn) without this.
WEB_EMCC     = NODE_PATH=/usr/share/nodejs $(EMCC)
WEB_DIR      = build/web
WEB_SITE     = $(WEB_DIR)/site
WEB_SQLITE   = $(WEB_DIR)/sqlite
WEB_OPT     ?= -O2
# SQLite for size: -Oz makes its part of the wasm 40 % smaller, and tagging spends its
# time in tg's code (WEB_OPT), not in SQLite's.
WEB_SQLITE_OPT ?= -Oz
# Only what tg's in-memory, single-threaded use needs; SQLITE_EXTRA_INIT registers tg
# on every connection (web/tg_wasm.c).
WEB_SQLITE_DEFS = -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL \
                  -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_OMIT_DEPRECATED -DSQLITE_OMIT_PROGRESS_CALLBACK \
                  -DSQLITE_DEFAULT_MEMSTATUS=0 -DSQLITE_DQS=0 -DSQLITE_TEMP_STORE=3 \
                  -DSQLITE_EXTRA_INIT=tg_wasm_extra_init
WEB_TG_CFLAGS = $(WARN) -MMD -MP -DTG_VERSION='"$(TG_VERSION)"' -DSQLITE_CORE $(TG_EXT_INC) \
                -I$(WEB_SQLITE) $(WEB_OPT)
WEB_TG_OBJ    = $(patsubst %.c,$(WEB_DIR)/obj/%.o,$(TG_EXT_SRC) web/tg_wasm.c)
WEB_EXPORTS   = _tgw_alloc,_tgw_open,_tgw_info,_tgw_run,_tgw_column,_tgw_error
WEB_LDFLAGS   = -sMODULARIZE=1 -sEXPORT_NAME=tgSqlite -sENVIRONMENT=web -sFILESYSTEM=0 \
                -sALLOW_MEMORY_GROWTH=1 -sEXPORTED_FUNCTIONS=$(WEB_EXPORTS) \
                -sEXPORTED_RUNTIME_METHODS=UTF8ToString
WEB_PAGE      = $(wildcard web/page/*)

web: web-deps web-model $(WEB_SITE)/tg-sqlite.js $(patsubst web/page/%,$(WEB_SITE)/%,$(WEB_PAGE))

web-deps:
	@sh .ci/deps.sh web

# Everything that runs a tool waits for web-deps (order-only), also under make -j.
$(WEB_SQLITE)/sqlite3.c: web/sqlite-source.sh web/sqlite3-source.sha256 | web-deps
	rm -rf $(WEB_SQLITE)
	sh web/sqlite-source.sh $(WEB_SQLITE)

$(WEB_SQLITE)/sqlite3.h $(WEB_SQLITE)/sqlite3ext.h: $(WEB_SQLITE)/sqlite3.c

$(WEB_SQLITE)/sqlite3.o: $(WEB_SQLITE)/sqlite3.c web/web.mk | web-deps
	$(WEB_EMCC) $(WEB_SQLITE_OPT) -w $(WEB_SQLITE_DEFS) -c -o $@ $<

$(WEB_DIR)/obj/%.o: %.c VERSION | $(WEB_SQLITE)/sqlite3.h
	@mkdir -p $(dir $@)
	$(WEB_EMCC) $(WEB_TG_CFLAGS) -c -o $@ $<

$(WEB_SITE)/tg-sqlite.js: $(WEB_TG_OBJ) $(WEB_SQLITE)/sqlite3.o web/web.mk
	@mkdir -p $(dir $@)
	$(WEB_EMCC) $(WEB_OPT) -o $@ $(filter %.o,$^) $(WEB_LDFLAGS)

$(WEB_SITE)/%: web/page/%
	@mkdir -p $(dir $@)
	cp $< $@

# The page ships whichever model database TG_MODEL_DB names (copied whenever it differs);
# making one is `make model`'s job.
web-model:
	@test -f "$(TG_MODEL_DB)" || { echo "tg: no model database at $(TG_MODEL_DB): run 'make model'," \
	  "or make web TG_MODEL_DB=path/to/genre.db" >&2; exit 1; }
	@mkdir -p $(WEB_SITE)
	@cmp -s "$(TG_MODEL_DB)" $(WEB_SITE)/genre.db || cp "$(TG_MODEL_DB)" $(WEB_SITE)/genre.db

# tg.so only once web has installed the packages it needs too.
web-test: web
	@$(MAKE) --no-print-directory tg.so
	@sh web/test/run.sh $(WEB_SITE) $(TG_MODEL_DB) $(REAL_CSV)

web-bench: web
	/usr/bin/python3 web/bench.py $(WEB_SITE) $(REAL_CSV)
