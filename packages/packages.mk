# tg as packages (packages/README.md): npm tarballs, a Python wheel and two .debs, built as
# files under build/packages/ and installed from those files by the tests; nothing is
# published.  Included by the top Makefile.
#
#   make packages        all three:  make npm, make wheel, make deb
#   make packages-test   install each one from its file and use it (npm, wheel, deb)
#
# All three carry the same release build of tg.so (and the .deb tg-train): the sources
# compiled once more in build/packages/tree, a tree of symlinks to the project in which
# this Makefile runs with Debian's hardening flags (dpkg-buildflags) plus -O3, stripped.
.PHONY: packages npm wheel deb packages-test npm-test wheel-test deb-test pkg-deps pkg-release

PKG_OUT     = build/packages
PKG_TREE    = $(PKG_OUT)/tree
PKG_BIN     = $(PKG_OUT)/bin
TG_MODEL_DB ?= models/genre.db
PKG_LINKS   = $(filter-out build tg.so tg-train,$(wildcard *))
# -Wdate-time stripped: tg_debug() reports __DATE__, which SOURCE_DATE_EPOCH (below) pins.
PKG_FLAGS   = DEB_BUILD_MAINT_OPTIONS=hardening=+all DEB_CPPFLAGS_MAINT_STRIP=-Wdate-time dpkg-buildflags --get

packages: npm wheel deb

# Timestamps inside the packages, and tg_debug()'s build date: the last commit's, so that
# building a commit again gives the same bytes.
PKG_EPOCH = $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
pkg-release npm wheel deb: export SOURCE_DATE_EPOCH ?= $(PKG_EPOCH)

pkg-deps:
	@sh .ci/deps.sh packages

PKG_MAKE    = cd $(PKG_TREE) && $(MAKE) --no-print-directory CFLAGS="$$($(PKG_FLAGS) CFLAGS) -O3" \
              EXTRA_CFLAGS="$$($(PKG_FLAGS) CPPFLAGS)" LDFLAGS="$$($(PKG_FLAGS) LDFLAGS)"
PKG_MULTIARCH = $(shell dpkg-architecture -qDEB_HOST_MULTIARCH)
PKG_DEBROOT = $(CURDIR)/$(PKG_OUT)/deb/root

pkg-release: pkg-deps
	@mkdir -p $(PKG_TREE) $(PKG_BIN)
	@for f in $(PKG_LINKS); do [ -e $(PKG_TREE)/$$f ] || ln -sfn ../../../$$f $(PKG_TREE)/$$f; done
	+@$(PKG_MAKE) tg.so tg-train
	strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	  -o $(PKG_BIN)/tg.so $(PKG_TREE)/tg.so
	strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	  -o $(PKG_BIN)/tg-train $(PKG_TREE)/tg-train

npm: pkg-release $(TG_MODEL_DB)
	@sh packages/npm/build.sh $(PKG_OUT) $(PKG_BIN)/tg.so $(TG_MODEL_DB)

wheel: pkg-release $(TG_MODEL_DB)
	@sh packages/python/build.sh $(PKG_OUT) $(PKG_BIN)/tg.so $(TG_MODEL_DB)

# The .debs' files are make install's (PREFIX=/usr, the library in the multiarch folder),
# split by debian/build.sh into the runtime package and the trainer package.
deb: pkg-release $(TG_MODEL_DB)
	@rm -rf $(PKG_DEBROOT)
	+@$(PKG_MAKE) install DESTDIR=$(PKG_DEBROOT) PREFIX=/usr TGLIBDIR=/usr/lib/$(PKG_MULTIARCH)/tg \
	  TG_MODEL_DB=$(abspath $(TG_MODEL_DB)) >/dev/null
	@sh packages/debian/build.sh $(PKG_OUT) $(PKG_BIN) $(PKG_MULTIARCH)

packages-test: npm-test wheel-test deb-test

npm-test: npm
	@TG_MODEL_DB=$(TG_MODEL_DB) sh packages/tests/npm.sh $(PKG_OUT)

wheel-test: wheel
	@TG_MODEL_DB=$(TG_MODEL_DB) sh packages/tests/python.sh $(PKG_OUT)

deb-test: deb
	@TG_MODEL_DB=$(TG_MODEL_DB) sh packages/tests/debian.sh $(PKG_OUT)
