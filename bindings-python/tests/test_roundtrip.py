"""A real round trip: the README's Flask app (examples/flask_app.py) served by
Werkzeug on 127.0.0.1 (a free port), receiving signed POSTs over HTTP."""

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

import hooksig
from examples.flask_app import create_app

SECRET = "whsec_test_9c8e7f"


@pytest.fixture(scope="module")
def server() -> Iterator[BaseWSGIServer]:
    server = make_server("127.0.0.1", 0, create_app(SECRET), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join()


def post(server: BaseWSGIServer, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    url = f"http://127.0.0.1:{server.server_port}/webhooks/stripe"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_genuine_delivery_is_accepted(server: BaseWSGIServer) -> None:
    body = b'{"id":"evt_1","type":"payment_intent.succeeded"}'
    now = int(time.time())
    headers = hooksig.sign("stripe", SECRET, body, timestamp=now)
    status, answer = post(server, body, {"Content-Type": "application/json", **headers})
    assert (status, answer) == (200, {"scheme": "stripe", "timestamp": now})


def test_large_delivery_is_accepted(server: BaseWSGIServer) -> None:
    body = json.dumps({"id": "evt_2", "blob": "z" * 200_000}).encode()
    headers = hooksig.sign("stripe", SECRET, body, timestamp=int(time.time()))
    assert post(server, body, headers)[0] == 200


def test_tampered_deliveries_are_refused(server: BaseWSGIServer) -> None:
    body = b'{"id":"evt_1","amount":100}'
    now = int(time.time())
    headers = hooksig.sign("stripe", SECRET, body, timestamp=now)
    cases = [
        (b'{"id":"evt_1","amount":999}', headers, 401, "SIGNATURE_MISMATCH"),
        (body, hooksig.sign("stripe", "whsec_other", body, timestamp=now), 401, "SIGNATURE_MISMATCH"),
        (body, hooksig.sign("stripe", SECRET, body, timestamp=now - 3600), 401, "TIMESTAMP_TOO_OLD"),
        (body, {}, 400, "MISSING_HEADER"),
        (body, {"Stripe-Signature": "v1=abc"}, 400, "MALFORMED_HEADER"),
    ]
    for sent_body, sent_headers, status, error in cases:
        assert post(server, sent_body, sent_headers) == (status, {"error": error})


def test_readme_example_is_this_file() -> None:
    """The README's Python example is quoted verbatim from examples/flask_app.py."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert snippet.count("\n") > 10
    assert snippet in (root / "bindings-python" / "examples" / "flask_app.py").read_text(encoding="utf-8")
