# Node package (bindings-node/): the napi-rs addon published to npm as `hooksig`.
NODE_DIR := bindings-node
NPM ?= npm
NODE ?= node

.PHONY: test-node node-build node-pack clean-node

# `npm install` from the lock file rather than `npm ci`: the npm registry this
# project is built against lacks the other platforms' optional packages of
# @napi-rs/cli's native helpers (@napi-rs/lzma, tar, wasm-tools), so npm cannot
# write them into package-lock.json and `npm ci` refuses the lock as out of
# sync. `--no-save` installs the locked versions and never rewrites the lock.
node-build: ## Node: install the locked npm dev dependencies, build the release addon, regenerate index.js/index.d.ts
	cd $(NODE_DIR) && $(NPM) install --no-save --no-audit --no-fund
	cd $(NODE_DIR) && $(NPM) run build

test-node: node-build redis-deps ## Node: generated files fresh, tsc --strict over a usage file, node --test (a real redis-server for hooksig/replay), npm pack installs
	@git ls-files --error-unmatch $(NODE_DIR)/index.js $(NODE_DIR)/index.d.ts >/dev/null
	@git diff --exit-code -- $(NODE_DIR)/index.js $(NODE_DIR)/index.d.ts \
	  || { echo "bindings-node/index.js or index.d.ts is stale: run 'make node-build' and commit them" >&2; exit 1; }
	cd $(NODE_DIR) && npx --no-install tsc --noEmit --strict -p tsconfig.json
	cd $(NODE_DIR) && $(NODE) --test --test-reporter=spec __test__/
	$(MAKE) --no-print-directory node-pack

node-pack: ## Node: npm pack, install the tarball in a scratch project, load it by name
	@set -e; scratch=$$(mktemp -d); \
	  (cd $(NODE_DIR) && $(NPM) pack --silent --pack-destination "$$scratch" >/dev/null); \
	  cp $(NODE_DIR)/scripts/pack-check.cjs "$$scratch"/; \
	  cd "$$scratch"; $(NPM) init -y >/dev/null; \
	  $(NPM) install --no-audit --no-fund --silent ./hooksig-*.tgz; \
	  $(NODE) pack-check.cjs; \
	  rm -rf "$$scratch"

clean-node:
	rm -rf $(NODE_DIR)/node_modules $(NODE_DIR)/*.node $(NODE_DIR)/*.tgz

TEST_TARGETS += test-node
CLEAN_TARGETS += clean-node
# A napi addon links against node's symbols: `cargo test` cannot link it; test-node tests it.
CARGO_TEST_EXCLUDE += --exclude hooksig-node
