"""A Starlette endpoint with the ``hooksig.starlette`` adapter and replay protection (the README's example).

The tests serve it with uvicorn on 127.0.0.1 and POST deliveries to it.
"""

import json
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import hooksig
from hooksig.replay import ClaimStore
from hooksig.starlette import DEFAULT_BODY_LIMIT, Delivery, webhook


def create_app(
    secret: str, store: ClaimStore, handle: Callable[[Delivery], None], *, limit: int = DEFAULT_BODY_LIMIT
) -> Starlette:
    @webhook(hooksig.Verifier("stripe", secret), store=store, limit=limit)
    async def stripe_webhook(request: Request, delivery: Delivery) -> Response:
        event = json.loads(delivery.body)  # the verified raw bytes, parsed only now
        handle(delivery)
        return JSONResponse({"received": event["type"]})

    return Starlette(routes=[Route("/webhooks/stripe", stripe_webhook, methods=["POST"])])
