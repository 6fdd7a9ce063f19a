"""Starlette adapter: ``@webhook(verifier, store=...)`` on an ``async def`` endpoint.

The endpoint becomes ``async def endpoint(request) -> Response`` for a
``Route``; the handler is called as ``handler(request, delivery)`` only for a
verified (and, with a store, first) delivery. ``await request.body()`` in the
handler gives the same bytes as ``delivery.body``. Also used by
``hooksig.fastapi``. Importing ``hooksig`` does not import this module.
"""

import functools
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from hooksig import Verifier
from hooksig._adapter import DEFAULT_BODY_LIMIT, Delivery, Gate, Refusal, content_length
from hooksig.replay import Claim, ClaimStore

__all__ = ["DEFAULT_BODY_LIMIT", "Delivery", "webhook"]

Handler = Callable[[Request, Delivery], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def refusal_response(refusal: Refusal) -> Response:
    return Response(refusal.json(), status_code=refusal.status, media_type="application/json")


def request_line(request: Request) -> tuple[str, str]:
    """The method and the path with its query as received (the ASGI ``raw_path``)."""
    scope = request.scope
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else scope.get("root_path", "") + scope["path"]
    query: bytes = scope.get("query_string", b"")
    return request.method, (path + "?" + query.decode("latin-1")) if query else path


async def read_body(gate: Gate, request: Request) -> bytes | None:
    """The raw body, or None past the limit (read no further than limit + 1 chunk)."""
    if gate.too_large(content_length(request.headers.get("content-length"))):
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > gate.limit:
            return None
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # so that `await request.body()` in the handler gives these bytes
    return body


async def admit(gate: Gate, request: Request) -> tuple[Delivery, Claim | None] | Response:
    """Reads, verifies and claims: the delivery and its claim, or the response to send."""
    body = await read_body(gate, request)
    if body is None:
        return refusal_response(gate.refuse_too_large())
    method, path_and_query = request_line(request)
    outcome = gate.check(request.headers.raw, body, method, path_and_query)
    if isinstance(outcome, Refusal):
        return refusal_response(outcome)
    return outcome


def webhook(
    verifier: Verifier,
    *,
    store: ClaimStore | None = None,
    limit: int = DEFAULT_BODY_LIMIT,
    retention: int | None = None,
) -> Callable[[Handler], Endpoint]:
    """Wraps ``async def handler(request, delivery) -> Response`` into a Starlette endpoint.

    On failure it answers ``{"error": CODE}`` with the error's HTTP status (200 for
    DUPLICATE_DELIVERY, 503 for REPLAY_STORE_UNAVAILABLE, 413 past ``limit`` bytes) and the
    handler does not run. If the handler raises, the claim is released and the exception
    propagates."""
    gate = Gate(verifier, store=store, limit=limit, retention=retention)

    def decorate(handler: Handler) -> Endpoint:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            outcome = await admit(gate, request)
            if isinstance(outcome, Response):
                return outcome
            delivery, claim = outcome
            try:
                return await handler(request, delivery)
            except BaseException:
                gate.release(claim)
                raise

        return endpoint

    return decorate
