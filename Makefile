# tg: genre tagging inside SQLite.  `make` builds ./tg.so and ./tg-train; `make test` runs everything.
#
# Layout: ext/ holds the extension and the code it shares with the trainer (tokenizer,
# features, model format).  trainer/ links that shared code; ext/ never includes trainer/.
# Shared code is compiled twice: build/so/ for the loadable extension (SQLite API through
# sqlite3ext.h's routine table) and build/core/ for programs that link SQLite directly.

CC      ?= cc
OPT     ?= -O3
CFLAGS  ?= $(OPT) -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALLCFLAGS = $(WARN) -MMD -MP -D_POSIX_C_SOURCE=200809L -fPIC -Iext $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_CORE = -lsqlite3 -lm
CHECK_LIBS  = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm -pthread)

SHARED_SRC  = ext/model.c ext/checksum.c ext/json.c
EXT_SQL_SRC = $(filter-out $(SHARED_SRC),$(wildcard ext/*.c))
TRAINER_LIB_SRC = $(filter-out trainer/main.c,$(wildcard trainer/*.c))

SO_OBJ      = $(patsubst %.c,build/so/%.o,$(SHARED_SRC) $(EXT_SQL_SRC))
CORE_OBJ    = $(patsubst %.c,build/core/%.o,$(SHARED_SRC))
EXTSTAT_OBJ = $(patsubst %.c,build/core/%.o,$(EXT_SQL_SRC))
TRAINER_OBJ = $(patsubst %.c,build/core/%.o,$(TRAINER_LIB_SRC))

UNIT_SRC  = $(wildcard tests/unit/check_*.c)
UNIT_BIN  = $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))

.PHONY: all test unit clean deps
all: deps tg.so tg-train

deps:
	@sh .ci/deps.sh

tg.so: $(SO_OBJ)
	$(CC) -shared -o $@ $^ $(LDFLAGS)

tg-train: build/core/trainer/main.o $(TRAINER_OBJ) $(CORE_OBJ)
	$(CC) -o $@ $^ $(LDFLAGS) -lcsv $(LDLIBS_CORE)

build/so/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

build/core/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE -c -o $@ $<

# The registry schema lives in sql/registry.sql; the trainer embeds that very file.
build/gen/schema_sql.h: sql/registry.sql sql/embed.sh
	@mkdir -p $(dir $@)
	sh sql/embed.sh $< $@ tg_registry_schema_sql

build/core/trainer/registry.o: build/gen/schema_sql.h
build/core/trainer/registry.o: ALLCFLAGS += -Ibuild/gen

build/tests/%: tests/unit/%.c $(TRAINER_OBJ) $(CORE_OBJ) $(EXTSTAT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE -Itrainer -o $@ $^ $(LDFLAGS) -lcsv $(LDLIBS_CORE) $(CHECK_LIBS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; CK_FORK=$${CK_FORK:-yes} $$t; done

test: all unit

clean:
	rm -rf build tg.so tg-train

-include $(shell find build -name '*.d' 2>/dev/null)
