"""Django views with the ``hooksig.django`` decorator and replay protection (the README's example).

``create_urlpatterns`` gives a sync and an async view (CSRF-exempt). The tests
serve them with wsgiref (WSGI) and uvicorn (ASGI) on 127.0.0.1.
"""

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path

import hooksig
from hooksig.django import DEFAULT_BODY_LIMIT, Delivery, webhook
from hooksig.replay import ClaimStore


def create_urlpatterns(
    secret: str, store: ClaimStore, handle: Callable[[Delivery], None], *, limit: int = DEFAULT_BODY_LIMIT
) -> list[Any]:
    verified = webhook(hooksig.Verifier("stripe", secret), store=store, limit=limit)

    @verified
    def stripe_webhook(request: HttpRequest, delivery: Delivery) -> JsonResponse:
        event = json.loads(delivery.body)  # the same bytes as request.body, verified
        handle(delivery)
        return JsonResponse({"received": event["type"]})

    @verified
    async def stripe_webhook_async(request: HttpRequest, delivery: Delivery) -> JsonResponse:
        event = json.loads(delivery.body)
        handle(delivery)
        return JsonResponse({"received": event["type"]})

    return [path("webhooks/stripe", stripe_webhook), path("webhooks/stripe-async", stripe_webhook_async)]
