"""Every case of testdata/vectors.json through the Python API.

The file is the one every language runs; it is read in place (never copied).
Each verify case runs with the body as bytes, bytearray, memoryview and, when
it is text, str, and must give the expected code and secret_index each time.
"""

import hmac
import json
from pathlib import Path
from typing import Any

import pytest

import hooksig

VECTORS = Path(__file__).resolve().parents[2] / "testdata" / "vectors.json"
DATA: dict[str, Any] = json.loads(VECTORS.read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]
SIGN_CASES: list[dict[str, Any]] = DATA["sign_cases"]


def raw(value: str | dict[str, str]) -> str | bytes:
    """A string, or {"hex": ...} for bytes that are not UTF-8."""
    return bytes.fromhex(value["hex"]) if isinstance(value, dict) else value


def body_of(case: dict[str, Any]) -> bytes:
    if "body_hex" in case:
        return bytes.fromhex(case["body_hex"])
    text: str = case["body"]
    return text.encode("utf-8")


def window(case: dict[str, Any]) -> dict[str, Any]:
    tolerance = case.get("tolerance")
    if tolerance is None:
        return {}
    if tolerance == "disabled":
        return {"tolerance": None}
    return {"past": tolerance["past"], "future": tolerance["future"]}


def request_of(case: dict[str, Any]) -> dict[str, Any]:
    """The case's request line as the keyword arguments of verify and sign (any profile takes them)."""
    request = case.get("request")
    return {} if request is None else {k: request[k] for k in ("method", "path_and_query")}


def code_of(case: dict[str, Any], body: hooksig.Body) -> tuple[str, hooksig.Verified | None]:
    headers = [(raw(name), raw(value)) for name, value in case["headers"]]
    now = case["now"] if case["now"] is not None else 0
    try:
        verifier = hooksig.Verifier(case["scheme"], case["secrets"], **window(case))
        verified = verifier.verify(headers, body, now=now, **request_of(case))
    except hooksig.VerificationError as err:
        return err.code, None
    return "OK", verified


def test_the_file_is_complete() -> None:
    assert len(CASES) >= 436 and len(SIGN_CASES) >= 53
    keyed = [case for case in CASES if "expect_replay_key" in case]
    assert len(keyed) >= 153 and all(case["expect"] == "OK" and "expect_id_signed" in case for case in keyed)
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_verify_case(case: dict[str, Any]) -> None:
    body = body_of(case)
    bodies: list[hooksig.Body] = [body, bytearray(body), memoryview(body)]
    if "body" in case:
        bodies.append(case["body"])
    for each in bodies:
        code, verified = code_of(case, each)
        assert code == case["expect"], f"{type(each).__name__} body"
        if verified is not None:
            assert verified.scheme in case["scheme"] or case["scheme"] == "svix"
            if "matched_secret" in case:
                assert verified.secret_index == case["matched_secret"]
            if "expect_timestamp" in case:
                assert verified.timestamp == case["expect_timestamp"]
            if "expect_id" in case:
                assert verified.id == case["expect_id"]
            if "expect_replay_key" in case:
                assert verified.replay_key == case["expect_replay_key"]
            if "expect_id_signed" in case:
                assert verified.id_signed is case["expect_id_signed"]


def sign_case(case: dict[str, Any]) -> dict[str, str]:
    key_id = (case.get("request") or {}).get("key_id")
    options = {"timestamp": case["timestamp"], "id": case["id"], "key_id": key_id, **request_of(case)}
    return hooksig.sign(case["scheme"], case["secret"], body_of(case), **options)


@pytest.mark.parametrize("case", SIGN_CASES, ids=[case["name"] for case in SIGN_CASES])
def test_sign_case(case: dict[str, Any]) -> None:
    try:
        headers = sign_case(case)
    except hooksig.VerificationError as err:
        assert err.code == case["expect"]
        return
    assert case["expect"] == "OK"
    expected: list[list[str]] = case["headers"]
    assert list(headers) == [name for name, _ in expected]
    for name, value in expected:
        # Signatures are compared in constant time, even in tests.
        assert hmac.compare_digest(headers[name].encode(), value.encode()), name


@pytest.mark.parametrize(
    "case", [c for c in SIGN_CASES if c["expect"] == "OK"], ids=lambda c: str(c["name"])
)
def test_what_sign_produces_verifies(case: dict[str, Any]) -> None:
    headers = sign_case(case)
    verifier = hooksig.Verifier(case["scheme"], [case["secret"]])

    def verify() -> hooksig.Verified:
        return verifier.verify(headers, body_of(case), now=case["timestamp"] or 0, **request_of(case))

    if case["scheme"] == "unknownpay-s2s" and "X-Api-Key" not in headers:
        # Verifying a request needs X-Api-Key, which sign sends only with a key id.
        with pytest.raises(hooksig.VerificationError) as err:
            verify()
        assert err.value.code == "MISSING_HEADER"
        return
    assert verify().secret_index == 0
