# benches/: hooksig against what users would use instead, every language, one run.
#
# `make bench` (< 20 min on 2 cores) and `make bench-quick` (< 2 min) run
# benches/run.py, which writes benches/RESULTS.md (and benches/HEADLINE.md, the
# README's table). They are not part of `make test` (speed is never asserted in
# tests); `bench-check` is: it compiles the Rust benches and checks the inputs,
# so the benches cannot rot.
#
# BENCH_SUITES picks suites (default: all); each one installs what it needs and
# fails loudly if it cannot: openssl (the floor), rust (criterion), python
# (venv with the pinned peers + ./bindings-python), node (npm ci of the pinned
# peers + bindings-node built), c (bindings-c's library + libssl-dev), php
# (php-cli with FFI + the C library).

bench_comma := ,
BENCH_SUITES ?= openssl,rust,python,node,c,php
BENCH_PY_DIR := benches/python
BENCH_VENV := $(BENCH_PY_DIR)/.venv
BENCH_NODE_DIR := benches/node

TEST_TARGETS += bench-check
BENCH_TARGETS += bench-express
CLEAN_TARGETS += clean-bench

.PHONY: bench bench-express bench-quick bench-check bench-deps bench-deps-openssl bench-deps-python bench-deps-node bench-deps-c bench-deps-php clean-bench

bench: bench-deps ## Benchmarks against the peers, every language, then BENCH_TARGETS (cost bound, replay, edge, Express); writes benches/RESULTS.md
	$(PYTHON) benches/run.py --suites $(BENCH_SUITES)
	$(MAKE) --no-print-directory $(BENCH_TARGETS)

bench-quick: bench-deps ## One short benchmark round (< 2 min); writes benches/RESULTS.md
	$(PYTHON) benches/run.py --quick --suites $(BENCH_SUITES)

bench-check: ## Compile the criterion benches and check every bench input verifies (no timing)
	$(CARGO) bench --no-run --locked -p hooksig-benches
	$(CARGO) test --locked -p hooksig-benches
	$(PYTHON) -m py_compile benches/run.py benches/python/bench.py
	node --check benches/node/bench.mjs
	node --check benches/node/express.mjs

# Requests per second through the Express adapter against the same app with
# node:crypto by hand and with @hookflo/tern's middleware (pinned in
# benches/node), driven by wrk on loopback; writes benches/RESULTS-express.md.
bench-express: bench-deps-node ## Express adapter req/s vs node:crypto by hand and @hookflo/tern (wrk, loopback); writes benches/RESULTS-express.md
	command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }
	command -v taskset >/dev/null || { apt-get update && apt-get install -y util-linux; }
	cd $(BENCH_NODE_DIR) && node express.mjs

bench-deps: $(foreach s,$(subst $(bench_comma), ,$(BENCH_SUITES)),bench-deps-$(s))

bench-deps-rust:

bench-deps-openssl:
	command -v openssl >/dev/null || { apt-get update && apt-get install -y openssl; }

$(BENCH_VENV)/.installed: $(BENCH_PY_DIR)/requirements.txt
	$(PYTHON) -m venv --clear $(BENCH_VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv --clear $(BENCH_VENV); }
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r $(BENCH_PY_DIR)/requirements.txt
	touch $@

bench-deps-python: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./bindings-python

clean-bench:
	rm -rf $(BENCH_VENV) $(BENCH_NODE_DIR)/node_modules

# The Node peers are pinned in benches/node/package-lock.json; `hooksig` there
# is a link to ./bindings-node, built here (release) by its own make target.
bench-deps-node:
	$(MAKE) --no-print-directory node-build
	cd $(BENCH_NODE_DIR) && npm ci --no-audit --no-fund

# C: OpenSSL's headers (libssl-dev); benches/c/Makefile builds bindings-c's
# static library (release) and links the bench against it.
bench-deps-c:
	[ -f /usr/include/openssl/hmac.h ] || { apt-get update && apt-get install -y libssl-dev; }

# PHP: php-cli with FFI (bindings-c's php-setup) and the C library, loaded by
# bindings-c/php through HOOKSIG_LIB.
bench-deps-php:
	$(MAKE) --no-print-directory php-setup lib-c
