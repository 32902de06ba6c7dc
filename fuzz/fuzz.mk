# --- fuzz: libFuzzer harnesses (fuzz/README.md) ---
# One harness per input tg reads from outside (model blobs, genre lists, CSV rows,
# text through the tokenizer, SQL calls, word vectors), each built with clang's
# libFuzzer, ASan and UBSan from the sources it exercises.  `make fuzz` runs each for
# FUZZ_SECONDS, `make fuzz-smoke` for 15 s, `make fuzz-regress` replays
# fuzz/regressions; `make fuzz-corpus` rewrites the model seeds.  Needs clang and
# libclang-rt-14-dev beyond .ci/deps.sh.
.PHONY: fuzz fuzz-smoke fuzz-regress fuzz-build fuzz-corpus

FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_NAMES     = model_load genre_list csv_reader tokenizer sql vectors
FUZZ_BIN       = $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_CFLAGS    = -std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
                 -fno-sanitize-recover=all -Wall -Wextra -D_POSIX_C_SOURCE=200809L -DSQLITE_CORE \
                 -DTG_VERSION='"$(TG_VERSION)"' $(TG_EXT_INC) $(TRAINER_INC) -Itests/tools
FUZZ_HDRS      = $(wildcard ext/*/*.h trainer/*/*.h fuzz/*.h)

build/fuzz/fuzz_model_load: fuzz/fuzz_model_load.c $(SHARED_SRC) $(FUZZ_HDRS)
build/fuzz/fuzz_genre_list: fuzz/fuzz_genre_list.c trainer/read/genre_list.c trainer/read/genre_bracketed.c trainer/common/fault.c ext/core/utf8.c ext/core/error.c \
                            $(FUZZ_HDRS)
build/fuzz/fuzz_csv_reader: fuzz/fuzz_csv_reader.c trainer/read/csv_reader.c trainer/read/csv_record.c trainer/read/genre_list.c \
                            trainer/read/genre_bracketed.c trainer/common/fault.c \
                            trainer/read/movie.c ext/core/utf8.c ext/core/error.c $(FUZZ_HDRS)
build/fuzz/fuzz_tokenizer: fuzz/fuzz_tokenizer.c trainer/learn/subword.c $(FUZZ_HDRS)
build/fuzz/fuzz_sql: fuzz/fuzz_sql.c $(TG_EXT_SRC) tests/tools/fixture_model.h trainer/store/model_write.c $(FUZZ_HDRS)
build/fuzz/fuzz_vectors: fuzz/fuzz_vectors.c trainer/read/vectors.c ext/core/utf8.c ext/core/error.c $(FUZZ_HDRS)
build/fuzz/fuzz_vectors: FUZZ_CFLAGS += -DTG_VECTORS_CHUNK=7 -DTG_VECTORS_MAX_LINE=256 -DTG_VECTORS_MAX_DIM=16
build/fuzz/fuzz_%:
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(TRAINER_LIBS) -lsqlite3 -lm

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@sh fuzz/run.sh fuzz $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	@sh fuzz/run.sh fuzz 15

fuzz-regress: fuzz-build
	@sh fuzz/run.sh regress

# Rewrites the model seeds (valid blobs from tg_model_write) in fuzz/corpus/model_load.
build/fuzz/gen_corpus: fuzz/gen_corpus.c tests/tools/fixture_model.h build/core/trainer/store/model_write.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE $(TRAINER_INC) $(SQL_INC) -Itests/tools -o $@ $(filter %.c %.o,$^) $(LDFLAGS) $(LDLIBS_CORE)

fuzz-corpus: build/fuzz/gen_corpus
	@mkdir -p fuzz/corpus/model_load
	build/fuzz/gen_corpus fuzz/corpus/model_load
