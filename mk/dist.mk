# Release artifacts: `make dist` builds what merchants install into dist/,
# `make test-dist` (part of `make test`) installs each one the way a merchant would, in a
# fresh directory, from a registry or repository served on 127.0.0.1 (pypiserver,
# verdaccio, a Composer artifact repository, an installed C tree), with no Rust toolchain
# on PATH, and runs testdata/vectors.json through the installed package.
#
#   dist/crates/  hooksig-X.crate, hooksig-replay-X.crate, hooksig-cli-X.crate (cargo package, verified)
#   dist/python/  hooksig-X.tar.gz, hooksig-X-cp311-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
#   dist/node/    hooksig-X.tgz, hooksig-linux-x64-gnu-X.tgz   (napi-rs layout; other platforms: RELEASING.md)
#   dist/php/     hooksig-hooksig-X.zip                        (Composer package with lib/linux-x86_64-gnu/)
#   dist/c/       hooksig-X-linux-x86_64-gnu.tar.gz            (relocatable `make install` tree)
#
# The one version is [workspace.package] version in Cargo.toml; mk/dist/check-version.sh
# fails when any other file that carries it disagrees. `make set-version VERSION=x.y.z`
# changes all of them. The tools are pinned in mk/dist/ (requirements.txt, package.json +
# package-lock.json) and installed under target/dist-tools/ (cargo-zigbuild, pinned below, by
# cargo install); apt-get brings composer,
# cmake, pkg-config, php and zip. A missing tool fails the target: nothing is skipped.

DIST := dist
DIST_VERSION = $(shell sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
DIST_TOOLS := target/dist-tools
DIST_VENV := $(DIST_TOOLS)/venv
DIST_NPM := $(DIST_TOOLS)/npm
DIST_STAGE := target/dist-stage
DIST_PIP := $(DIST_VENV)/bin/pip install --quiet --disable-pip-version-check

TEST_TARGETS += test-dist
CLEAN_TARGETS += clean-dist

.PHONY: dist dist-deps dist-apt dist-check-version dist-crates dist-python dist-node dist-php dist-c \
	test-dist set-version clean-dist dist-lib

dist: dist-check-version dist-crates dist-python dist-node dist-php dist-c ## Release artifacts of every language into dist/ (see mk/dist.mk)
	@cd $(DIST) && find . -type f | sort

test-dist: dist-deps dist ## Install every artifact of dist/ from a local registry into a fresh directory (no Rust on PATH) and run the vectors
	bash mk/dist/test-dist.sh $(DIST_VERSION)

dist-check-version: ## Fail if a package file carries another version than Cargo.toml's [workspace.package]
	bash mk/dist/check-version.sh

# ---- tools ---------------------------------------------------------------------------
dist-apt:
	@SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); missing=; \
	for tool in composer cmake pkg-config php zip unzip curl cgi-fcgi; do command -v $$tool >/dev/null || missing=1; done; \
	ls /usr/sbin/php-fpm* >/dev/null 2>&1 || missing=1; \
	php -r 'exit(extension_loaded("zip") ? 0 : 1);' 2>/dev/null || missing=1; \
	if [ -n "$$missing" ]; then \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			composer cmake pkg-config php-cli php-fpm php-zip libfcgi-bin zip unzip curl python3-venv \
			|| { echo "dist: cannot install composer/cmake/pkg-config/php/zip with apt-get" >&2; exit 1; }; \
	fi
	@php -d ffi.enable=1 -r 'exit(extension_loaded("FFI") ? 0 : 1);' || { echo "dist: PHP has no FFI" >&2; exit 1; }
	@php -r 'exit(extension_loaded("zip") ? 0 : 1);' || { echo "dist: PHP has no zip (Composer's artifact repository needs it)" >&2; exit 1; }

$(DIST_VENV)/.installed: mk/dist/requirements.txt
	$(PYTHON) -m venv --clear $(DIST_VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv --clear $(DIST_VENV); }
	$(DIST_PIP) -r mk/dist/requirements.txt
	touch $@

$(DIST_NPM)/.installed: mk/dist/package.json mk/dist/package-lock.json
	rm -rf $(DIST_NPM) && mkdir -p $(DIST_NPM)
	cp mk/dist/package.json mk/dist/package-lock.json $(DIST_NPM)/
	cd $(DIST_NPM) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

dist-deps: dist-apt $(DIST_VENV)/.installed $(DIST_NPM)/.installed

# ---- Rust: the crates that are published, the core first ------------------------------
dist-crates:
	rm -rf $(DIST)/crates && mkdir -p $(DIST)/crates
	$(CARGO) package --locked -p hooksig -p hooksig-replay -p hooksig-cli
	cp $(foreach c,hooksig hooksig-replay hooksig-cli,target/package/$(c)-$(DIST_VERSION).crate) $(DIST)/crates/

# ---- Python: abi3 wheel for manylinux2014 (zig links against glibc 2.17), and the sdist --
dist-python: $(DIST_VENV)/.installed
	rm -rf $(DIST)/python && mkdir -p $(DIST)/python
	cd bindings-python && PATH="$(abspath $(DIST_VENV))/bin:$$PATH" maturin build --release --locked \
		--zig --compatibility manylinux2014 --auditwheel check --out ../$(DIST)/python
	cd bindings-python && PATH="$(abspath $(DIST_VENV))/bin:$$PATH" maturin sdist --out ../$(DIST)/python
	mkdir -p $(DIST_STAGE) && $(DIST_VENV)/bin/auditwheel show $(DIST)/python/*.whl | tee $(DIST_STAGE)/auditwheel.txt
	tr -s ' \n' ' ' < $(DIST_STAGE)/auditwheel.txt | grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"' \
		|| { echo "dist: the wheel is not manylinux_2_17 (manylinux2014) compatible" >&2; exit 1; }

# ---- Node: napi-rs layout: the main package + one package per platform -----------------
# `napi create-npm-dirs` made bindings-node/npm/ (checked in); `napi artifacts` moves the
# addon built here into npm/linux-x64-gnu (told that it is the one target built here: it
# refuses a partial set otherwise); the main package declares every platform package in
# optionalDependencies, as `napi pre-publish` does in a release (RELEASING.md).
dist-node:
	$(MAKE) --no-print-directory node-build
	rm -rf $(DIST)/node $(DIST_STAGE)/node && mkdir -p $(DIST)/node $(DIST_STAGE)/node/artifacts
	# What `npm pack` takes from bindings-node (package.json "files": the adapters, replay, edge/…) but the addon.
	cd bindings-node && node ../mk/dist/npm-files.cjs | xargs cp --parents -t ../$(DIST_STAGE)/node/
	cp -r bindings-node/npm $(DIST_STAGE)/node/
	cp -L LICENSE-MIT LICENSE-APACHE $(DIST_STAGE)/node/
	cp -L LICENSE-MIT LICENSE-APACHE $(DIST_STAGE)/node/npm/linux-x64-gnu/
	cp bindings-node/hooksig.linux-x64-gnu.node $(DIST_STAGE)/node/artifacts/
	echo '{"binaryName": "hooksig", "targets": ["x86_64-unknown-linux-gnu"]}' > $(DIST_STAGE)/node/napi-built-here.json
	cd $(DIST_STAGE)/node && $(abspath bindings-node/node_modules/.bin/napi) artifacts \
		--config-path napi-built-here.json --output-dir artifacts --npm-dir npm
	rm -rf $(DIST_STAGE)/node/*.node $(DIST_STAGE)/node/napi-built-here.json $(DIST_STAGE)/node/artifacts
	test -f $(DIST_STAGE)/node/npm/linux-x64-gnu/hooksig.linux-x64-gnu.node
	node mk/dist/node-optional-deps.cjs $(DIST_STAGE)/node
	cd $(DIST_STAGE)/node/npm/linux-x64-gnu && npm pack --silent --pack-destination $(abspath $(DIST))/node >/dev/null
	cd $(DIST_STAGE)/node && npm pack --silent --pack-destination $(abspath $(DIST))/node >/dev/null

# ---- The shared library the PHP package and the C tarball carry: linked against glibc
# 2.17 by zig (cargo-zigbuild, pinned; zig from the ziglang wheel of the tools venv), as the
# wheel is, so that it loads on older distributions than this one (test-dist checks).
DIST_LIB_TARGET := x86_64-unknown-linux-gnu
DIST_LIB_DIR := target/$(DIST_LIB_TARGET)/release
CARGO_ZIGBUILD_VERSION := 0.24.1
dist-lib: $(DIST_VENV)/.installed
	$(CARGO) install --quiet --locked cargo-zigbuild@$(CARGO_ZIGBUILD_VERSION)
	PATH="$(abspath $(DIST_VENV))/bin:$$PATH" $(CARGO) zigbuild --release --locked -p hooksig-ffi \
		--target $(DIST_LIB_TARGET).2.17

# ---- PHP: the Composer package, with the prebuilt library for linux x86_64 (glibc) -----
dist-php: dist-lib
	rm -rf $(DIST)/php $(DIST_STAGE)/php && mkdir -p $(DIST)/php $(DIST_STAGE)/php/lib/linux-x86_64-gnu $(DIST_STAGE)/php/include
	cd bindings-c/php && cp -r src examples autoload.php preload.php README.md ../../$(DIST_STAGE)/php/
	cp $(DIST_LIB_DIR)/libhooksig_ffi.so $(DIST_STAGE)/php/lib/linux-x86_64-gnu/libhooksig.so
	cp bindings-c/include/hooksig_php.h $(DIST_STAGE)/php/include/
	cp -L LICENSE-MIT LICENSE-APACHE $(DIST_STAGE)/php/
	$(PYTHON) -c 'import json,sys; d=json.load(open("bindings-c/php/composer.json")); d["version"]=sys.argv[1]; \
		json.dump(d, open("$(DIST_STAGE)/php/composer.json","w"), indent=4)' $(DIST_VERSION)
	cd $(DIST_STAGE)/php && zip -qr ../../../$(DIST)/php/hooksig-hooksig-$(DIST_VERSION).zip .

# ---- C: the `make install` tree (relocatable .pc and CMake files), as a tarball ---------
dist-c: dist-lib
	rm -rf $(DIST)/c $(DIST_STAGE)/c && mkdir -p $(DIST)/c
	$(MAKE) --no-print-directory install PREFIX=/hooksig-$(DIST_VERSION) DESTDIR=$(abspath $(DIST_STAGE))/c \
		FFI_LIB_DIR=$(DIST_LIB_DIR)
	tar -C $(DIST_STAGE)/c -czf $(DIST)/c/hooksig-$(DIST_VERSION)-linux-x86_64-gnu.tar.gz hooksig-$(DIST_VERSION)

# ---- the one version ------------------------------------------------------------------
set-version: ## Set the version of every artifact: make set-version VERSION=x.y.z (Cargo.toml, Cargo.lock, package.json, npm/*, index.js)
	@test -n "$(VERSION)" || { echo "usage: make set-version VERSION=x.y.z" >&2; exit 1; }
	sed -i -e '/^\[workspace.package\]/,/^\[/s/^version = ".*"/version = "$(VERSION)"/' \
		-e 's/^\(hooksig = { path = "core", version = \)"[^"]*"/\1"$(VERSION)"/' \
		-e 's/^\(hooksig-replay = { path = "replay", version = \)"[^"]*"/\1"$(VERSION)"/' Cargo.toml
	$(CARGO) update --workspace --offline
	cd bindings-node && npm version --no-git-tag-version --allow-same-version $(VERSION) >/dev/null \
		&& node_modules/.bin/napi version
	$(MAKE) --no-print-directory node-build
	bash mk/dist/check-version.sh

clean-dist:
	rm -rf $(DIST) $(DIST_STAGE) $(DIST_TOOLS)
