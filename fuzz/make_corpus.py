#!/usr/bin/env python3
"""Build the committed seed corpus fuzz/corpus/<target>/ from testdata/vectors.json.

    python3 fuzz/make_corpus.py

Each seed is one vector case written in the target's input framing (see the
target's doc comment and hooksig_fuzz::Reader): integers little endian, fields
as a 2-byte little-endian length and the bytes. File names are the SHA-1 of the
content, as libFuzzer names its own. Python 3.11, standard library only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
VECTORS = HERE.parent / "testdata" / "vectors.json"
CORPUS = HERE / "corpus"


def wire(x) -> bytes:
    return bytes.fromhex(x["hex"]) if isinstance(x, dict) else x.encode("utf-8")


def body(case: dict) -> bytes:
    return bytes.fromhex(case["body_hex"]) if "body_hex" in case else case["body"].encode("utf-8")


def field(data: bytes) -> bytes:
    assert len(data) < 1 << 16
    return struct.pack("<H", len(data)) + data


def verify_seed(case: dict) -> bytes | None:
    secrets = [s.encode() for s in case["secrets"]]
    if len(secrets) > 9:
        return None
    tol = case.get("tolerance")
    mode, past, future = (0, 0, 0) if tol is None else (1, 0, 0) if tol == "disabled" else (2, tol["past"], tol["future"])
    request = case.get("request") or {"method": "", "path_and_query": ""}
    out = struct.pack("<BBQII", len(secrets), mode, case["now"] or 0, past, future)
    out += field(case["scheme"].encode()) + b"".join(map(field, secrets)) + field(body(case))
    out += field(request["method"].encode()) + field(request["path_and_query"].encode())
    return out + b"".join(field(wire(n)) + field(wire(v)) for n, v in case["headers"])


def raw_key(scheme: str, secret: str) -> bytes | None:
    """The key bytes behind a displayed secret (the round-trip target re-encodes them)."""
    if scheme in ("standard-webhooks", "svix") or "key=base64" in scheme:
        text = secret.removeprefix("whsec_") if scheme in ("standard-webhooks", "svix") else secret
        try:
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except ValueError:
            return None
    return secret.encode()


def sign_seed(index: int, case: dict) -> bytes | None:
    key = raw_key(case["scheme"], case["secret"])
    if key is None:
        return None
    ts = case["timestamp"] or 0
    request = case.get("request") or {"method": "", "path_and_query": "", "key_id": None}
    ident = case["id"] if case["id"] is not None else request.get("key_id")
    flags = (1 if ident is not None else 0) | (2 if ts >= 10**12 else 0)
    out = struct.pack("<BQI", flags, ts, index * 7919)
    out += field(case["scheme"].encode()) + field(key) + field(body(case)) + field((ident or "").encode())
    return out + field(request["method"].encode()) + field(request["path_and_query"].encode())


def write(target: str, seeds) -> int:
    directory = CORPUS / target
    # Seeds named regression-* are inputs that once failed (kept by hand, see
    # SECURITY.md); everything else is regenerated.
    kept = {p.name: p.read_bytes() for p in directory.glob("regression-*")}
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for name, seed in kept.items():
        (directory / name).write_bytes(seed)
    unique = {hashlib.sha1(s).hexdigest(): s for s in seeds if s is not None}
    for name, seed in unique.items():
        (directory / name).write_bytes(seed)
    return len(unique)


def main() -> None:
    doc = json.loads(VECTORS.read_text(encoding="utf-8"))
    # A few hundred seeds: every provider and adversarial case, every third other one.
    cases = [c for i, c in enumerate(doc["cases"])
             if not c["source"].startswith("hooksig: ") or "adversarial/" in c["source"] or i % 3 == 0]
    sign_cases = doc["sign_cases"]
    counts = {
        "verify_any_profile": write("verify_any_profile", map(verify_seed, cases)),
        "sign_verify_roundtrip": write("sign_verify_roundtrip", (sign_seed(i, c) for i, c in enumerate(sign_cases))),
        # Every signature and timestamp header value that appears in a case.
        "parsers": write("parsers", (wire(v) for c in cases for n, v in c["headers"]
                                     if isinstance(n, str) and ("sig" in n.lower() or "timestamp" in n.lower()))),
        "canonical_json": write("canonical_json", (body(c) for c in doc["cases"] if c["scheme"] == "akashicpay")),
    }
    print("fuzz/make_corpus.py: " + ", ".join(f"{t} {n}" for t, n in counts.items()) + " seeds")


if __name__ == "__main__":
    main()
