"""Process each signed delivery once (the README's replay example), in any framework.

``receive`` answers a delivery: 200 once its handler ran (or for a duplicate, whose
handler is not run again), the verify error's status otherwise, 503 when the store is
down, 500 when the handler failed (the claim is released, so the sender's retry runs it).
"""

from collections.abc import Callable

import hooksig
from hooksig.replay import ClaimStore, verify_once


def receive(
    verifier: hooksig.Verifier,
    store: ClaimStore,
    headers: hooksig.Headers,
    body: bytes,
    handle: Callable[[hooksig.Verified, bytes], None],
) -> tuple[int, str]:
    try:
        verified, claim = verify_once(verifier, store, headers, body)
    except hooksig.VerificationError as err:
        return err.http_status, err.code  # DUPLICATE_DELIVERY: 200, store down: 503
    try:
        handle(verified, body)
    except Exception:
        store.release(claim)  # the sender retries; the retry is processed
        return 500, "HANDLER_FAILED"
    return 200, "OK"
