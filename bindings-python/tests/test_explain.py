"""`hooksig.explain`: every case of testdata/explain.json, every header shape, wrong types.

Each case must give the case's verdict and exactly its findings (codes and
fields, in order), whatever the header shape or body type it is given in.
"""

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import RequestFactory
from starlette.datastructures import Headers as StarletteHeaders
from werkzeug.datastructures import EnvironHeaders
from werkzeug.test import EnvironBuilder

import hooksig
from examples.explain_secret import diagnose
from tests.test_api import code
from tests.test_vectors import window

ROOT = Path(__file__).resolve().parents[2]
CASES: list[dict[str, Any]] = json.loads((ROOT / "testdata" / "explain.json").read_text(encoding="utf-8"))["cases"]
CODES = {
    "SECRET_WHITESPACE",
    "KEY_DERIVATION",
    "OTHER_PROFILE",
    "BODY_RESERIALIZED",
    "LINE_ENDINGS",
    "CLOCK_SKEW",
    "HEADER_VALUE_QUOTED",
    "WRONG_ENCODING",
    "HEADER_NAME_CLOSE",
}
NOW = 1_700_000_000


def explain_case(case: dict[str, Any], headers: Any, body: hooksig.Body) -> hooksig.Explanation:
    options: dict[str, Any] = {"now": case["now"], **window(case)}
    return hooksig.explain(case["scheme"], case["secrets"], headers, body, **options)


def as_json(finding: hooksig.Finding) -> dict[str, Any]:
    """A finding as the vectors write it: the core's JSON shape without the message."""
    return {"code": finding.code, "fields": finding.fields}


def check(case: dict[str, Any], explanation: hooksig.Explanation) -> None:
    assert explanation.verdict == case["expect"]
    assert [as_json(f) for f in explanation.findings] == case["findings"]
    for finding in explanation.findings:
        assert finding.message and "\n" not in finding.message


def test_the_vectors_cover_every_finding() -> None:
    assert len(CASES) >= 20
    assert {f["code"] for case in CASES for f in case.get("findings", [])} == CODES
    # A case either raises (bad arguments) or has a verdict and findings, never both or neither.
    assert all(("raises" in case) != ("expect" in case and "findings" in case) for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_every_explain_case(case: dict[str, Any]) -> None:
    pairs = [(name, value) for name, value in case["headers"]]
    body: str = case["body"]
    raw = body.encode("utf-8")
    expected = case.get("raises") or case["expect"]
    for headers in (pairs, dict(pairs), [(n.encode(), v.encode()) for n, v in pairs]):
        for shaped in (raw, bytearray(raw), memoryview(raw), body):
            if "raises" in case:
                assert code(lambda: explain_case(case, headers, shaped)) == case["raises"]
            else:
                check(case, explain_case(case, headers, shaped))
    # The verdict (or the error) is the one verify gives on the same inputs.
    try:
        hooksig.verify(case["scheme"], case["secrets"], pairs, raw, now=case["now"], **window(case))
    except hooksig.VerificationError as err:
        assert err.code == expected
    else:
        assert expected == "OK"


def test_unknown_profile_raises() -> None:
    """Bad arguments raise, as in every call and every language; whether or not explain.json has such a case yet."""
    headers = hooksig.sign("stripe", "whsec_x", b"{}", timestamp=NOW)
    for profile in ("paypal", "custom;header=X-Sig;encoding=rot13", ""):
        assert code(lambda: hooksig.explain(profile, "whsec_x", headers, b"{}", now=NOW)) == "INVALID_ARGUMENT"


def test_ok_gives_the_secret_index_and_no_findings() -> None:
    body = b'{"ok":true}'
    headers = hooksig.sign("stripe", "whsec_new", body, timestamp=NOW)
    explanation = hooksig.explain("stripe", ["whsec_old", "whsec_new"], headers, body, now=NOW)
    assert (explanation.verdict, explanation.secret_index, explanation.findings) == ("OK", 1, [])
    assert repr(explanation) == "Explanation(verdict='OK', secret_index=1, findings=[])"
    # `now` defaults to the system clock.
    fresh = hooksig.sign("stripe", "whsec_new", body, timestamp=int(time.time()))
    assert hooksig.explain("stripe", "whsec_new", fresh, body).verdict == "OK"
    assert hooksig.explain("stripe", "whsec_new", headers, body).verdict == "TIMESTAMP_TOO_OLD"


def test_results_are_frozen_values() -> None:
    explanation = diagnose()  # the README's example
    assert (explanation.verdict, explanation.secret_index) == ("SIGNATURE_MISMATCH", None)
    [finding] = explanation.findings
    assert (finding.code, finding.fields) == ("SECRET_WHITESPACE", {"secret_index": 0})
    assert "trimmed secret matches" in finding.message
    assert repr(finding).startswith("Finding(code='SECRET_WHITESPACE', message='secret #0 ")
    finding.fields["secret_index"] = 7
    explanation.findings.clear()
    assert explanation.findings == [finding] and finding.fields == {"secret_index": 0}
    with pytest.raises(AttributeError):
        explanation.verdict = "OK"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        finding.code = "OK"  # type: ignore[misc]
    assert explanation == diagnose()


def test_readme_example_is_this_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    snippet = section.split("```python\n", 2)[2].split("```", 1)[0]
    assert "hooksig.explain(" in snippet
    assert snippet in (ROOT / "bindings-python" / "examples" / "explain_secret.py").read_text(encoding="utf-8")


# ---- header shapes -----------------------------------------------------------

CASE = {c["name"]: c for c in CASES}
# A close header name (the CGI spelling must not hide it) and a body re-serialised.
SHAPED = [CASE["header-name-close-github-sha1"], CASE["body-reserialized-json-stringify-stripe"]]


def codes(explanation: hooksig.Explanation) -> list[str]:
    return [f.code for f in explanation.findings]


@pytest.mark.parametrize("case", SHAPED, ids=[c["name"] for c in SHAPED])
def test_framework_header_shapes(case: dict[str, Any]) -> None:
    headers = dict(case["headers"])
    body = case["body"].encode("utf-8")
    expected = [f["code"] for f in case["findings"]]
    django = RequestFactory().post("/hooks", data=body, content_type="application/json", headers=headers)
    environ = EnvironBuilder(method="POST", data=body, headers=headers).get_environ()
    assert "wsgi.input" in django.META and "wsgi.input" in environ  # non-text values are skipped
    shapes: list[Any] = [
        django.headers,
        django.META,
        environ,
        EnvironHeaders(environ),
        StarletteHeaders(headers=headers),
        StarletteHeaders(raw=[(n.lower().encode(), v.encode()) for n, v in headers.items()]),
    ]
    for shape in shapes:
        explanation = explain_case(case, shape, body)
        assert (explanation.verdict, codes(explanation)) == (case["expect"], expected), type(shape)


def test_signed_request() -> None:
    body = b'{"amount":10}'
    request: dict[str, Any] = {"method": "POST", "path_and_query": "/v1/deposits"}
    headers = hooksig.sign("unknownpay-s2s", "s2s-secret", body, timestamp=NOW, key_id="k", **request)
    ok = hooksig.explain("unknownpay-s2s", "s2s-secret", headers, body, now=NOW, **request)
    assert (ok.verdict, ok.secret_index) == ("OK", 0)
    bad = hooksig.explain("unknownpay-s2s", "s2s-secret\n", headers, body, now=NOW, **request)
    assert (bad.verdict, codes(bad)) == ("SIGNATURE_MISMATCH", ["SECRET_WHITESPACE"])
    # Without the request line the S2S profile cannot verify: the verdict says so.
    assert hooksig.explain("unknownpay-s2s", "s2s-secret", headers, body, now=NOW).verdict == "INVALID_ARGUMENT"


# ---- wrong arguments raise; failed verifications never do -----------------------

GOOD: dict[str, Any] = {
    "profile": "github",
    "secrets": "s",
    "headers": {"X-Hub-Signature-256": "sha256=00"},
    "body": b"{}",
}


@pytest.mark.parametrize(
    "change",
    [
        {"profile": 1},
        {"profile": "no-such-profile"},
        {"secrets": 5},
        {"secrets": ["s", 5]},
        {"headers": 3},
        {"headers": "X-Hub-Signature-256: sha256=00"},
        {"headers": [("X-Hub-Signature-256",)]},
        {"headers": {1: "x"}},
        {"headers": {"X-Hub-Signature-256": 5}},  # a header the profile reads, not text
        {"headers": [("x-hub-signature-256", None)]},
        {"body": 1},
        {"body": None},
        {"body": {"a": 1}},
        {"now": -1},
        {"now": "now"},
        {"now": 2**64},
        {"now": True},
        {"tolerance": "300"},
        {"tolerance": -1},
        {"tolerance": 1.5},
        {"tolerance": True},
        {"tolerance": 10**30},
        {"past": -5},
        {"future": "300"},
        {"tolerance": None, "past": 1},
        {"method": "POST"},
        {"path_and_query": "/"},
        {"method": 1, "path_and_query": "/"},
        {"method": "PO ST", "path_and_query": "/"},
        {"method": "POST", "path_and_query": ""},
        {"verbose": True},
    ],
    ids=repr,
)
def test_wrong_types_are_invalid_argument(change: dict[str, Any]) -> None:
    args = {**GOOD, **change}
    positional = [args.pop(name) for name in ("profile", "secrets", "headers", "body")]
    assert code(lambda: hooksig.explain(*positional, **args)) == "INVALID_ARGUMENT"


def test_failures_are_verdicts_not_exceptions() -> None:
    explain = hooksig.explain
    assert explain("github", "s", GOOD["headers"], b"{}").verdict == "NO_SIGNATURE"
    assert explain("github", "s", {}, b"{}").verdict == "MISSING_HEADER"
    assert explain("github", [], {}, b"{}").verdict == "INVALID_ARGUMENT"  # no secret
    assert explain("github", ["s"] * 9, {}, b"{}").verdict == "INVALID_ARGUMENT"  # too many
    # Other headers' non-text values are skipped, as a WSGI environ needs.
    assert explain("github", "s", {"wsgi.input": object(), **GOOD["headers"]}, b"{}").verdict == "NO_SIGNATURE"


def test_large_bodies_every_type() -> None:
    """From 4 KiB up the core runs without the GIL; every body type still gives the same answer."""
    body = b'{"pad":"' + b"x" * 70_000 + b'"}'
    headers = hooksig.sign("github", "s", body)
    for shaped in (body, bytearray(body), memoryview(body), memoryview(bytearray(body)), body.decode()):
        assert hooksig.explain("github", "s", headers, shaped).verdict == "OK"
        assert hooksig.explain("github", "s\n", headers, shaped).findings[0].code == "SECRET_WHITESPACE"
