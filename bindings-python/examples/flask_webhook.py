"""A Flask endpoint with the ``hooksig.flask`` adapter and replay protection (the README's example).

The tests serve it with Werkzeug on 127.0.0.1 and POST deliveries to it.
"""

import json
from collections.abc import Callable

from flask import Flask

import hooksig
from hooksig.flask import DEFAULT_BODY_LIMIT, Delivery, webhook
from hooksig.replay import ClaimStore


def create_app(
    secret: str, store: ClaimStore, handle: Callable[[Delivery], None], *, limit: int = DEFAULT_BODY_LIMIT
) -> Flask:
    app = Flask(__name__)

    @app.post("/webhooks/stripe")
    @webhook(hooksig.Verifier("stripe", secret), store=store, limit=limit)
    def stripe_webhook(delivery: Delivery) -> dict[str, object]:
        event = json.loads(delivery.body)  # the verified raw bytes, parsed only now
        handle(delivery)  # raises: the claim is released, Flask answers 500, the retry is processed
        return {"received": event["type"]}

    return app
