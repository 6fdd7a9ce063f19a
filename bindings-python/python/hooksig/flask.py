"""Flask adapter: ``@webhook(verifier, store=...)`` under ``@app.post(...)``.

The view is called as ``view(delivery, **url_values)`` only for a verified (and,
with a store, first) delivery; ``request.get_data()`` in the view gives the same
bytes as ``delivery.body``. Importing ``hooksig`` does not import this module.
"""

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from flask import Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from hooksig import Verifier
from hooksig._adapter import DEFAULT_BODY_LIMIT, Delivery, Gate, Refusal
from hooksig.replay import ClaimStore

__all__ = ["DEFAULT_BODY_LIMIT", "Delivery", "webhook"]

P = ParamSpec("P")
R = TypeVar("R")


def refusal_response(refusal: Refusal) -> Response:
    return Response(refusal.json(), status=refusal.status, mimetype="application/json")


def request_line() -> tuple[str, str]:
    """The method and the path with its query as received (``RAW_URI``/``REQUEST_URI`` when the
    server gives it, as Werkzeug's and Gunicorn's do; else rebuilt by Werkzeug)."""
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw.startswith("/"):
        return request.method, raw
    full_path = request.full_path  # always ends with "?" when there is no query
    return request.method, full_path if request.query_string else full_path.removesuffix("?")


def read_body(gate: Gate) -> bytes | None:
    """The raw body (cached, so ``request.get_data()`` still works), None past the limit."""
    if gate.too_large(request.content_length):
        return None
    # Werkzeug cuts a chunked body at max_content_length without an error: read at most
    # limit + 1 bytes, so a longer body is seen as longer (and an app's lower maximum stays).
    current = request.max_content_length
    request.max_content_length = gate.limit + 1 if current is None else min(current, gate.limit + 1)
    try:
        body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        return None
    return None if len(body) > gate.limit else body


def webhook(
    verifier: Verifier,
    *,
    store: ClaimStore | None = None,
    limit: int = DEFAULT_BODY_LIMIT,
    retention: int | None = None,
) -> Callable[[Callable[Concatenate[Delivery, P], R]], Callable[P, R | Response]]:
    """Wraps ``view(delivery, **url_values)``.

    On failure it answers ``{"error": CODE}`` with the error's HTTP status (200 for
    DUPLICATE_DELIVERY, 503 for REPLAY_STORE_UNAVAILABLE, 413 past ``limit`` bytes) and the
    view does not run. If the view raises, the claim is released and the exception propagates."""
    gate = Gate(verifier, store=store, limit=limit, retention=retention)

    def decorate(view: Callable[Concatenate[Delivery, P], R]) -> Callable[P, R | Response]:
        @functools.wraps(view)
        def endpoint(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            body = read_body(gate)
            if body is None:
                return refusal_response(gate.refuse_too_large())
            method, path_and_query = request_line()
            outcome = gate.check(request.headers, body, method, path_and_query)
            if isinstance(outcome, Refusal):
                return refusal_response(outcome)
            delivery, claim = outcome
            return gate.run(claim, lambda: view(delivery, *args, **kwargs))

        return endpoint

    return decorate
