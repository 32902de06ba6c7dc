# tg as packages (packages/README.md): npm tarballs, Python wheels, two .debs and a
# Windows zip, for Linux x86-64, Linux arm64 and Windows x64, built as files under
# build/packages/ and installed from those files by the tests; nothing is published.
# Included by the top Makefile.
#
#   make packages        all of them:  make npm, make wheel, make deb, make winzip
#   make packages-test   install each one from its file and use it (npm, wheel, deb),
#                        and run every platform's build on held-out films (cross-test)
#
# The packages carry release builds of tg.so (and the .deb tg-train): the sources
# compiled once more in build/packages/tree, a tree of symlinks to the project in which
# this Makefile runs with Debian's hardening flags (dpkg-buildflags) plus -O3, stripped;
# the same in build/cross/aarch64 with aarch64-linux-gnu-gcc (arm64's libraries through
# multiarch) and in build/cross/win64 with x86_64-w64-mingw32-gcc (tg.dll).
.PHONY: packages npm wheel deb winzip packages-test npm-test wheel-test deb-test cross-test pkg-deps \
        pkg-release cross-aarch64 cross-win64

PKG_OUT     = build/packages
PKG_TREE    = $(PKG_OUT)/tree
PKG_BIN     = $(PKG_OUT)/bin
TG_MODEL_DB ?= models/genre.db
PKG_LINKS   = $(filter-out build tg.so tg-train,$(wildcard *))
# -Wdate-time stripped: tg_debug() reports __DATE__, which SOURCE_DATE_EPOCH (below) pins.
PKG_FLAGS   = DEB_BUILD_MAINT_OPTIONS=hardening=+all DEB_CPPFLAGS_MAINT_STRIP=-Wdate-time dpkg-buildflags --get

packages: npm wheel deb winzip

# Timestamps inside the packages, and tg_debug()'s build date: the last commit's, so that
# building a commit again gives the same bytes.
PKG_EPOCH = $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
pkg-release cross-aarch64 cross-win64 npm wheel deb deb-arm64 winzip: export SOURCE_DATE_EPOCH ?= $(PKG_EPOCH)

pkg-deps:
	@sh .ci/deps.sh packages

PKG_MAKE    = cd $(PKG_TREE) && $(MAKE) --no-print-directory CFLAGS="$$($(PKG_FLAGS) CFLAGS) -O3" \
              EXTRA_CFLAGS="$$($(PKG_FLAGS) CPPFLAGS)" LDFLAGS="$$($(PKG_FLAGS) LDFLAGS)"
PKG_MULTIARCH = $(shell dpkg-architecture -qDEB_HOST_MULTIARCH)
PKG_DEBROOT = $(CURDIR)/$(PKG_OUT)/deb/$(shell dpkg-architecture -qDEB_HOST_ARCH)/root

# $(call pkg_tree,DIR): DIR (three levels below the project) as a tree of symlinks to it.
define pkg_tree
	@mkdir -p $(1) $(PKG_BIN)
	@for f in $(PKG_LINKS); do [ -e $(1)/$$f ] || ln -sfn ../../../$$f $(1)/$$f; done
endef
PKG_STRIP = --strip-unneeded --remove-section=.comment --remove-section=.note

pkg-release: pkg-deps
	$(call pkg_tree,$(PKG_TREE))
	+@$(PKG_MAKE) tg.so tg-train
	strip $(PKG_STRIP) -o $(PKG_BIN)/tg.so $(PKG_TREE)/tg.so
	strip $(PKG_STRIP) -o $(PKG_BIN)/tg-train $(PKG_TREE)/tg-train

# Linux arm64: Debian's cross compiler, arm64's libsqlite3, libcsv and nettle installed
# through multiarch (.ci/deps.sh), dpkg-buildflags for arm64; into PKG_BIN/linux-arm64.
CROSS_OUT     = build/cross
AARCH64_CC   ?= aarch64-linux-gnu-gcc
ARM64_FLAGS   = DEB_HOST_ARCH=arm64 $(PKG_FLAGS)
ARM64_MAKE    = cd $(CROSS_OUT)/aarch64 && $(MAKE) --no-print-directory CC=$(AARCH64_CC) \
                CFLAGS="$$($(ARM64_FLAGS) CFLAGS) -O3" EXTRA_CFLAGS="$$($(ARM64_FLAGS) CPPFLAGS)" \
                LDFLAGS="$$($(ARM64_FLAGS) LDFLAGS)"
cross-aarch64: pkg-deps
	$(call pkg_tree,$(CROSS_OUT)/aarch64)
	+@$(ARM64_MAKE) tg.so tg-train
	@mkdir -p $(PKG_BIN)/linux-arm64
	aarch64-linux-gnu-strip $(PKG_STRIP) -o $(PKG_BIN)/linux-arm64/tg.so $(CROSS_OUT)/aarch64/tg.so
	aarch64-linux-gnu-strip $(PKG_STRIP) -o $(PKG_BIN)/linux-arm64/tg-train $(CROSS_OUT)/aarch64/tg-train

# Windows x64: tg.dll from MinGW-w64, against Debian's SQLite headers (the same version
# as the SQLite the Windows test program compiles in).  No dpkg-buildflags: they are
# ELF linker flags and glibc's fortify.  No tg-train.exe (packages/README.md says why).
WIN64_CC     ?= x86_64-w64-mingw32-gcc
cross-win64: pkg-deps
	$(call pkg_tree,$(CROSS_OUT)/win64)
	@mkdir -p $(CROSS_OUT)/win64/include $(PKG_BIN)/win32-x64
	@ln -sf /usr/include/sqlite3.h /usr/include/sqlite3ext.h $(CROSS_OUT)/win64/include/
	+@cd $(CROSS_OUT)/win64 && $(MAKE) --no-print-directory CC=$(WIN64_CC) CFLAGS="-O3 -g" \
	  EXTRA_CFLAGS=-Iinclude tg.dll
	x86_64-w64-mingw32-strip --strip-unneeded -o $(PKG_BIN)/win32-x64/tg.dll $(CROSS_OUT)/win64/tg.dll

PKG_ALL = pkg-release cross-aarch64 cross-win64
ARM64_SO = $(PKG_BIN)/linux-arm64/tg.so
WIN64_DLL = $(PKG_BIN)/win32-x64/tg.dll

npm: $(PKG_ALL) $(TG_MODEL_DB)
	@sh packages/npm/build.sh $(PKG_OUT) $(TG_MODEL_DB) linux-x64=$(PKG_BIN)/tg.so \
	  linux-arm64=$(ARM64_SO) win32-x64=$(WIN64_DLL)

wheel: $(PKG_ALL) $(TG_MODEL_DB)
	@sh packages/python/build.sh $(PKG_OUT) $(TG_MODEL_DB) $(PKG_BIN)/tg.so $(ARM64_SO) $(WIN64_DLL)

# Windows: tg.dll, the model and a README in a zip (no tg-train.exe: packages/README.md).
winzip: cross-win64 $(TG_MODEL_DB)
	@sh packages/windows/build.sh $(PKG_OUT) $(WIN64_DLL) $(TG_MODEL_DB)

# The .debs' files are make install's (PREFIX=/usr, the library in the multiarch folder),
# split by debian/build.sh into the runtime package and the trainer package.
deb: pkg-release deb-arm64 $(TG_MODEL_DB)
	@rm -rf $(PKG_DEBROOT)
	+@$(PKG_MAKE) install DESTDIR=$(PKG_DEBROOT) PREFIX=/usr TGLIBDIR=/usr/lib/$(PKG_MULTIARCH)/tg \
	  TG_MODEL_DB=$(abspath $(TG_MODEL_DB)) >/dev/null
	@sh packages/debian/build.sh $(PKG_OUT) $(PKG_BIN) $(PKG_MULTIARCH)

# The same two packages for arm64, from the arm64 build's make install; dpkg-shlibdeps
# reads the dependencies from arm64's libraries, installed through multiarch.
ARM64_DEBROOT = $(CURDIR)/$(PKG_OUT)/deb/arm64/root
.PHONY: deb-arm64
deb-arm64: cross-aarch64 $(TG_MODEL_DB)
	@rm -rf $(ARM64_DEBROOT)
	+@$(ARM64_MAKE) install DESTDIR=$(ARM64_DEBROOT) PREFIX=/usr TGLIBDIR=/usr/lib/aarch64-linux-gnu/tg \
	  TG_MODEL_DB=$(abspath $(TG_MODEL_DB)) >/dev/null
	@DEB_HOST_ARCH=arm64 sh packages/debian/build.sh $(PKG_OUT) $(PKG_BIN)/linux-arm64 aarch64-linux-gnu

packages-test: npm-test wheel-test deb-test cross-test

npm-test: npm
	@TG_MODEL_DB=$(TG_MODEL_DB) sh packages/tests/npm.sh $(PKG_OUT)

wheel-test: wheel
	@TG_MODEL_DB=$(TG_MODEL_DB) sh packages/tests/python.sh $(PKG_OUT)

deb-test: deb
	@TG_MODEL_DB=$(TG_MODEL_DB) sh packages/tests/debian.sh $(PKG_OUT)

# The platforms this machine does not run natively, run here (packages/tests/cross.sh):
# arm64 under qemu-user, Windows under Wine, each with a small program that loads tg
# (packages/tests/host/tg-run.c): for arm64 linked with arm64's libsqlite3, for Windows
# with SQLite compiled in from Debian's source package (web/sqlite-source.sh, the
# amalgamation kept in build/cross/sqlite).  Plus the plain-C build, for the answers.
CROSS_SQLITE = $(CROSS_OUT)/sqlite
$(CROSS_SQLITE)/sqlite3.c: web/sqlite-source.sh web/sqlite3-source.sha256
	sh web/sqlite-source.sh $(CROSS_SQLITE)

$(CROSS_OUT)/win64/sqlite3.o: $(CROSS_SQLITE)/sqlite3.c
	@mkdir -p $(dir $@)
	$(WIN64_CC) -O1 -c -o $@ $<

$(CROSS_OUT)/win64/tg-run.exe: packages/tests/host/tg-run.c $(CROSS_OUT)/win64/sqlite3.o
	$(WIN64_CC) $(WARN) -O2 -I$(CROSS_SQLITE) -o $@ $^

$(CROSS_OUT)/aarch64/tg-run: packages/tests/host/tg-run.c
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(WARN) -O2 -o $@ $< -lsqlite3

.PHONY: portable-so
portable-so:
	$(call san_make,build/portable,-DTG_NO_SIMD,tg.so)

cross-test: npm wheel deb-arm64 winzip portable-so $(CROSS_OUT)/aarch64/tg-run $(CROSS_OUT)/win64/tg-run.exe
	@TG_MODEL_DB=$(TG_MODEL_DB) sh packages/tests/cross.sh $(PKG_OUT)
