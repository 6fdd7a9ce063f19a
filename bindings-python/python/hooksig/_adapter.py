"""What every framework adapter shares (no framework is imported here).

An adapter reads the raw body itself (up to ``limit`` bytes, else 413
``PAYLOAD_TOO_LARGE``), verifies it with the request line as received, claims
its replay key when a store is given, and answers for the handler on failure:
the error's ``http_status`` with ``{"error": CODE}`` (200 for
``DUPLICATE_DELIVERY``, the handler does not run; 503 for
``REPLAY_STORE_UNAVAILABLE``). The body of an answer never echoes input.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, final

from hooksig import Headers, VerificationError, Verified, Verifier
from hooksig._hooksig import DEFAULT_BODY_LIMIT as DEFAULT_BODY_LIMIT  # the core's, re-exported to the adapters
from hooksig._hooksig import error
from hooksig.replay import Claim, ClaimStore, verify_once

T = TypeVar("T")


@final
@dataclass(frozen=True)
class Delivery:
    """A verified delivery: the result of verify and the raw body bytes (parse them yourself)."""

    verified: Verified
    body: bytes = field(repr=False)


@final
@dataclass(frozen=True)
class Refusal:
    """The answer an adapter gives instead of running the handler."""

    status: int
    code: str

    def json(self) -> bytes:
        return json.dumps({"error": self.code}).encode()


@final
class Gate:
    """One endpoint's verifier, optional store, body limit and retention (built once)."""

    def __init__(
        self,
        verifier: Verifier,
        *,
        store: ClaimStore | None = None,
        limit: int = DEFAULT_BODY_LIMIT,
        retention: int | None = None,
    ) -> None:
        if not isinstance(verifier, Verifier) or type(limit) is not int or limit < 0:
            raise error("INVALID_ARGUMENT")
        self.verifier = verifier
        self.store = store
        self.limit = limit
        self.retention = retention
        verifier.replay_ttl(retention)  # a bad retention fails at start-up, not per request

    def too_large(self, length: int | None) -> bool:
        return length is not None and length > self.limit

    def refuse_too_large(self) -> Refusal:
        err = error("PAYLOAD_TOO_LARGE")  # the core's code and status (413)
        return Refusal(err.http_status, err.code)

    def check(
        self, headers: Headers, body: bytes, method: str, path_and_query: str
    ) -> "tuple[Delivery, Claim | None] | Refusal":
        """Verifies (and claims); a failure is the Refusal to send."""
        if len(body) > self.limit:
            return self.refuse_too_large()
        try:
            if self.store is None:
                verified = self.verifier.verify(headers, body, method=method, path_and_query=path_and_query)
                return Delivery(verified, body), None
            verified, claim = verify_once(
                self.verifier,
                self.store,
                headers,
                body,
                method=method,
                path_and_query=path_and_query,
                retention=self.retention,
            )
        except VerificationError as err:
            return Refusal(err.http_status, err.code)
        return Delivery(verified, body), claim

    def release(self, claim: Claim | None) -> None:
        """After the handler raised: frees the claim so the sender's retry is processed. A store
        that cannot answer leaves the claim to expire; the handler's exception still propagates."""
        if claim is not None and self.store is not None:
            try:
                self.store.release(claim)
            except VerificationError:
                pass

    def run(self, claim: Claim | None, call: Callable[[], T]) -> T:
        try:
            return call()
        except BaseException:
            self.release(claim)
            raise


def content_length(value: str | None) -> int | None:
    """A Content-Length header's value, None when absent or not a number (the server enforces it)."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
