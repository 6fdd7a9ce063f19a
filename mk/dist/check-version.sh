#!/usr/bin/env bash
# The one version: [workspace.package] version in Cargo.toml. Every other file that
# carries a version must agree with it (make set-version VERSION=x.y.z changes them all);
# the runtime versions are compared by test-dist.sh. Run from the repository root.
set -euo pipefail
fail=0
v=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] || { echo "check-version: no version in [workspace.package] of Cargo.toml" >&2; exit 1; }
expect() { # what, found
  if [ "$2" != "$v" ]; then echo "check-version: $1 is '$2', Cargo.toml says $v" >&2; fail=1; fi
}
expect "the hooksig dependency in [workspace.dependencies]" \
  "$(sed -n 's/^hooksig = { path = "core", version = "\([^"]*\)".*/\1/p' Cargo.toml)"
expect "the hooksig-replay dependency in [workspace.dependencies]" \
  "$(sed -n 's/^hooksig-replay = { path = "replay", version = "\([^"]*\)".*/\1/p' Cargo.toml)"
for crate in hooksig hooksig-ffi hooksig-python hooksig-node hooksig-replay hooksig-cli; do
  expect "Cargo.lock's $crate" "$(awk -v n="$crate" '$0=="name = \""n"\"" {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"
done
for crate in core bindings-c bindings-python bindings-node bindings-wasm replay cli; do
  grep -q '^version.workspace = true' "$crate/Cargo.toml" || { echo "check-version: $crate/Cargo.toml has its own version" >&2; fail=1; }
done
json_version() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("version", ""))' "$1"; }
expect bindings-node/package.json "$(json_version bindings-node/package.json)"
for pkg in bindings-node/npm/*/package.json; do expect "$pkg" "$(json_version "$pkg")"; done
# napi build writes the version into the loader's version check.
for found in $(grep -o 'expected [0-9][^ ]* but got' bindings-node/index.js | awk '{print $2}' | sort -u); do
  expect "bindings-node/index.js (regenerate: make node-build)" "$found"
done
# The Composer package's version is the git tag (Packagist) or written by make dist-php.
[ -z "$(json_version bindings-c/php/composer.json)" ] || expect bindings-c/php/composer.json "$(json_version bindings-c/php/composer.json)"
# maturin takes the wheel's version from Cargo.toml: pyproject.toml must not set one.
grep -q '^dynamic = \[.*"version"' bindings-python/pyproject.toml && ! grep -q '^version *=' bindings-python/pyproject.toml \
  || { echo "check-version: bindings-python/pyproject.toml must take the version from Cargo.toml (dynamic)" >&2; fail=1; }
[ $fail = 0 ] && echo "check-version: every package file says $v"
exit $fail
