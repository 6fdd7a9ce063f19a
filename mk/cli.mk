# cli/: the `hooksig` binary (verify, explain, sign, send, listen) and the explain vectors.
.PHONY: test-cli explain-vectors explain-vectors-check

TEST_TARGETS += explain-vectors-check test-cli
# test-cli runs the CLI's tests (they drive the built binary); test-rust need not run them twice.
CARGO_TEST_EXCLUDE += --exclude hooksig-cli

# The listen tests run a real redis-server (mk/replay.mk's redis-deps installs it).
test-cli: redis-deps ## CLI tests on the built binary: subcommands, exit codes, --json, send into listen (once, in memory and Redis), explain vectors
	$(CARGO) test --locked -p hooksig-cli
	$(CARGO) test --locked -p hooksig --test explain

explain-vectors: ## Regenerate testdata/explain.json (Python's hmac is the reference)
	$(PYTHON) testdata/gen_explain.py

explain-vectors-check: ## Fail if testdata/explain.json is not what testdata/gen_explain.py generates
	$(PYTHON) testdata/gen_explain.py --check
