# tg: genre tagging inside SQLite.  `make` builds ./tg.so and ./tg-train; `make test` runs everything.
#
# Layout (README.md, "Layout"): ext/core/ is the code the extension and the trainer
# share (tokenizer, feature keys, model format, loader, scorer); ext/sql/ is the SQL
# layer on top of it; trainer/ has one folder per stage, layered common < read < clean
# < learn, evaluate < look, store < cli (trainer/layers.mk: each stage compiles with the
# include folders below it only).  The trainer includes ext/core/, never ext/sql/;
# ext/ never includes trainer/.  Shared code is compiled twice: build/so/ for the loadable
# extension (SQLite API through sqlite3ext.h's routine table) and build/core/ for
# programs that link SQLite directly.

CC      ?= cc
OPT     ?= -O3
CFLAGS  ?= $(OPT) -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALLCFLAGS = $(WARN) -MMD -MP -D_POSIX_C_SOURCE=200809L -DTG_VERSION='"$(TG_VERSION)"' -fPIC $(CORE_INC) \
            $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_CORE = -lsqlite3 -lm
# The trainer also links libcsv (reading) and nettle (SHA-256 fingerprints); ext/ only SQLite.
TRAINER_LIBS = -lcsv -lnettle
TG_VERSION := $(shell cat VERSION)
CHECK_LIBS  = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm -pthread)

TRAINER_DIRS = common cli read look clean learn evaluate store
CORE_INC    = -Iext/core
SQL_INC     = -Iext/sql -Iregistry
TRAINER_INC = $(addprefix -Itrainer/,$(TRAINER_DIRS))

SHARED_SRC  = $(wildcard ext/core/*.c)
EXT_SQL_SRC = $(wildcard ext/sql/*.c)
TRAINER_LIB_SRC = $(wildcard $(addsuffix /*.c,$(addprefix trainer/,$(TRAINER_DIRS))))

SO_OBJ      = $(patsubst %.c,build/so/%.o,$(SHARED_SRC) $(EXT_SQL_SRC))
CORE_OBJ    = $(patsubst %.c,build/core/%.o,$(SHARED_SRC))
EXTSTAT_OBJ = $(patsubst %.c,build/core/%.o,$(EXT_SQL_SRC))
TRAINER_OBJ = $(patsubst %.c,build/core/%.o,$(TRAINER_LIB_SRC))

UNIT_SRC  = $(wildcard tests/unit/check_*.c)
UNIT_BIN  = $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))

.PHONY: all test unit sqltest memcheck clean deps testdeps demo demotest clitest reportcheck realdata
# Building never installs anything; only demo, test and CI call .ci/deps.sh.
all: tg.so tg-train

deps:
	@sh .ci/deps.sh build

testdeps:
	@sh .ci/deps.sh test

# The main job in one command: train on data/movies_metadata.csv when you put it there,
# else tag the sample's films in a database of their own with the shipped model
# (sql/demo.sh says which, and shows training on the sample as a toy).
demo: deps all
	@TG_MODEL_DB=$(TG_MODEL_DB) sh sql/demo.sh

# The shipped model: a registry-only database trained on the real movies_metadata.csv
# and the pinned word vectors (TG_VECTORS, vectors/vectors.mk: make vectors fetches them).
# `make model` rebuilds it from data/; `make model-check` retrains from MODEL_CSV and
# compares the blob byte for byte (CI does, on ../shared/data).
TG_MODEL_DB ?= models/genre.db
MODEL_CSV   ?= data/movies_metadata.csv
.PHONY: model model-check
model: tg-train
	sh models/build.sh $(MODEL_CSV) $(TG_MODEL_DB) $(TG_VECTORS)

model-check: tg-train tg.so
	sh models/check.sh $(MODEL_CSV) $(TG_MODEL_DB) $(TG_VECTORS)

# make demo's path as a test: a fresh database, the sample, every demo query answering.
demotest: all
	@sh tests/demo/check.sh

# The HTML report, rendered in headless Chromium.
reportcheck: all build/tests/check_report_html
	@sh tests/report/check.sh

# tg-train as a user meets it: verbs, policies, --query, bad input.
clitest: all
	@sh tests/cli/check.sh

# The quality floor on the real file beside the project (CI runs it too).
REAL_CSV ?= ../shared/data/movies_metadata.csv
realdata: all
	sh tests/realdata/check.sh $(REAL_CSV) 0.70 0.57 0.46

# tg.dll: the same library for Windows, where CC is a MinGW-w64 cross compiler
# (packages/packages.mk's win64 build).
tg.so tg.dll: $(SO_OBJ)
	$(CC) -shared -o $@ $^ $(LDFLAGS) -lm

tg-train: build/core/trainer/main.o $(TRAINER_OBJ) $(CORE_OBJ)
	$(CC) -o $@ $^ $(LDFLAGS) $(TRAINER_LIBS) $(LDLIBS_CORE)

# What an embedder or another build (WASM, the cluster node) compiles: the extension's
# sources, their include path, and the static library of them for programs that link SQLite.
TG_EXT_SRC = $(SHARED_SRC) $(EXT_SQL_SRC)
TG_EXT_INC = $(CORE_INC) $(SQL_INC)
LIBTG      = build/libtg.a

$(LIBTG): $(EXTSTAT_OBJ) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(SO_OBJ) $(CORE_OBJ) $(EXTSTAT_OBJ) $(TRAINER_OBJ) build/core/trainer/main.o: VERSION

# The SQL layer sees core, itself and the registry's SQL (registry/); each trainer stage
# core and the stages below it, its store the registry too (registry/registry.mk).
build/so/ext/sql/%.o build/core/ext/sql/%.o: ALLCFLAGS += $(SQL_INC)
include trainer/layers.mk

build/so/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

build/core/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE -c -o $@ $<


build/tests/%: tests/unit/%.c $(TRAINER_OBJ) $(CORE_OBJ) $(EXTSTAT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE $(TRAINER_INC) $(SQL_INC) -o $@ $(filter %.c %.o,$^) $(LDFLAGS) $(TRAINER_LIBS) $(LDLIBS_CORE) $(CHECK_LIBS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; CK_FORK=$${CK_FORK:-yes} $$t; done

# SQL-level tests: tests/sql/*.sql through the sqlite3 shell with `.load ./tg`, against
# the hand-designed models that tests/tools/tg-fixture writes.
TOOL_BIN = build/tests/tools/tg-fixture

build/tests/tools/%: tests/tools/%.c build/core/trainer/store/model_write.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE $(TRAINER_INC) $(SQL_INC) -o $@ $(filter %.c %.o,$^) $(LDFLAGS) $(LDLIBS_CORE)

sqltest: tg.so $(TOOL_BIN)
	@sh tests/sql/run.sh

# The extension's unit test under valgrind (in one process, so leaks are seen).
memcheck: build/tests/check_extension
	@if command -v valgrind >/dev/null; then \
	  CK_FORK=no valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	    --error-exitcode=1 build/tests/check_extension; \
	else echo "memcheck: SKIPPED (valgrind is not installed)"; fi

test: testdeps all check-layers unit sqltest memcheck demotest clitest reportcheck examples

clean:
	rm -rf build tg.so tg.dll tg-train

-include $(shell find build -name '*.d' 2>/dev/null)

# The registry's generated header, each way tg reaches its users, and the fuzz and
# hardening tests: each in its own folder's makefile.
-include $(wildcard registry/*.mk packages/*.mk web/*.mk cluster/*.mk bench/*.mk vectors/*.mk images/*.mk \
                    fuzz/*.mk tests/hardening/*.mk)
# (here, below the include that defines TG_VECTORS: a prerequisite expands where it is read)
model model-check: $(TG_VECTORS)

# --- examples and install ---
# examples/ (examples/README.md): a sqlite3 shell session, a C program with tg linked in,
# Python, Node.js (better-sqlite3: tag rows, and the HTTP prediction service).
# `make examples` runs every one of them as a test, checks the man page and an install
# into a scratch DESTDIR, and ends with "N passed, M failed".  The first run does
# `npm install` in examples/node (node_modules is not committed).
# `make install` (PREFIX=/usr/local, DESTDIR for staging) installs tg-train in bin/, the
# extension as lib/tg/tg.so (load it with `.load /usr/local/lib/tg/tg`), the man page
# tg-train(1), the shipped model as share/tg/genre.db, sql/*.sql and the registry's
# schema (registry/registry.sql) in share/tg/;
# `make uninstall` removes exactly those.
.PHONY: examples install uninstall

PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
TGLIBDIR = $(PREFIX)/lib/tg
MAN1DIR  = $(PREFIX)/share/man/man1
TGSQLDIR = $(PREFIX)/share/tg
INSTALL ?= install
SQL_FILES = $(notdir $(wildcard sql/*.sql))

# SQLite itself linked in too (libsqlite3.a, from libsqlite3-dev); EMBED_LIBS=-lsqlite3
# links the shared library instead.
EMBED_LIBS ?= -l:libsqlite3.a -lm

build/examples/embed_static: examples/embed_static.c $(EXTSTAT_OBJ) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(SQL_INC) -DSQLITE_CORE -o $@ $(filter %.c %.o,$^) $(LDFLAGS) $(EMBED_LIBS)

examples: all build/examples/embed_static
	@MAKE="$(MAKE)" EMBED_LIBS="$(EMBED_LIBS)" sh examples/run.sh

# The installed man page names $(PREFIX)'s paths, and the installed SQL scripts load
# the installed extension and model (`.load ./tg` becomes `.load $(TGLIBDIR)/tg`).
install: tg-train tg.so
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(TGLIBDIR)" "$(DESTDIR)$(MAN1DIR)" "$(DESTDIR)$(TGSQLDIR)"
	$(INSTALL) -m 755 tg-train "$(DESTDIR)$(BINDIR)/tg-train"
	$(INSTALL) -m 644 tg.so "$(DESTDIR)$(TGLIBDIR)/tg.so"
	sed -e 's|/usr/local/lib/tg|$(TGLIBDIR)|g' -e 's|/usr/local|$(PREFIX)|g' man/tg-train.1 \
	  > "$(DESTDIR)$(MAN1DIR)/tg-train.1"
	chmod 644 "$(DESTDIR)$(MAN1DIR)/tg-train.1"
	$(INSTALL) -m 644 $(TG_MODEL_DB) "$(DESTDIR)$(TGSQLDIR)/genre.db"
	$(INSTALL) -m 644 registry/registry.sql "$(DESTDIR)$(TGSQLDIR)/registry.sql"
	for f in $(SQL_FILES); do \
	  sed -e 's|^\.load \./tg$$|.load $(TGLIBDIR)/tg|' -e 's|models/genre\.db|$(TGSQLDIR)/genre.db|' \
	    "sql/$$f" > "$(DESTDIR)$(TGSQLDIR)/$$f" && \
	  chmod 644 "$(DESTDIR)$(TGSQLDIR)/$$f" || exit 1; \
	done

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/tg-train" "$(DESTDIR)$(TGLIBDIR)/tg.so" "$(DESTDIR)$(MAN1DIR)/tg-train.1"
	rm -f $(addprefix "$(DESTDIR)$(TGSQLDIR)/,$(addsuffix ",$(SQL_FILES))) "$(DESTDIR)$(TGSQLDIR)/genre.db" \
	  "$(DESTDIR)$(TGSQLDIR)/registry.sql"
	rmdir "$(DESTDIR)$(TGLIBDIR)" "$(DESTDIR)$(TGSQLDIR)" 2>/dev/null || true
