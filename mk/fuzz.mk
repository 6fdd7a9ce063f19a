# Fuzzing (fuzz/, cargo-fuzz on the nightly toolchain; its own workspace).
#   make fuzz          each target for FUZZ_SECONDS (default 300), AddressSanitizer on
#   make fuzz-smoke    each target for FUZZ_SMOKE_SECONDS (default 20): part of `make test`;
#                      first the oracles' own unit tests (fuzz/src/lib.rs)
#   make fuzz-corpus   rebuild the committed seed corpus from testdata/vectors.json
# A crash, a panic, an over-long input (FUZZ_TIMEOUT s) or a leak fails the target;
# libFuzzer writes the input to fuzz/artifacts/<target>/. New inputs a run finds go
# to fuzz/corpus-run/ (ignored); the committed seeds in fuzz/corpus/ are read only.
FUZZ_TARGETS := verify_any_profile sign_verify_roundtrip parsers canonical_json explain c_abi
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_TIMEOUT ?= 10
FUZZ_JOBS ?= 2
CARGO_FUZZ := $(CARGO) +nightly fuzz
# The smoke run builds without AddressSanitizer: the core and the targets
# forbid `unsafe`, and an ASan build takes minutes longer on a 2-core box.
# Debug assertions and overflow checks stay on (cargo-fuzz's default).
FUZZ_SMOKE_BUILD := --sanitizer none
FUZZ_BUILD ?=

TEST_TARGETS += fuzz-smoke
CLEAN_TARGETS += fuzz-clean

.PHONY: fuzz fuzz-smoke fuzz-tool fuzz-corpus fuzz-clean

fuzz-tool:
	@command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked
	@$(CARGO) +nightly --version >/dev/null || { echo "fuzz: the nightly toolchain is missing (rustup toolchain install nightly)"; exit 1; }

fuzz: fuzz-tool ## Fuzz every target for FUZZ_SECONDS (default 300) with AddressSanitizer; fails on any crash
	cd fuzz && $(CARGO_FUZZ) build $(FUZZ_BUILD)
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) $(addprefix fuzz-run-,$(FUZZ_TARGETS)) \
		FUZZ_RUN_SECONDS=$(FUZZ_SECONDS) FUZZ_RUN_BUILD="$(FUZZ_BUILD)"
	@echo "fuzz: $(words $(FUZZ_TARGETS)) passed, 0 failed ($(FUZZ_SECONDS) s each)"

fuzz-smoke: fuzz-tool ## Fuzz every target for ~20 s (CI regression check); fails on any crash
	$(CARGO) fmt --check --manifest-path fuzz/Cargo.toml
	cd fuzz && $(CARGO) +nightly test --lib --quiet
	cd fuzz && $(CARGO_FUZZ) build $(FUZZ_SMOKE_BUILD)
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) $(addprefix fuzz-run-,$(FUZZ_TARGETS)) \
		FUZZ_RUN_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_RUN_BUILD="$(FUZZ_SMOKE_BUILD)"
	@echo "fuzz-smoke: $(words $(FUZZ_TARGETS)) passed, 0 failed ($(FUZZ_SMOKE_SECONDS) s each)"

fuzz-run-%:
	@mkdir -p fuzz/corpus-run/$*
	@cd fuzz && if $(CARGO_FUZZ) run $(FUZZ_RUN_BUILD) $* corpus-run/$* corpus/$* -- \
			-max_total_time=$(FUZZ_RUN_SECONDS) -timeout=$(FUZZ_TIMEOUT) -max_len=20000 \
			> corpus-run/$*.log 2>&1; then \
		echo "fuzz $*: ok, $$(grep -E '^Done' corpus-run/$*.log)"; \
	else \
		tail -n 40 corpus-run/$*.log; \
		echo "fuzz $*: FAILED; the input is in fuzz/artifacts/$*/ (log: fuzz/corpus-run/$*.log)"; \
		exit 1; \
	fi

fuzz-corpus: ## Rebuild the seed corpus fuzz/corpus/ from testdata/vectors.json
	$(PYTHON) fuzz/make_corpus.py

fuzz-clean:
	rm -rf fuzz/target fuzz/corpus-run fuzz/artifacts
