"""Python side of `make bench` (run by benches/run.py, one round per call).

Every timed call is what a webhook handler does with the request it was
handed (a header dict with the provider's headers plus eight usual ones, the
raw body as bytes), with objects a user builds once built once:

- hooksig: `Verifier(profile, secret)` once; `.verify(headers, body)` per call
  (the real clock, the default 300 s window);
- hand-written (the baseline): `hmac.new(key, body, sha256).hexdigest()` +
  `hmac.compare_digest` against the raw-hex header (UnknownPay's scheme);
- stripe: `stripe.WebhookSignature.verify_header(body.decode(), header, secret,
  tolerance=300)` (it needs `str`: bytes would be formatted as `b'...'`);
- standardwebhooks / svix: `Webhook(secret)` once; `.verify(body, headers)`
  (both also `json.loads` the body: their API returns the parsed event).

Prints one JSON line per (contestant, size): the median of `--reps`
interleaved batches, in ns per verify.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Callable

import standardwebhooks.webhooks
import stripe
import svix.webhooks

import hooksig


def load(data: Path):
    cases = json.loads((data / "cases.json").read_text())
    bodies = {size: (data / f"body-{size}.json").read_bytes() for size in cases["sizes"]}
    return cases, bodies


def headers_for(cases, profile: str, size: int, key: str = "headers") -> dict[str, str]:
    signed = cases["profiles"][profile]["sizes"][str(size)][key]
    return {**cases["extra_headers"], "Content-Length": str(size), **signed}


def contestants(cases, bodies) -> list[tuple[str, str, str, str, Callable[[int], Callable[[], object]]]]:
    """(name, kind, pair, note, make(size) -> zero-argument call)."""
    out = []

    def hooksig_case(profile: str, two: bool = False):
        secrets = cases["profiles"][profile]["secrets"]
        verifier = hooksig.Verifier(profile, secrets if two else secrets[0])

        def make(size: int):
            headers = headers_for(cases, profile, size, "headers_old" if two else "headers")
            body = bodies[size]
            verify = verifier.verify
            expect = 1 if two else 0
            if verify(headers, body).secret_index != expect:
                raise SystemExit(f"hooksig {profile}: wrong secret index")
            return lambda: verify(headers, body)

        name = f"hooksig {profile}" + (" (2 secrets, 2nd matches)" if two else "")
        out.append((name, "hooksig", "", "", make))

    for profile in ("unknownpay", "key2pay", "stripe", "standard-webhooks", "github"):
        hooksig_case(profile)
    hooksig_case("standard-webhooks", two=True)

    raw_secret = cases["profiles"]["unknownpay"]["secrets"][0].encode()

    def handwritten(size: int):
        headers = headers_for(cases, "unknownpay", size)
        body = bodies[size]

        def call():
            sig = headers.get("X-Webhook-Signature")
            if sig is None:
                raise ValueError("missing")
            expected = hmac.new(raw_secret, body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected.encode(), sig.encode()):
                raise ValueError("mismatch")
            return True

        call()
        return call

    out.append(("hmac + compare_digest", "baseline", "hooksig unknownpay",
                "`hmac.new(key, body, sha256).hexdigest()` + `compare_digest`, raw-hex header (UnknownPay's scheme)",
                handwritten))

    stripe_secret = cases["profiles"]["stripe"]["secrets"][0]

    def stripe_peer(size: int):
        header = headers_for(cases, "stripe", size)["Stripe-Signature"]
        body = bodies[size]
        verify_header = stripe.WebhookSignature.verify_header
        # verify_header formats the payload with %s, so it needs str (as
        # construct_event does, the handler decodes the bytes first).
        verify_header(body.decode("utf-8"), header, stripe_secret, tolerance=300)
        return lambda: verify_header(body.decode("utf-8"), header, stripe_secret, tolerance=300)

    out.append(("stripe", "peer", "hooksig stripe",
                "`stripe.WebhookSignature.verify_header(body.decode(), header, secret, tolerance=300)`", stripe_peer))

    sw_secret = cases["profiles"]["standard-webhooks"]["secrets"][0]
    for name, cls in (("standardwebhooks", standardwebhooks.webhooks.Webhook), ("svix", svix.webhooks.Webhook)):
        def peer(size: int, cls=cls):
            wh = cls(sw_secret)
            headers = headers_for(cases, "standard-webhooks", size)
            body = bodies[size]
            wh.verify(body, headers)
            return lambda: wh.verify(body, headers)

        out.append((name, "peer", "hooksig standard-webhooks",
                    f"`{name}` `Webhook(secret)` once, `.verify(body, headers)` (also parses the JSON)", peer))
    return out


def batch(call: Callable[[], object], seconds: float) -> float:
    """ns per call over a batch of about `seconds`."""
    n = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            call()
        dt = time.perf_counter_ns() - t0
        if dt >= seconds * 1e9 or n >= 1 << 24:
            return dt / n
        n = max(n * 2, int(n * seconds * 1e9 / max(dt, 1) * 1.1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--seconds", type=float, default=0.25)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--round", type=int, default=0)
    args = ap.parse_args()
    cases, bodies = load(args.data)
    sizes = [int(s) for s in cases["sizes"]]
    entries = contestants(cases, bodies)
    calls = {(e[0], size): e[4](size) for e in entries for size in sizes}
    times: dict[tuple[str, int], list[float]] = {k: [] for k in calls}
    per = args.seconds / args.reps
    for rep in range(args.reps):
        shift = (args.round + rep) % len(entries)
        order = entries[shift:] + entries[:shift]
        for size in sizes:
            for e in order:
                times[(e[0], size)].append(batch(calls[(e[0], size)], per))
    meta = {"runtime": f"Python {sys.version.split()[0]}",
            "packages": {p: version(p) for p in ("hooksig", "stripe", "standardwebhooks", "svix")}}
    print(json.dumps({"meta": meta}))
    for name, kind, pair, note, _ in entries:
        for size in sizes:
            print(json.dumps({"name": name, "kind": kind, "pair": pair, "note": note, "size": size,
                              "ns": statistics.median(times[(name, size)])}))


if __name__ == "__main__":
    main()
