"""FastAPI adapter: a route class that verifies before FastAPI reads parameters.

``APIRouter(route_class=webhook_route(verifier, store=...))``: every route of that
router verifies the raw body first (a body parameter is parsed only after the
signature is checked); the endpoint receives the delivery through the
``webhook_delivery`` dependency (``Annotated[Delivery, Depends(webhook_delivery)]``).
Works with ``async def`` and plain ``def`` endpoints. Importing ``hooksig`` does
not import this module.
"""

from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

from fastapi import Request, Response
from fastapi.routing import APIRoute

from hooksig import Verifier
from hooksig._adapter import DEFAULT_BODY_LIMIT, Delivery, Gate
from hooksig._hooksig import error
from hooksig.replay import ClaimStore
from hooksig.starlette import admit

__all__ = ["DEFAULT_BODY_LIMIT", "Delivery", "WebhookRoute", "webhook_delivery", "webhook_route"]

_STATE = "hooksig_delivery"


def webhook_delivery(request: Request) -> Delivery:
    """The dependency: the verified delivery of this request (only on a ``webhook_route`` route)."""
    found = getattr(request.state, _STATE, None)
    if not isinstance(found, Delivery):
        raise error("INVALID_ARGUMENT")  # a route without webhook_route: fail closed
    return found


class WebhookRoute(APIRoute):
    """The route class ``webhook_route`` subclasses with its ``gate``: use ``webhook_route``."""

    gate: ClassVar[Gate]

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        gate = self.gate

        async def route(request: Request) -> Response:
            outcome = await admit(gate, request)
            if isinstance(outcome, Response):
                return outcome
            accepted, claim = outcome
            setattr(request.state, _STATE, accepted)
            try:
                return await handler(request)
            except BaseException:
                gate.release(claim)
                raise

        return route


def webhook_route(
    verifier: Verifier,
    *,
    store: ClaimStore | None = None,
    limit: int = DEFAULT_BODY_LIMIT,
    retention: int | None = None,
) -> type[WebhookRoute]:
    """A route class for ``APIRouter(route_class=...)``: verify (and claim) before the endpoint.

    On failure it answers ``{"error": CODE}`` with the error's HTTP status (200 for
    DUPLICATE_DELIVERY, 503 for REPLAY_STORE_UNAVAILABLE, 413 past ``limit`` bytes) and
    neither the endpoint nor its dependencies run. If the endpoint raises, the claim is
    released and the exception propagates."""
    gate = Gate(verifier, store=store, limit=limit, retention=retention)
    route_class: type[WebhookRoute] = type("WebhookRoute", (WebhookRoute,), {"gate": gate})
    return route_class
