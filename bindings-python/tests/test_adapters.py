"""The framework adapters (hooksig.flask, .starlette, .fastapi, .django) served by real servers.

Each app (the README's examples) runs on 127.0.0.1 on a free port in a thread:
Werkzeug for Flask, uvicorn for Starlette, FastAPI and Django's ASGI app, wsgiref
for Django's WSGI app (sync and async views). The same cases for each: genuine,
tampered, stale, too large, duplicate with the store, handler failure then retry,
the body handed over byte for byte and never parsed before verification.
"""

import json
import socket
import sys
import threading
import time
import types
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import uvicorn
from socketserver import ThreadingMixIn

import hooksig
from hooksig._adapter import Delivery
from hooksig.replay import MemoryStore

SECRET = "whsec_adapter_test_5f1e"
LIMIT = 4096
STARTUP_TIMEOUT = 30.0


@dataclass
class Recorder:
    """The handler's business logic: records each body; raises while ``failures`` > 0."""

    bodies: list[bytes] = field(default_factory=list)
    failures: int = 0

    def __call__(self, delivery: Delivery) -> None:
        assert isinstance(delivery.verified, hooksig.Verified)
        if self.failures:
            self.failures -= 1
            raise RuntimeError("handler failed")
        self.bodies.append(delivery.body)


@dataclass
class Served:
    url: str
    recorder: Recorder


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def serve_wsgi(app: Any) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def serve_asgi(app: Any) -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def flask_app(recorder: Recorder) -> Iterator[str]:
    from werkzeug.serving import make_server as werkzeug_server

    from examples.flask_webhook import create_app

    server = werkzeug_server("127.0.0.1", 0, create_app(SECRET, MemoryStore(), recorder, limit=LIMIT), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/webhooks/stripe"
    finally:
        server.shutdown()
        thread.join()


def starlette_app(recorder: Recorder) -> Iterator[str]:
    from examples.starlette_webhook import create_app

    for port in serve_asgi(create_app(SECRET, MemoryStore(), recorder, limit=LIMIT)):
        yield f"http://127.0.0.1:{port}/webhooks/stripe"


def fastapi_app(recorder: Recorder) -> Iterator[str]:
    from examples.fastapi_webhook import create_app

    for port in serve_asgi(create_app(SECRET, MemoryStore(), recorder, limit=LIMIT)):
        yield f"http://127.0.0.1:{port}/webhooks/stripe"


def django_urlconf(recorder: Recorder) -> Iterator[None]:
    import django
    from django.conf import settings
    from django.test.utils import override_settings
    from django.urls import clear_url_caches

    from examples.django_webhook import create_urlpatterns

    if not settings.configured:
        settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], USE_TZ=True, SECRET_KEY="tests-only")
        django.setup()
    urls = types.ModuleType("hooksig_test_django_urls")
    urls.urlpatterns = create_urlpatterns(SECRET, MemoryStore(), recorder, limit=LIMIT)  # type: ignore[attr-defined]
    sys.modules[urls.__name__] = urls
    # CsrfViewMiddleware is on: the views must be CSRF-exempt to accept a POST without a token.
    middleware = ["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]
    with override_settings(ROOT_URLCONF=urls.__name__, MIDDLEWARE=middleware, ALLOWED_HOSTS=["*"]):
        clear_url_caches()
        try:
            yield
        finally:
            clear_url_caches()
            del sys.modules[urls.__name__]


def django_wsgi(path: str) -> Callable[[Recorder], Iterator[str]]:
    def serve(recorder: Recorder) -> Iterator[str]:
        from django.core.handlers.wsgi import WSGIHandler

        for _ in django_urlconf(recorder):
            for port in serve_wsgi(WSGIHandler()):
                yield f"http://127.0.0.1:{port}/{path}"

    return serve


def django_asgi(recorder: Recorder) -> Iterator[str]:
    from django.core.handlers.asgi import ASGIHandler

    for _ in django_urlconf(recorder):
        for port in serve_asgi(ASGIHandler()):
            yield f"http://127.0.0.1:{port}/webhooks/stripe-async"


APPS: dict[str, Callable[[Recorder], Iterator[str]]] = {
    "flask": flask_app,
    "starlette": starlette_app,
    "fastapi": fastapi_app,
    "django-wsgi-sync": django_wsgi("webhooks/stripe"),
    "django-wsgi-async": django_wsgi("webhooks/stripe-async"),
    "django-asgi-async": django_asgi,
}


@pytest.fixture(params=sorted(APPS))
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    recorder = Recorder()
    for url in APPS[request.param](recorder):
        yield Served(url, recorder)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    """POSTs; the status and the JSON answer (or the raw bytes when it is not JSON)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw


def signed(body: bytes, timestamp: int | None = None) -> dict[str, str]:
    stamp = int(time.time()) if timestamp is None else timestamp
    return {"Content-Type": "application/json", **hooksig.sign("stripe", SECRET, body, timestamp=stamp)}


BODY = b'{"type": "invoice.paid",   "amount":4200, "name":"\\u00e9"}'


def test_genuine_delivery_reaches_the_handler_byte_for_byte(served: Served) -> None:
    assert post(served.url, BODY, signed(BODY)) == (200, {"received": "invoice.paid"})
    assert served.recorder.bodies == [BODY]


def test_tampered_delivery_is_401_and_never_parsed(served: Served) -> None:
    headers = signed(BODY)
    assert post(served.url, BODY.replace(b"4200", b"4201"), headers) == (401, {"error": "SIGNATURE_MISMATCH"})
    # Not JSON at all: a JSON parser in front would answer 400/422; the adapter verifies first.
    assert post(served.url, b'{"type": not json', headers) == (401, {"error": "SIGNATURE_MISMATCH"})
    unsigned = {"Content-Type": "application/json"}
    assert post(served.url, BODY, unsigned) == (400, {"error": "MISSING_HEADER"})
    assert served.recorder.bodies == []


def test_stale_delivery_is_401(served: Served) -> None:
    status, answer = post(served.url, BODY, signed(BODY, int(time.time()) - 3600))
    assert (status, answer) == (401, {"error": "TIMESTAMP_TOO_OLD"})
    assert served.recorder.bodies == []


def test_body_over_the_limit_is_413(served: Served) -> None:
    big = json.dumps({"type": "big", "blob": "z" * LIMIT}).encode()
    assert post(served.url, big, signed(big)) == (413, {"error": "PAYLOAD_TOO_LARGE"})
    just = json.dumps({"type": "just", "blob": ""}).encode()
    just = just.replace(b'""', b'"' + b"z" * (LIMIT - len(just)) + b'"')
    assert len(just) == LIMIT
    assert post(served.url, just, signed(just)) == (200, {"received": "just"})
    assert served.recorder.bodies == [just]


def test_duplicate_is_200_and_the_handler_does_not_run_again(served: Served) -> None:
    headers = signed(BODY)
    assert post(served.url, BODY, headers)[0] == 200
    assert post(served.url, BODY, headers) == (200, {"error": "DUPLICATE_DELIVERY"})
    assert post(served.url, BODY, headers) == (200, {"error": "DUPLICATE_DELIVERY"})
    assert served.recorder.bodies == [BODY]


def test_handler_failure_releases_the_claim_and_the_retry_is_processed(served: Served) -> None:
    served.recorder.failures = 1
    headers = signed(BODY)
    assert post(served.url, BODY, headers)[0] == 500
    assert served.recorder.bodies == []
    assert post(served.url, BODY, headers) == (200, {"received": "invoice.paid"})
    assert post(served.url, BODY, headers) == (200, {"error": "DUPLICATE_DELIVERY"})
    assert served.recorder.bodies == [BODY]
