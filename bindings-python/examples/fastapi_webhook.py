"""A FastAPI endpoint with the ``hooksig.fastapi`` route class and replay protection (the README's example).

The body parameter ``event`` is parsed by FastAPI only after the signature is
checked. The tests serve it with uvicorn on 127.0.0.1 and POST deliveries to it.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel

import hooksig
from hooksig.fastapi import DEFAULT_BODY_LIMIT, Delivery, webhook_delivery, webhook_route
from hooksig.replay import ClaimStore


class Event(BaseModel):
    type: str


def create_app(
    secret: str, store: ClaimStore, handle: Callable[[Delivery], None], *, limit: int = DEFAULT_BODY_LIMIT
) -> FastAPI:
    router = APIRouter(route_class=webhook_route(hooksig.Verifier("stripe", secret), store=store, limit=limit))

    @router.post("/webhooks/stripe")
    async def stripe_webhook(
        event: Event, delivery: Annotated[Delivery, Depends(webhook_delivery)]
    ) -> dict[str, object]:
        handle(delivery)  # delivery.body: the raw bytes that were verified
        return {"received": event.type}

    app = FastAPI()
    app.include_router(router)
    return app
