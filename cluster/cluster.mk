# --- cluster: tg on dqlite, and HTTP replicas behind haproxy (cluster/README.md) ---
# build/tg-node: the dqlite node (cluster/node/, Go only because dqlite's client is Go)
# with build/libtg.a linked in.  Built offline against Debian's Go packages (GOPATH mode).
# `make cluster-test`: a 3-node TLS cluster on loopback (push, tag, kill the leader,
# deploy, restart, rollback) and the HTTP replicas' security and load checks; bounded,
# ends with "N passed, M failed" lines and the load table.  `make cluster-bench`: the
# longer load table (1, 2, 4 replicas) for bench/README.md.
.PHONY: cluster-deps cluster-test cluster-bench

TG_NODE = build/tg-node
GO_ENV  = GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$(CURDIR)/build/go-cache \
          CGO_LDFLAGS_ALLOW='-Wl,-z,now' \
          CGO_CFLAGS="$(patsubst -I%,-I$(CURDIR)/%,$(TG_EXT_INC)) -I$(CURDIR)/build/gen" \
          CGO_LDFLAGS="-L$(CURDIR)/build"

cluster-deps:
	@sh .ci/deps.sh cluster

$(TG_NODE): $(wildcard cluster/node/*.go) $(LIBTG) $(REGISTRY_GEN) registry/verbs.h
	cd cluster/node && env $(GO_ENV) go build -o $(CURDIR)/$@ .

# server.js's better-sqlite3, as make examples installs it.
NODE_MODULES = examples/node/node_modules/better-sqlite3
$(NODE_MODULES):
	cd examples/node && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL npm ci --no-audit --no-fund

cluster-test: cluster-deps all $(TG_NODE) $(NODE_MODULES)
	@sh cluster/test.sh $(REAL_CSV)
	@sh cluster/http_test.sh $(REAL_CSV)

cluster-bench: cluster-deps all $(NODE_MODULES)
	@TG_BENCH=long sh cluster/http_test.sh $(REAL_CSV)
