# The edge build (bindings-wasm/ -> bindings-node/edge/hooksig.wasm): the core
# as a WebAssembly module for workerd, Vercel Edge, Deno and browsers.
#
# rustup cannot add targets here, so the module is built with Debian's
# rustc-web/cargo-web (in /usr/bin, put first on PATH) and its std sources
# (rust-web-src), std rebuilt for wasm32-unknown-unknown (-Zbuild-std, enabled
# on that stable compiler by RUSTC_BOOTSTRAP=1), linked by lld's wasm-ld. The
# module is committed with a stamp of its inputs (bindings-wasm/stamp.py), so
# `make test` only checks it is current; `make wasm` rebuilds it.
WASM_DIR := bindings-wasm
EDGE_DIR := bindings-node/edge
WASM_TARGET_DIR := target/wasm
WASM_BUILT := $(WASM_TARGET_DIR)/wasm32-unknown-unknown/release/hooksig_wasm.wasm
# Part of the stamp: a change here rebuilds.
WASM_RUSTFLAGS := -C linker=wasm-ld -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort
WASM_PROFILE := CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_STRIP=symbols
WASM_STAMP_FLAGS := $(WASM_RUSTFLAGS) $(WASM_PROFILE)
WASM_NPM := cd $(WASM_DIR) && $(NPM) ci --no-audit --no-fund --silent

# 1: `make test-wasm` also rebuilds the module and compares it byte for byte
# with the committed one (the build is reproducible: the same bytes from any
# checkout path). Off by default for make test's time budget: apt-get of the
# toolchain plus a cold build of std and the core take about 5-6 min on 2 cores.
WASM_REBUILD ?= 0
WASM_BUILD = PATH=/usr/bin:$$PATH RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(WASM_TARGET_DIR) $(WASM_PROFILE) \
  RUSTFLAGS="$(WASM_RUSTFLAGS)" /usr/bin/cargo build --release --locked -p hooksig-wasm \
  --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort

.PHONY: wasm wasm-toolchain wasm-check wasm-reproduce test-wasm bench-wasm clean-wasm

wasm-toolchain: ## Edge: install Debian's rustc-web, cargo-web, rust-web-src and lld (apt-get) when missing
	@dpkg -s rustc-web cargo-web rust-web-src lld >/dev/null 2>&1 \
	  || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y rustc-web cargo-web rust-web-src lld; }

wasm: wasm-toolchain ## Edge: build bindings-node/edge/hooksig.wasm and its stamp (commit both)
	$(WASM_BUILD)
	cp $(WASM_BUILT) $(EDGE_DIR)/hooksig.wasm
	$(PYTHON) $(WASM_DIR)/stamp.py write $(WASM_STAMP_FLAGS)
	@echo "gzip -9: $$(gzip -9 -c $(EDGE_DIR)/hooksig.wasm | wc -c) bytes"

wasm-check: ## Edge: the committed module is the build of the current sources, and <= 150 KB
	$(PYTHON) $(WASM_DIR)/stamp.py check $(WASM_STAMP_FLAGS)

wasm-reproduce: wasm-check wasm-toolchain ## Edge: rebuild the module and compare it byte for byte with the committed one
	$(WASM_BUILD)
	cmp $(WASM_BUILT) $(EDGE_DIR)/hooksig.wasm
	@echo "hooksig.wasm: rebuilt, identical to the committed module"

$(WASM_DIR)/node_modules/.installed: $(WASM_DIR)/package-lock.json
	$(WASM_NPM)
	touch $@

test-wasm: wasm-check $(WASM_DIR)/node_modules/.installed ## Edge: vectors and explain cases through the module in Node; a real workerd and Deno serving deliveries
	@if [ "$(WASM_REBUILD)" = 1 ]; then $(MAKE) --no-print-directory wasm-reproduce; fi
	cd $(WASM_DIR) && npx --no-install tsc --noEmit --strict -p tsconfig.json
	cd $(WASM_DIR) && $(NODE) --test --test-reporter=spec tests/

bench-wasm: wasm-check $(WASM_DIR)/node_modules/.installed ## Edge: the module's verify vs @hookflo/tern, standardwebhooks, svix and the napi addon, in Node
	$(MAKE) --no-print-directory node-build
	cd $(WASM_DIR) && $(NODE) bench/bench.mjs

clean-wasm:
	rm -rf $(WASM_DIR)/node_modules $(WASM_TARGET_DIR)

TEST_TARGETS += test-wasm
BENCH_TARGETS += bench-wasm
CLEAN_TARGETS += clean-wasm
