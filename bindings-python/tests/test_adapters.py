"""The framework adapters (hooksig.flask, .starlette, .fastapi, .django) served by real servers.

Each app (the README's examples) runs on 127.0.0.1 on a free port in a thread:
Werkzeug for Flask, uvicorn for Starlette, FastAPI and Django's ASGI app, wsgiref
for Django's WSGI app (sync and async views). The same cases for each: genuine,
tampered, stale, too large, duplicate with the store, handler failure then retry,
the body handed over byte for byte and never parsed before verification.
"""

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import types
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import uvicorn
from socketserver import ThreadingMixIn

import hooksig
import hooksig.django
import hooksig.fastapi
import hooksig.flask
import hooksig.starlette
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


def django_urlconf(recorder: Recorder, urlpatterns: list[Any] | None = None) -> Iterator[None]:
    import django
    from django.conf import settings
    from django.test.utils import override_settings
    from django.urls import clear_url_caches

    from examples.django_webhook import create_urlpatterns

    if not settings.configured:
        settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], USE_TZ=True, SECRET_KEY="tests-only")
        django.setup()
    urls = types.ModuleType("hooksig_test_django_urls")
    if urlpatterns is None:
        urlpatterns = create_urlpatterns(SECRET, MemoryStore(), recorder, limit=LIMIT)
    urls.urlpatterns = urlpatterns  # type: ignore[attr-defined]
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


# The request line reaches verify as received (unknownpay-s2s signs it), a store that cannot
# answer is 503, and the default limit is 1 MiB: small apps built in the test on each framework.
S2S_SECRET = "s2s_adapter_test_key"
S2S_PATH = "/hooks/s2s?b=2&a=%20x"


def s2s_app(framework: str, store: MemoryStore, recorder: Recorder) -> Iterator[str]:
    verifier = hooksig.Verifier("unknownpay-s2s", S2S_SECRET)
    if framework == "flask":
        from flask import Flask
        from werkzeug.serving import make_server as werkzeug_server

        app = Flask(__name__)

        @app.post("/hooks/s2s")
        @hooksig.flask.webhook(verifier, store=store)
        def flask_view(delivery: Delivery) -> dict[str, object]:
            recorder(delivery)
            return {"ok": True}

        server = werkzeug_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}{S2S_PATH}"
        finally:
            server.shutdown()
            thread.join()
    elif framework in ("starlette", "fastapi"):
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import JSONResponse, Response
        from starlette.routing import Route

        asgi: Any
        if framework == "starlette":
            @hooksig.starlette.webhook(verifier, store=store)
            async def endpoint(request: Request, delivery: Delivery) -> Response:
                recorder(delivery)
                return JSONResponse({"ok": True})

            asgi = Starlette(routes=[Route("/hooks/s2s", endpoint, methods=["POST"])])
        else:
            from fastapi import APIRouter, Depends, FastAPI

            router = APIRouter(route_class=hooksig.fastapi.webhook_route(verifier, store=store))

            @router.post("/hooks/s2s")
            def sync_endpoint(delivery: Delivery = Depends(hooksig.fastapi.webhook_delivery)) -> dict[str, bool]:
                recorder(delivery)
                return {"ok": True}

            asgi = FastAPI()
            asgi.include_router(router)
        for port in serve_asgi(asgi):
            yield f"http://127.0.0.1:{port}{S2S_PATH}"
    else:
        from django.http import HttpRequest, JsonResponse
        from django.urls import path

        @hooksig.django.webhook(verifier, store=store)
        def django_view(request: HttpRequest, delivery: Delivery) -> JsonResponse:
            assert request.body == delivery.body and request.headers["Idempotency-Key"] == "idem-7"
            recorder(delivery)
            return JsonResponse({"ok": True})

        from django.core.handlers.wsgi import WSGIHandler

        for _ in django_urlconf(recorder, [path("hooks/s2s", django_view)]):
            for port in serve_wsgi(WSGIHandler()):
                yield f"http://127.0.0.1:{port}{S2S_PATH}"


FRAMEWORKS = ["django", "fastapi", "flask", "starlette"]


def s2s_headers(body: bytes, path_and_query: str = S2S_PATH) -> dict[str, str]:
    return hooksig.sign(
        "unknownpay-s2s",
        S2S_SECRET,
        body,
        timestamp=int(time.time()),
        id="idem-7",
        key_id="key_1",
        method="POST",
        path_and_query=path_and_query,
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_request_line_is_passed_as_received(framework: str) -> None:
    recorder = Recorder()
    body = b'{"amount": 1}'
    for url in s2s_app(framework, MemoryStore(), recorder):
        assert post(url, body, s2s_headers(body, "/hooks/s2s?a=%20x&b=2")) == (401, {"error": "SIGNATURE_MISMATCH"})
        assert post(url, body, s2s_headers(body)) == (200, {"ok": True})
    assert recorder.bodies == [body]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_store_unavailable_is_503_and_nothing_runs(framework: str) -> None:
    recorder = Recorder()
    body = b'{"amount": 2}'
    for url in s2s_app(framework, MemoryStore(capacity=0), recorder):  # full: it refuses every claim
        assert post(url, body, s2s_headers(body)) == (503, {"error": "REPLAY_STORE_UNAVAILABLE"})
    assert recorder.bodies == []


def announce_only(url: str, headers: dict[str, str], length: int) -> tuple[int, Any]:
    """Sends only the head of a POST announcing ``length`` bytes and reads the answer: a body over
    the limit is refused from its Content-Length, before a byte of it is read."""
    parsed = urllib.parse.urlsplit(url)
    head = [f"POST {parsed.path}?{parsed.query} HTTP/1.1", f"Host: {parsed.netloc}", f"Content-Length: {length}"]
    head += ["Connection: close", *(f"{name}: {value}" for name, value in headers.items())]
    with socket.create_connection((parsed.hostname, parsed.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        return answer.status, json.loads(answer.read())


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_default_limit_is_one_mebibyte(framework: str) -> None:
    from hooksig._adapter import DEFAULT_BODY_LIMIT

    assert DEFAULT_BODY_LIMIT == 1_048_576
    recorder = Recorder()
    fits = b'"' + b"x" * (DEFAULT_BODY_LIMIT - 2) + b'"'
    for url in s2s_app(framework, MemoryStore(), recorder):
        over = fits + b" "
        assert announce_only(url, s2s_headers(over), len(over)) == (413, {"error": "PAYLOAD_TOO_LARGE"})
        assert post(url, fits, s2s_headers(fits)) == (200, {"ok": True})
    assert recorder.bodies == [fits]


def test_importing_an_adapter_imports_no_other_framework() -> None:
    frameworks = ("flask", "werkzeug", "django", "starlette", "fastapi")
    script = (
        "import sys, importlib; importlib.import_module(sys.argv[1]); "
        "print(','.join(sorted(m for m in sys.argv[2:] if m in sys.modules)))"
    )
    expected = {
        "hooksig": "",
        "hooksig.replay": "",
        "hooksig.flask": "flask,werkzeug",
        "hooksig.django": "django",
        "hooksig.starlette": "starlette",
        "hooksig.fastapi": "fastapi,starlette",
    }
    for module, loaded in expected.items():
        out = subprocess.run([sys.executable, "-c", script, module, *frameworks], capture_output=True, text=True)
        assert (out.returncode, out.stdout.strip()) == (0, loaded), (module, out.stderr)


def post_chunked(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    """POSTs with Transfer-Encoding: chunked (no Content-Length), in 1000-byte chunks."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.netloc, timeout=30)
    try:
        chunks = (body[i : i + 1000] for i in range(0, len(body), 1000))
        connection.request("POST", parsed.path, body=chunks, headers=headers, encode_chunked=True)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


# WSGI has no chunked request bodies under wsgiref: Django's WSGI apps are not in this list.
@pytest.mark.parametrize("name", ["django-asgi-async", "fastapi", "flask", "starlette"])
def test_chunked_body_is_read_up_to_the_limit(name: str) -> None:
    recorder = Recorder()
    big = json.dumps({"type": "big", "blob": "z" * LIMIT}).encode()
    for url in APPS[name](recorder):
        assert post_chunked(url, big, signed(big)) == (413, {"error": "PAYLOAD_TOO_LARGE"})
        assert post_chunked(url, BODY, signed(BODY)) == (200, {"received": "invoice.paid"})
    assert recorder.bodies == [BODY]
