# hooksig — the README's commands. CI (.ci/run) calls `make test`.
CARGO ?= cargo
PYTHON ?= python3

# Each part of the tree adds its own targets (see mk/README.md).
TEST_TARGETS :=
DEMO_TARGETS :=
BENCH_TARGETS :=
CLEAN_TARGETS :=
CARGO_TEST_EXCLUDE :=
include $(sort $(wildcard mk/*.mk))

.PHONY: help demo check test lint fmt test-rust nostd vectors vectors-check doc clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

demo: ## Sample deliveries of every profile; then the CLI: listen, send valid and tampered, explain
	$(CARGO) run --quiet --release -p hooksig --example demo
	$(CARGO) build --quiet --locked -p hooksig-cli
	bash cli/demo.sh target/debug/hooksig

check: ## The fast loop for core changes (< 2 min warm): fmt, clippy on the core, the core's tests, vector freshness
	$(CARGO) fmt --all --check
	$(CARGO) clippy -p hooksig --all-targets --locked -- -D warnings
	$(CARGO) clippy -p hooksig --lib --no-default-features --locked -- -D warnings
	$(CARGO) test -p hooksig --locked
	$(PYTHON) testdata/gen_vectors.py --check
	@echo "make check: passed (make test runs everything)"

test: lint test-rust nostd vectors-check $(TEST_TARGETS) ## Everything CI runs: lint, all tests and doctests, the no_std proof, vector freshness
	@echo "make test: all checks passed"

lint: ## rustfmt and clippy (warnings are errors), also without default features
	$(CARGO) fmt --all --check
	$(CARGO) fmt --check --manifest-path nostd-check/Cargo.toml
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) clippy -p hooksig --lib --no-default-features --locked -- -D warnings

fmt: ## Format the code
	$(CARGO) fmt --all
	$(CARGO) fmt --manifest-path nostd-check/Cargo.toml

test-rust: ## Unit, vector, Wycheproof/RFC 4231, property tests and doctests
	$(CARGO) test --workspace --locked $(CARGO_TEST_EXCLUDE)
	$(CARGO) build -p hooksig --no-default-features --locked

nostd: ## Prove the core links with no std: a no_std staticlib with its own panic handler
	$(CARGO) build --locked --manifest-path nostd-check/Cargo.toml
	@echo "no_std proof: hooksig linked into a #![no_std] staticlib with panic=abort"

vectors: ## Regenerate our own cases in testdata/vectors.json (Python's hmac as the reference)
	$(PYTHON) testdata/gen_vectors.py

vectors-check: ## Fail if testdata/vectors.json is not what testdata/gen_vectors.py generates
	$(PYTHON) testdata/gen_vectors.py --check

doc: ## API documentation
	$(CARGO) doc -p hooksig --no-deps

clean: $(CLEAN_TARGETS)
	$(CARGO) clean
	$(CARGO) clean --manifest-path nostd-check/Cargo.toml
