# --- hardening: sanitizers, valgrind, out-of-memory, kill and full-disk tests ---
# tests/hardening/README.md.  `make hardening` runs all of them and the fuzzers'
# smoke run and regressions (fuzz/fuzz.mk), but not long fuzzing, and ends with
# "N passed, M failed".  Beyond .ci/deps.sh it needs clang and libclang-rt-14-dev
# (libFuzzer; llvm-14 for symbolized crash traces) and valgrind; gcc's libasan, libubsan
# and libtsan come with build-essential.
# Sanitizer builds live in build/asan and build/tsan: each is a tree of symlinks to the
# sources in which the root Makefile runs again (make -C) with sanitizer CFLAGS, so its
# rules serve unchanged and `make` / `make test` are not affected.
.PHONY: hardening asan asan-build valgrind tsan tsan-build oom kill diskfull hardening-tools \
        portable portable-build

# Test programs; in build/asan and build/tsan they are built with the sanitizer.  They
# score the test models of tests/tools/fixture_model.h; they link the extension and
# tg_model_write only (the registry schema comes from the
# generated header), not the whole trainer.
build/hardening/oom_ext build/hardening/threads: build/hardening/%: tests/hardening/%.c \
        tests/tools/fixture_model.h $(REGISTRY_GEN) build/core/trainer/store/model_write.o \
        $(CORE_OBJ) $(EXTSTAT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE $(TRAINER_INC) $(SQL_INC) -Itests/tools $(REGISTRY_INC) -o $@ $(filter %.c %.o,$^) \
	  $(LDFLAGS) $(LDLIBS_CORE) -pthread

build/hardening/blobcheck: tests/hardening/blobcheck.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE -o $@ $(filter %.c %.o,$^) $(LDFLAGS) $(LDLIBS_CORE)

build/hardening/failmalloc.so: tests/hardening/failmalloc.c
	@mkdir -p $(dir $@)
	$(CC) -shared -fPIC -O2 -g -Wall -Wextra -o $@ $<

hardening-tools: build/hardening/blobcheck build/hardening/failmalloc.so

# $(call san_make,DIR,SANITIZER FLAGS,TARGETS): this Makefile, run in DIR.
SAN_LINKS = Makefile VERSION README.md ext trainer registry tests sql .ci fuzz
ASAN_SAN  = -fsanitize=address,undefined -fno-sanitize-recover=all
TSAN_SAN  = -fsanitize=thread
define san_make
	@mkdir -p $(1)
	@for f in $(SAN_LINKS); do [ -e $(1)/$$f ] || ln -sfn ../../$$f $(1)/$$f; done
	+$(MAKE) -C $(1) --no-print-directory CFLAGS="-O1 -g -fno-omit-frame-pointer $(2)" LDFLAGS="$(2)" $(3)
endef

asan-build:
	$(call san_make,build/asan,$(ASAN_SAN),tg.so tg-train $(UNIT_BIN) build/hardening/oom_ext)

asan: asan-build
	@TG_MAKE="$(MAKE)" TG_SAN_CFLAGS="-O1 -g -fno-omit-frame-pointer $(ASAN_SAN)" \
	  TG_SAN_LDFLAGS="$(ASAN_SAN)" CC="$(CC)" sh tests/hardening/asan.sh

valgrind: tg-train $(UNIT_BIN)
	@sh tests/hardening/valgrind.sh

tsan-build:
	$(call san_make,build/tsan,$(TSAN_SAN),build/hardening/threads tg-train)

tsan: tsan-build
	@sh tests/hardening/tsan.sh

oom: asan-build tg-train hardening-tools
	@sh tests/hardening/oom.sh

kill: tg-train tg.so hardening-tools
	@sh tests/hardening/kill.sh

# A store on a full disk (a 3 MB tmpfs, mounted when run as root) leaves the database
# as it was and readable by read-only readers.
diskfull: tg-train
	@sh tests/hardening/diskfull.sh

# The plain-C paths that SSE2/AVX2 machines never take (tokenizer classes, probes, adds,
# ranking): the unit tests built with -DTG_NO_SIMD in build/portable; they include the
# bit-for-bit comparison of the batched sums with the one-key-at-a-time reference.
portable-build:
	$(call san_make,build/portable,-DTG_NO_SIMD,$(UNIT_BIN))

portable: portable-build
	@sh tests/hardening/portable.sh

hardening:
	@MAKE="$(MAKE)" sh tests/hardening/run.sh
