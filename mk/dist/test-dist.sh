#!/usr/bin/env bash
# make test-dist: install every artifact of dist/ the way a merchant would and run
# testdata/vectors.json through the installed package. Each install happens in a fresh
# directory under a temporary root, from a registry or repository served on 127.0.0.1 on a
# free port by this script (pypiserver, verdaccio, a Composer artifact repository) or from
# the C tarball, with ~/.cargo/bin (any Rust toolchain) off PATH, except the sdist build,
# which needs one. The vector runners are the bindings' own test files, copied next to a
# copy of testdata/ so that they find the installed package instead of the source tree.
# Every server is stopped and the temporary root removed on exit, whatever happens.
# Usage (from the repository root, after make dist and make dist-deps): test-dist.sh VERSION
set -euo pipefail

V=$1
ROOT=$(pwd)
DIST=$ROOT/dist
TOOLS=$ROOT/target/dist-tools
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hooksig-test-dist.XXXXXX")
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { # description, command...
  local what=$1
  shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
section() { echo; echo "== $* ($SECONDS s)"; }

# PATH without any Rust toolchain: ~/.cargo/bin is dropped, and a Rust installed elsewhere
# (Debian's cargo and rustc in /usr/bin) is shadowed by commands that refuse to run, so an
# install that tries to compile fails here instead of quietly using a toolchain.
mkdir -p "$WORK/no-rust"
for tool in cargo rustc rustup rustdoc cargo-zigbuild; do
  printf '#!/bin/sh\necho "test-dist: %s called, but this install must not need a Rust toolchain" >&2\nexit 127\n' "$tool" \
    >"$WORK/no-rust/$tool"
  chmod +x "$WORK/no-rust/$tool"
done
NORUST_PATH=$WORK/no-rust:$(tr ':' '\n' <<<"$PATH" | grep -v -e '/\.cargo/' -e '/\.rustup/' | paste -sd: -)
# pip's and npm's own settings stay out too: the index or registry is the one given.
norust() {
  env -u CARGO -u RUSTC -u RUSTUP_TOOLCHAIN -u CARGO_HOME -u RUSTUP_HOME -u PIP_FIND_LINKS -u PIP_INDEX_URL \
    -u PIP_EXTRA_INDEX_URL -u npm_config_registry PATH="$NORUST_PATH" "$@"
}
if norust sh -c 'cargo --version || rustc --version' >/dev/null 2>&1; then
  echo "test-dist: a Rust toolchain still runs without ~/.cargo/bin on PATH" >&2
  exit 1
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # url, pid
  local i
  for i in $(seq 100); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { echo "test-dist: the server for $1 exited" >&2; return 1; }
    sleep 0.2
  done
  echo "test-dist: $1 did not answer" >&2
  return 1
}
# The vector files next to a copy of a binding's test files, laid out as in the
# repository, so that the tests' relative paths (../../testdata) find them.
testdata_into() { mkdir -p "$1/testdata" && cp "$ROOT"/testdata/vectors.json "$ROOT"/testdata/explain.json "$1/testdata/"; }

declare -A VERSIONS

# ---- Rust -----------------------------------------------------------------------------
section "Rust: the packaged crates"
for crate in hooksig hooksig-replay hooksig-cli; do
  file=$DIST/crates/$crate-$V.crate
  check "$crate-$V.crate was packaged and verified by cargo package" test -s "$file"
  manifest=$(tar -xzOf "$file" "$crate-$V/Cargo.toml")
  check "$crate: no placeholder repository URL" bash -c '! grep -q "example.invalid" <<<"$1"' _ "$manifest"
  check "$crate: the crate page README is the crate's own" \
    bash -c 'tar -xzOf "$1" "$2-$3/README.md" | head -1 | grep -qx "# $2"' _ "$file" "$crate" "$V"
done
VERSIONS["hooksig --version"]=$(cargo run --quiet --locked -p hooksig-cli -- --version | awk '{print $2}') || true

# ---- Licences -------------------------------------------------------------------------
section "Licences: every artifact carries the repository's LICENSE-MIT and LICENSE-APACHE"
has_licences() { # artifact: both files, as regular files, byte for byte the repository's
  python3 - "$1" "$ROOT" <<'PY'
import pathlib, sys, tarfile, zipfile
artifact, root = sys.argv[1], pathlib.Path(sys.argv[2])
want = {name: (root / name).read_bytes() for name in ("LICENSE-MIT", "LICENSE-APACHE")}
found = {}
if artifact.endswith((".zip", ".whl")):
    with zipfile.ZipFile(artifact) as z:
        for info in z.infolist():
            if (name := info.filename.rsplit("/", 1)[-1]) in want:
                found[name] = z.read(info)
else:
    with tarfile.open(artifact) as t:
        for member in t.getmembers():
            if (name := member.name.rsplit("/", 1)[-1]) in want and member.isfile():
                found[name] = t.extractfile(member).read()
sys.exit(0 if all(found.get(name) == text for name, text in want.items()) else 1)
PY
}
for artifact in "$DIST"/crates/*.crate "$DIST"/python/* "$DIST"/node/*.tgz "$DIST"/php/*.zip "$DIST"/c/*.tar.gz; do
  check "$(basename "$artifact") carries LICENSE-MIT and LICENSE-APACHE" has_licences "$artifact"
done

# ---- glibc ----------------------------------------------------------------------------
section "glibc: the shared libraries of the PHP package and the C tarball need 2.17 at most, as the wheel"
old_enough() { # library: its newest GLIBC_ symbol version is 2.17 or older
  local newest
  newest=$(objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -V | tail -1)
  [ -n "$newest" ] && [ "$(printf '%s\n2.17\n' "$newest" | sort -V | tail -1)" = 2.17 ] \
    || { echo "$1 needs glibc $newest" >&2; return 1; }
}
mkdir -p "$WORK/glibc/php" "$WORK/glibc/c"
unzip -q -o "$DIST/php/hooksig-hooksig-$V.zip" 'lib/*' -d "$WORK/glibc/php"
tar -C "$WORK/glibc/c" -xzf "$DIST/c/hooksig-$V-linux-x86_64-gnu.tar.gz"
check "the Composer package's lib/linux-x86_64-gnu/libhooksig.so needs glibc 2.17 at most" \
  old_enough "$WORK/glibc/php/lib/linux-x86_64-gnu/libhooksig.so"
check "the C tarball's lib/libhooksig.so.$V needs glibc 2.17 at most" old_enough "$WORK/glibc/c/hooksig-$V/lib/libhooksig.so.$V"

# ---- Python ---------------------------------------------------------------------------
section "Python: pypiserver, pip install hooksig into a fresh venv"
mkdir -p "$WORK/pypi"
cp "$DIST"/python/* "$WORK/pypi/"
wheel=$(ls "$DIST"/python/*.whl)
check "the wheel is abi3 and manylinux2014 / manylinux_2_17 x86_64" \
  grep -qE 'hooksig-[^-]+-cp311-abi3-(manylinux2014_x86_64\.manylinux_2_17_x86_64|manylinux_2_17_x86_64\.manylinux2014_x86_64)\.whl$' <<<"$wheel"
check "auditwheel: the wheel is manylinux_2_17 x86_64 consistent" \
  bash -c '"$1"/venv/bin/auditwheel show "$2" | tr -s " \n" " " | grep -q "manylinux_2_17_x86_64"' _ "$TOOLS" "$wheel"
# The sdist's build backend, served by the same index (pip builds it in isolation).
"$TOOLS"/venv/bin/pip download --quiet --disable-pip-version-check --no-deps --only-binary :all: \
  -d "$WORK/pypi" "$(grep '^maturin==' "$ROOT"/mk/dist/requirements.txt)"
port=$(free_port)
"$TOOLS"/venv/bin/pypi-server run -i 127.0.0.1 -p "$port" --disable-fallback "$WORK/pypi" >"$WORK/pypiserver.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$port/simple/" "${PIDS[-1]}"
INDEX=http://127.0.0.1:$port/simple/
PIP_TEST_TOOLS=$(grep -E '^(pytest|iniconfig|packaging|pluggy|Pygments)==' "$ROOT"/mk/dist/requirements.txt)

py_vectors() { # venv, label, command prefix (norust or env)
  local t=$WORK/py-tests-$2
  mkdir -p "$t/bindings-python/tests"
  cp "$ROOT"/bindings-python/tests/__init__.py "$ROOT"/bindings-python/tests/test_vectors.py "$t/bindings-python/tests/"
  testdata_into "$t"
  (cd "$t" && "${@:3}" "$1/bin/python" -m pytest -q -p no:cacheprovider bindings-python/tests/test_vectors.py)
}

mkdir -p "$WORK/py-app" && cd "$WORK/py-app"
norust python3 -m venv venv
check "pip install hooksig --index-url $INDEX (wheel, no Rust on PATH)" norust venv/bin/pip install --quiet \
  --disable-pip-version-check --no-cache-dir --only-binary hooksig --index-url "$INDEX" "hooksig==$V"
check "the installed package is the venv's, not the source tree's" \
  bash -c 'venv/bin/python -c "import hooksig; print(hooksig.__file__)" | grep -q "^$PWD/venv/"'
norust venv/bin/pip install --quiet --disable-pip-version-check $PIP_TEST_TOOLS
check "Python (wheel): testdata/vectors.json through the installed package" py_vectors "$WORK/py-app/venv" wheel norust
VERSIONS["hooksig.__version__"]=$(venv/bin/python -c 'import hooksig; print(hooksig.__version__)') || true

mkdir -p "$WORK/py-sdist" && cd "$WORK/py-sdist"
python3 -m venv venv
# The sdist build compiles the crate (with the toolchain on PATH); its target dir is kept
# between runs, so only the first run from a cold state pays for the whole build.
# Without LTO and with parallel codegen: this checks that the sdist builds and works, the
# wheel that is published is the one above.
SDIST_START=$SECONDS
# A target directory of its own, emptied first: the sdist's files carry the archive's mtimes, so
# cargo would take an earlier run's build of older sources for fresh.
rm -rf "$ROOT/target/dist-sdist"
check "pip install --no-binary hooksig (the sdist, built with a toolchain)" env -u PIP_FIND_LINKS \
  CARGO_TARGET_DIR="$ROOT/target/dist-sdist" CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  venv/bin/pip install --quiet --disable-pip-version-check --no-cache-dir --no-binary hooksig --index-url "$INDEX" "hooksig==$V"
echo "(the sdist build and install took $((SECONDS - SDIST_START)) s)"
check "the sdist built a wheel here (not the prebuilt one)" \
  bash -c '! grep -rq "manylinux" venv/lib/python3*/site-packages/hooksig-*.dist-info/WHEEL'
venv/bin/pip install --quiet --disable-pip-version-check $PIP_TEST_TOOLS
check "Python (sdist): testdata/vectors.json through the installed package" py_vectors "$WORK/py-sdist/venv" sdist env

# ---- Node -----------------------------------------------------------------------------
section "Node: verdaccio, npm install hooksig into a fresh project"
mkdir -p "$WORK/npm"
cat >"$WORK/npm/config.yaml" <<EOF
storage: $WORK/npm/storage
auth:
  htpasswd:
    file: $WORK/npm/htpasswd
uplinks: {}
packages:
  '**':
    access: \$all
    publish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
EOF
port=$(free_port)
"$TOOLS"/npm/node_modules/.bin/verdaccio --config "$WORK/npm/config.yaml" --listen "127.0.0.1:$port" >"$WORK/verdaccio.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$port/-/ping" "${PIDS[-1]}"
REGISTRY=http://127.0.0.1:$port
token=$(curl -sf -X PUT -H 'content-type: application/json' -d '{"name":"release","password":"release-pass"}' \
  "$REGISTRY/-/user/org.couchdb.user:release" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
printf '//127.0.0.1:%s/:_authToken=%s\n' "$port" "$token" >"$WORK/npm/publisher.npmrc"
for tgz in "$DIST/node/hooksig-linux-x64-gnu-$V.tgz" "$DIST/node/hooksig-$V.tgz"; do
  check "npm publish $(basename "$tgz")" npm publish --silent --userconfig "$WORK/npm/publisher.npmrc" --registry "$REGISTRY" "$tgz"
done
npm_fresh() { # dir, npm install args...
  mkdir -p "$1" && cd "$1" && printf '{"name": "merchant-app", "version": "1.0.0", "private": true}\n' >package.json
  shift
  norust npm install --no-audit --no-fund --silent --userconfig /dev/null --cache "$WORK/npm/cache" --registry "$REGISTRY" "$@"
}
check "npm install hooksig --registry $REGISTRY (no Rust on PATH)" npm_fresh "$WORK/node-app" hooksig
cd "$WORK/node-app"
check "the binary comes from the platform package hooksig-linux-x64-gnu" \
  bash -c 'test -f node_modules/hooksig-linux-x64-gnu/hooksig.linux-x64-gnu.node && ! ls node_modules/hooksig/*.node 2>/dev/null'
check "hooksig declares the 8 platform packages in optionalDependencies" \
  node -e 'const d = require("hooksig/package.json").optionalDependencies; process.exit(Object.keys(d).length === 8 && d["hooksig-darwin-arm64"] === require("hooksig/package.json").version ? 0 : 1)'
check "require('hooksig') verifies" node -e '
  const { Verifier, sign } = require("hooksig")
  const headers = sign("github", "s3cret", "body", { id: "d1" })
  if (new Verifier("github", { secrets: "s3cret" }).verify(headers, "body").id !== "d1") process.exit(1)'
check "import { Verifier } from 'hooksig' verifies" node --input-type=module -e '
  import { Verifier, sign, version } from "hooksig"
  const headers = sign("stripe", "whsec_x", "{}", { timestamp: 1700000000 })
  const v = new Verifier("stripe", { secrets: "whsec_x" }).verify(headers, "{}", { now: 1700000000 })
  if (v.scheme !== "stripe" || typeof version !== "string") process.exit(1)'
check "every export of the installed hooksig is there and loads (replay, the adapters)" node -e '
  const fs = require("node:fs"), path = require("node:path")
  const dir = path.dirname(require.resolve("hooksig/package.json"))
  const targets = (t) => (typeof t === "string" ? [t] : Object.values(t).flatMap(targets))
  for (const [sub, target] of Object.entries(require("hooksig/package.json").exports)) {
    for (const file of targets(target)) if (!fs.existsSync(path.join(dir, file))) throw new Error(`${sub}: ${file} is missing`)
    if (!sub.endsWith(".json")) require(path.posix.join("hooksig", sub))
  }
  if (typeof require("hooksig/express").webhook !== "function" || typeof require("hooksig/replay").MemoryStore !== "function") process.exit(1)'
check "the edge build (the deno condition: edge/index.mjs and hooksig.wasm) verifies from the installed package" \
  node --conditions=deno --input-type=module -e '
  import { Verifier, sign } from "hooksig"
  if (!import.meta.resolve("hooksig").endsWith("/hooksig/edge/index.mjs")) process.exit(2)
  const headers = sign("stripe", "whsec_x", "{}", { timestamp: 1700000000 })
  if (new Verifier("stripe", { secrets: "whsec_x" }).verify(headers, "{}", { now: 1700000000 }).scheme !== "stripe") process.exit(1)'
mkdir -p bindings-node/__test__
cp "$ROOT"/bindings-node/__test__/vectors.test.mjs "$ROOT"/bindings-node/__test__/testdata.mjs bindings-node/__test__/
testdata_into "$WORK/node-app"
check "Node: testdata/vectors.json through the installed package" \
  norust node --test --test-reporter=dot bindings-node/__test__/vectors.test.mjs
VERSIONS["require('hooksig').version"]=$(node -p 'require("hooksig").version') || true
# No binary for the platform: the error names the platform and the package looked for.
no_binary() { # expected text..., then -- node args
  local out
  out=$(node "${@:2}" -e 'require("hooksig")' 2>&1) && return 1
  grep -q -- "$1" <<<"$out" || { echo "$out" | head -3 >&2; return 1; }
}
printf 'Object.defineProperty(process, "platform", { value: "darwin" })\nObject.defineProperty(process, "arch", { value: "arm64" })\n' >darwin.cjs
check "on darwin-arm64 without its package, the error names it" \
  no_binary 'platform (darwin-arm64): the package hooksig-darwin-arm64 ' -r ./darwin.cjs
printf 'Object.defineProperty(process, "arch", { value: "riscv64" })\n' >riscv.cjs
check "on linux-riscv64 (no package), the error names it and the prebuilt ones" \
  no_binary 'platform (linux-riscv64-gnu): there is no package hooksig-linux-riscv64-gnu (prebuilt: hooksig-darwin-arm64' -r ./riscv.cjs
check "npm install --omit=optional (no platform package)" npm_fresh "$WORK/node-no-optional" hooksig --omit=optional
cd "$WORK/node-no-optional"
check "without hooksig-linux-x64-gnu, the error names linux-x64-gnu and the package" \
  no_binary 'platform (linux-x64-gnu): the package hooksig-linux-x64-gnu (an optional dependency'

# ---- C --------------------------------------------------------------------------------
section "C: the installed tree (SONAME, symlinks, pkg-config, CMake)"
mkdir -p "$WORK/c" && tar -C "$WORK/c" -xzf "$DIST/c/hooksig-$V-linux-x86_64-gnu.tar.gz"
C=$WORK/c/hooksig-$V
major=${V%%.*}
minor=${V#*.}
minor=${minor%%.*}
check "readelf -d: SONAME libhooksig.so.$major" \
  bash -c 'readelf -d "$1/lib/libhooksig.so.$2" | grep -q "(SONAME).*\[libhooksig.so.$3\]"' _ "$C" "$V" "$major"
check "libhooksig.so -> libhooksig.so.$major -> libhooksig.so.$V" \
  bash -c '[ "$(readlink "$1/lib/libhooksig.so")" = "libhooksig.so.$3" ] && [ "$(readlink "$1/lib/libhooksig.so.$3")" = "libhooksig.so.$2" ]' \
  _ "$C" "$V" "$major"
check "the static library, the header, hooksig.pc and the CMake package are installed" \
  test -f "$C/lib/libhooksig.a" -a -f "$C/include/hooksig.h" -a -f "$C/lib/pkgconfig/hooksig.pc" \
  -a -f "$C/lib/cmake/hooksig/hooksigConfig.cmake" -a -f "$C/lib/cmake/hooksig/hooksigConfigVersion.cmake"
mkdir -p "$WORK/c-app" && cd "$WORK/c-app"
cp "$ROOT"/bindings-c/examples/verify.c .
cat >version.c <<'EOF'
#include <hooksig.h>
#include <stdio.h>
int main(void) { return puts(hooksig_version()) < 0; }
EOF
PC="env PKG_CONFIG_PATH=$C/lib/pkgconfig pkg-config"
check "pkg-config --modversion hooksig is $V" bash -c '[ "$($1 --modversion hooksig)" = "$2" ]' _ "$PC" "$V"
# shellcheck disable=SC2046
check "cc verify.c \$(pkg-config --cflags --libs hooksig)" norust gcc -std=c11 -Wall -Wextra -Werror -pedantic verify.c \
  $($PC --cflags --libs hooksig) -Wl,-rpath,"$C/lib" -o verify-pkgconfig
check "the example records NEEDED libhooksig.so.$major" \
  bash -c 'readelf -d verify-pkgconfig | grep -q "(NEEDED).*\[libhooksig.so.$1\]"' _ "$major"
check "the pkg-config build runs (verifies the example delivery)" ./verify-pkgconfig
# shellcheck disable=SC2046
norust gcc -std=c11 version.c $($PC --cflags --libs hooksig) -Wl,-rpath,"$C/lib" -o version
VERSIONS["hooksig_version()"]=$(./version) || true
cat >CMakeLists.txt <<EOF
cmake_minimum_required(VERSION 3.16)
project(merchant_app C)
find_package(hooksig $major.$minor REQUIRED)
add_executable(verify verify.c)
target_link_libraries(verify hooksig::hooksig)
add_executable(verify_static verify.c)
target_link_libraries(verify_static hooksig::hooksig_static)
EOF
check "cmake: find_package(hooksig $major.$minor REQUIRED), hooksig::hooksig (shared and static)" \
  bash -c 'norust() { env PATH="$1" "${@:2}"; }; norust "$1" cmake -S . -B build -DCMAKE_PREFIX_PATH="$2" -DCMAKE_BUILD_RULE_MESSAGES=OFF >cmake.log 2>&1 \
    && norust "$1" cmake --build build >>cmake.log 2>&1 || { cat cmake.log >&2; exit 1; }' _ "$NORUST_PATH" "$C"
check "the CMake builds run (shared, then static)" bash -c './build/verify && ./build/verify_static'
check "the CMake shared build records NEEDED libhooksig.so.$major" \
  bash -c 'readelf -d build/verify | grep -q "(NEEDED).*\[libhooksig.so.$1\]"' _ "$major"
mkdir -p too-new && sed "s/find_package(hooksig $major.$minor REQUIRED)/find_package(hooksig $((major + 1)).0 REQUIRED)/" \
  CMakeLists.txt >too-new/CMakeLists.txt && cp verify.c too-new/
check "cmake: find_package(hooksig $((major + 1)).0) is refused" \
  bash -c '! cmake -S too-new -B too-new/build -DCMAKE_PREFIX_PATH="$1" >/dev/null 2>&1' _ "$C"

# ---- PHP ------------------------------------------------------------------------------
section "PHP: composer require hooksig/hooksig from an artifact repository"
mkdir -p "$WORK/php-app" && cd "$WORK/php-app"
cat >composer.json <<EOF
{
    "name": "merchant/app",
    "repositories": [{"type": "artifact", "url": "$DIST/php"}, {"packagist.org": false}],
    "minimum-stability": "stable"
}
EOF
export COMPOSER_HOME=$WORK/composer-home COMPOSER_CACHE_DIR=$WORK/composer-cache COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_NO_INTERACTION=1
check "composer require hooksig/hooksig (no Rust on PATH)" \
  norust composer require --quiet --no-interaction "hooksig/hooksig:^$V"
pkg=$WORK/php-app/vendor/hooksig/hooksig
check "the package carries lib/linux-x86_64-gnu/libhooksig.so" test -f "$pkg/lib/linux-x86_64-gnu/libhooksig.so"
VERSIONS['Hooksig\version()']=$(env -u HOOKSIG_LIB php -r 'require "vendor/autoload.php"; echo Hooksig\version();') || true
check "without HOOKSIG_LIB, the bundled library is used" env -u HOOKSIG_LIB php -r '
  require "vendor/autoload.php"; exit(Hooksig\Library::bundledLibrary() === realpath("'"$pkg"'/lib/linux-x86_64-gnu/libhooksig.so") ? 0 : 1);'
check "HOOKSIG_LIB still overrides it" bash -c \
  'HOOKSIG_LIB=/nonexistent/libhooksig.so php -r "require \"vendor/autoload.php\"; Hooksig\version();" 2>&1 | grep -q /nonexistent/libhooksig.so'
# The binding's own test scripts, beside a shim of the package directory that loads the
# installed package (Composer's autoloader, the installed preload.php and example).
shim=$WORK/php-app/bindings-c/php
mkdir -p "$shim/tests" "$shim/examples"
printf '<?php\nrequire __DIR__ . "/../../vendor/autoload.php";\n' >"$shim/autoload.php"
printf '<?php\nrequire "%s/preload.php";\n' "$pkg" >"$shim/preload.php"
cp "$pkg/examples/endpoint.php" "$shim/examples/"
cp "$ROOT"/bindings-c/php/tests/run.php "$ROOT"/bindings-c/php/tests/check.php "$ROOT"/bindings-c/php/tests/fpm.php "$shim/tests/"
testdata_into "$WORK/php-app"
check "PHP CLI: testdata/vectors.json (and php -S round trips) through the installed package" \
  norust env -u HOOKSIG_LIB php bindings-c/php/tests/run.php
check "PHP under php-fpm with opcache.preload (the installed package's preload.php)" \
  norust env -u HOOKSIG_LIB php bindings-c/php/tests/fpm.php
check "C: testdata/vectors.json through the installed libhooksig.so.$major (the PHP runner, HOOKSIG_LIB)" \
  norust env HOOKSIG_LIB="$C/lib/libhooksig.so.$major" php bindings-c/php/tests/run.php

# ---- the one version ------------------------------------------------------------------
section "One version: $V"
for what in "${!VERSIONS[@]}"; do
  check "$what is ${VERSIONS[$what]:-nothing} (Cargo.toml: $V)" test "${VERSIONS[$what]}" = "$V"
done
check "five runtime versions compared" test "${#VERSIONS[@]}" = 5

echo
echo "test-dist took $SECONDS s"
echo "test-dist: $passed passed, $failed failed"
[ "$failed" = 0 ]
