"""A Flask endpoint that accepts only genuine Stripe webhooks (the README's example).

Run it: ``STRIPE_WEBHOOK_SECRET=whsec_... flask --app examples.flask_app run``.
The tests serve it on 127.0.0.1 and POST signed and tampered deliveries to it.
"""

import os

from flask import Flask, request

import hooksig


def create_app(secret: str) -> Flask:
    app = Flask(__name__)
    # One verifier per endpoint: the secret is keyed once, and it is thread-safe.
    verifier = hooksig.Verifier("stripe", [secret])

    @app.post("/webhooks/stripe")
    def stripe_webhook() -> tuple[dict[str, object], int]:
        try:
            # Werkzeug's headers as they are; the raw body bytes, never re-encoded JSON.
            delivery = verifier.verify(request.headers, request.get_data())
        except hooksig.VerificationError as err:
            return {"error": err.code}, err.http_status  # 400 malformed, 401 forged or stale
        return {"scheme": delivery.scheme, "timestamp": delivery.timestamp}, 200

    return app


if __name__ == "__main__":
    create_app(os.environ["STRIPE_WEBHOOK_SECRET"]).run(port=8000)
