#!/usr/bin/env python3
"""What the committed bindings-node/edge/hooksig.wasm was built from.

`stamp.py write FLAGS`: after `make wasm`, records the SHA-256 of the build's
inputs and of the module in bindings-node/edge/hooksig.wasm.stamp.
`stamp.py check FLAGS`: fails if the inputs changed since (the core, this
crate, the locked versions of the crates it links, the build flags), if the
module is not the one stamped, or if it is over the size limit.

The inputs: every file under core/src and bindings-wasm/src, both Cargo.toml
files, the `[[package]]` entries of Cargo.lock for the crates the module
links (others' dependencies do not make it stale), and FLAGS.
"""

import hashlib
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
WASM = ROOT / "bindings-node/edge/hooksig.wasm"
STAMP = WASM.with_name("hooksig.wasm.stamp")
LIMIT = 150 * 1024
# The crates the module links (core's dependencies and theirs), by name.
LOCKED = re.compile(r"^(hooksig|hmac|sha2|subtle|base64|hex|digest|block-buffer|crypto-common|"
                    r"hybrid-array|typenum|cpufeatures|cfg-if|ctutils|cmov|libc)$")


def inputs(flags: str) -> str:
    h = hashlib.sha256()
    files = sorted(
        [p for d in ("core/src", "bindings-wasm/src") for p in (ROOT / d).rglob("*") if p.is_file()]
        + [ROOT / "core/Cargo.toml", ROOT / "bindings-wasm/Cargo.toml"]
    )
    for path in files:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    lock = (ROOT / "Cargo.lock").read_text()
    for entry in lock.split("[[package]]")[1:]:
        name = re.search(r'^name = "([^"]+)"', entry, re.M)
        if name and LOCKED.match(name.group(1)):
            h.update(entry.strip().encode() + b"\0")
    h.update(flags.encode())
    return h.hexdigest()


def main() -> int:
    mode, flags = sys.argv[1], " ".join(sys.argv[2:])
    module = hashlib.sha256(WASM.read_bytes()).hexdigest() if WASM.exists() else "missing"
    want = f"inputs {inputs(flags)}\nwasm {module}\n"
    if mode == "write":
        STAMP.write_text(want)
        print(f"{STAMP.relative_to(ROOT)}: {want.split()[1][:16]}…, module {WASM.stat().st_size} bytes")
        return 0
    have = STAMP.read_text() if STAMP.exists() else ""
    if have != want:
        print(f"{WASM.relative_to(ROOT)} is stale (or not the stamped build): run 'make wasm' and commit it", file=sys.stderr)
        return 1
    size = WASM.stat().st_size
    if size > LIMIT:
        print(f"{WASM.relative_to(ROOT)} is {size} bytes, over the {LIMIT} limit", file=sys.stderr)
        return 1
    print(f"hooksig.wasm: current ({size} bytes <= {LIMIT})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
