"""Every header shape a Python web stack hands over, built with the real frameworks.

Each shape must verify a genuine delivery (all three Standard Webhooks headers
found, whatever the spelling) and reject a forged one; conflicting duplicates
must survive the conversion and be MALFORMED_HEADER.
"""

import asyncio
from collections.abc import Iterator, Mapping
from typing import Any

import django
import pytest
from django.conf import settings
from django.test import RequestFactory
from starlette.datastructures import Headers as StarletteHeaders
from starlette.requests import Request as StarletteRequest
from starlette.types import Message
from werkzeug.datastructures import EnvironHeaders
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request as WerkzeugRequest

import hooksig

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
NOW = 1_700_000_000
BODY = b'{"type":"invoice.paid","data":{"amount":4200}}'
HEADERS = hooksig.sign("standard-webhooks", SECRET, BODY, timestamp=NOW, id="msg_2Ke")
FORGED = {**HEADERS, "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="}
VERIFIER = hooksig.Verifier("standard-webhooks", SECRET)

if not settings.configured:
    settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], USE_TZ=True, SECRET_KEY="tests-only")
    django.setup()


def outcome(headers: Any, body: hooksig.Body = BODY) -> str:
    try:
        verified = VERIFIER.verify(headers, body, now=NOW)
    except hooksig.VerificationError as err:
        return err.code
    assert (verified.id, verified.timestamp) == ("msg_2Ke", NOW)
    return "OK"


def django_request(headers: Mapping[str, str]) -> Any:
    return RequestFactory().post("/hooks", data=BODY, content_type="application/json", headers=dict(headers))


def test_django_request_headers_and_meta() -> None:
    request = django_request(HEADERS)
    assert request.body == BODY
    assert outcome(request.headers, request.body) == "OK"  # HttpHeaders (a Mapping)
    assert outcome(request.META, request.body) == "OK"  # HTTP_WEBHOOK_ID..., plus wsgi.input & co.
    assert "wsgi.input" in request.META
    assert outcome(django_request(FORGED).headers) == "SIGNATURE_MISMATCH"
    assert outcome(django_request(FORGED).META) == "SIGNATURE_MISMATCH"


def scope(raw: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {"type": "http", "method": "POST", "path": "/hooks", "headers": raw, "query_string": b""}


def raw_headers(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


def test_starlette_headers_and_request() -> None:
    assert outcome(StarletteHeaders(headers=HEADERS)) == "OK"
    assert outcome(StarletteHeaders(raw=raw_headers(HEADERS))) == "OK"
    assert outcome(StarletteHeaders(raw=raw_headers(FORGED))) == "SIGNATURE_MISMATCH"

    async def receive() -> Message:
        return {"type": "http.request", "body": BODY, "more_body": False}

    request = StarletteRequest(scope(raw_headers(HEADERS)), receive)
    body = asyncio.run(request.body())
    assert outcome(request.headers, body) == "OK"
    assert outcome(request.headers.raw, body) == "OK"  # list of (bytes, bytes)
    # The same header twice with different values: both reach the core.
    dup = raw_headers(HEADERS) + [(b"webhook-signature", b"v1,AAAA")]
    assert outcome(StarletteHeaders(raw=dup)) == "MALFORMED_HEADER"


def test_werkzeug_environ_headers_and_wsgi_environ() -> None:
    environ = EnvironBuilder(method="POST", path="/hooks", data=BODY, headers=list(HEADERS.items())).get_environ()
    assert outcome(EnvironHeaders(environ)) == "OK"
    assert outcome(WerkzeugRequest(environ).headers) == "OK"
    assert outcome(environ) == "OK"  # the raw WSGI environ: HTTP_* names, wsgi.input objects
    assert not isinstance(environ["wsgi.input"], (str, bytes))
    forged = EnvironBuilder(method="POST", path="/hooks", data=BODY, headers=list(FORGED.items())).get_environ()
    assert outcome(EnvironHeaders(forged)) == "SIGNATURE_MISMATCH"
    assert outcome(forged) == "SIGNATURE_MISMATCH"


class Readonly(Mapping[str, str]):
    """A plain Mapping; counts item lookups to show they are not needed."""

    def __init__(self, data: dict[str, str]) -> None:
        self.data = data
        self.lookups = 0

    def __getitem__(self, key: str) -> str:
        self.lookups += 1
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def test_plain_shapes() -> None:
    pairs = list(HEADERS.items())
    assert outcome(HEADERS) == "OK"
    assert outcome(Readonly(HEADERS)) == "OK"
    assert outcome(pairs) == "OK"
    assert outcome(tuple(pairs)) == "OK"
    assert outcome([list(pair) for pair in pairs]) == "OK"
    assert outcome(iter(pairs)) == "OK"
    assert outcome([(n.encode(), v.encode()) for n, v in pairs]) == "OK"
    assert outcome({n.upper(): v for n, v in pairs}) == "OK"
    assert outcome({"HTTP_" + n.upper().replace("-", "_"): v for n, v in pairs}) == "OK"
    assert outcome({n.replace("webhook", "svix"): v for n, v in pairs}) == "OK"  # Svix spelling
    assert outcome(pairs + [("webhook-signature", "v1,AAAA")]) == "MALFORMED_HEADER"
    assert outcome(pairs + [(n, v) for n, v in pairs]) == "OK"  # identical duplicates agree


def test_only_wanted_names_are_read() -> None:
    noisy: dict[str, object] = {"wsgi.input": object(), "wsgi.errors": None, "SERVER_PORT": 80, **HEADERS}
    assert outcome(noisy) == "OK"
    mapping = Readonly({"content-type": "application/json", **HEADERS})
    assert outcome(mapping) == "OK"
    assert mapping.lookups == len(mapping)  # Mapping.items() reads each once; nothing more
    with pytest.raises(hooksig.VerificationError) as err:
        VERIFIER.verify({**HEADERS, "webhook-id": object()}, BODY, now=NOW)
    assert err.value.code == "INVALID_ARGUMENT"
