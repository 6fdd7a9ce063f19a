"""Django adapter: ``@webhook(verifier, store=...)`` on a view, sync or async.

The view is CSRF-exempt and is called as ``view(request, delivery, *args,
**kwargs)`` only for a verified (and, with a store, first) delivery;
``request.body``, ``request.headers`` and ``request.META`` still work in it. An
``async def`` view stays a coroutine function (for ASGI, or WSGI through Django's
adapter). Importing ``hooksig`` does not import this module.
"""

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from hooksig import Verifier
from hooksig._adapter import DEFAULT_BODY_LIMIT, Delivery, Gate, Refusal, content_length
from hooksig.replay import Claim, ClaimStore

__all__ = ["DEFAULT_BODY_LIMIT", "Delivery", "webhook"]

P = ParamSpec("P")
R = TypeVar("R")
View = Callable[Concatenate[HttpRequest, Delivery, P], R]


def refusal_response(refusal: Refusal) -> HttpResponse:
    return HttpResponse(refusal.json(), status=refusal.status, content_type="application/json")


def request_line(request: HttpRequest) -> tuple[str, str]:
    """The method and the path with its query as received (``RAW_URI``/``REQUEST_URI`` when the
    server gives it, as Gunicorn and uWSGI do; else ``request.get_full_path()``)."""
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    method = request.method or ""
    if isinstance(raw, str) and raw.startswith("/"):
        return method, raw
    return method, request.get_full_path()


def admit(gate: Gate, request: HttpRequest) -> tuple[Delivery, Claim | None] | HttpResponse:
    """Reads (request.body, so it stays readable), verifies and claims."""
    if gate.too_large(content_length(request.META.get("CONTENT_LENGTH") or None)):
        return refusal_response(gate.refuse_too_large())
    try:
        body = request.body
    except RequestDataTooBig:  # past DATA_UPLOAD_MAX_MEMORY_SIZE
        return refusal_response(gate.refuse_too_large())
    method, path_and_query = request_line(request)
    outcome = gate.check(request.headers, body, method, path_and_query)
    if isinstance(outcome, Refusal):
        return refusal_response(outcome)
    return outcome


def webhook(
    verifier: Verifier,
    *,
    store: ClaimStore | None = None,
    limit: int = DEFAULT_BODY_LIMIT,
    retention: int | None = None,
) -> Callable[[View[P, Any]], Callable[Concatenate[HttpRequest, P], Any]]:
    """Wraps ``view(request, delivery, *args, **kwargs)`` (``def`` or ``async def``), CSRF-exempt.

    On failure it answers ``{"error": CODE}`` with the error's HTTP status (200 for
    DUPLICATE_DELIVERY, 503 for REPLAY_STORE_UNAVAILABLE, 413 past ``limit`` bytes) and the
    view does not run. If the view raises, the claim is released and the exception propagates."""
    gate = Gate(verifier, store=store, limit=limit, retention=retention)

    def decorate(view: View[P, Any]) -> Callable[Concatenate[HttpRequest, P], Any]:
        if inspect.iscoroutinefunction(view):
            async_view: View[P, Awaitable[Any]] = view

            @functools.wraps(view)
            async def async_endpoint(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> Any:
                outcome = admit(gate, request)
                if isinstance(outcome, HttpResponse):
                    return outcome
                delivery, claim = outcome
                try:
                    return await async_view(request, delivery, *args, **kwargs)
                except BaseException:
                    gate.release(claim)
                    raise

            exempt_async: Callable[Concatenate[HttpRequest, P], Any] = csrf_exempt(async_endpoint)
            return exempt_async

        @functools.wraps(view)
        def endpoint(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> Any:
            outcome = admit(gate, request)
            if isinstance(outcome, HttpResponse):
                return outcome
            delivery, claim = outcome
            return gate.run(claim, lambda: view(request, delivery, *args, **kwargs))

        exempt: Callable[Concatenate[HttpRequest, P], Any] = csrf_exempt(endpoint)
        return exempt

    return decorate
