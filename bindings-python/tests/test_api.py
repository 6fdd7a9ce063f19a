"""The API's contract: argument types, bodies, options, errors, threads."""

import array
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import hooksig
from hooksig._hooksig import error
from hooksig.replay import MemoryStore, verify_once

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # Standard Webhooks' documented test secret
NOW = 1_700_000_000


def signed(body: bytes, timestamp: int = NOW, msg_id: str = "msg_1") -> dict[str, str]:
    return hooksig.sign("standard-webhooks", SECRET, body, timestamp=timestamp, id=msg_id)


def code(call: Callable[[], object]) -> str:
    """The code of the VerificationError `call` raises (any other exception fails the test)."""
    with pytest.raises(hooksig.VerificationError) as err:
        call()
    assert isinstance(err.value, ValueError)
    assert err.value.code in str(err.value)
    return err.value.code


def test_verified_result() -> None:
    verifier = hooksig.Verifier("standard-webhooks", ["whsec_b3RoZXI=", SECRET])
    verified = verifier.verify(signed(b"{}"), b"{}", now=NOW)
    assert (verified.scheme, verified.secret_index, verified.timestamp, verified.id) == (
        "standard-webhooks",
        1,
        NOW,
        "msg_1",
    )
    key = verified.replay_key
    assert len(key) == 64 and set(key) <= set("0123456789abcdef") and verified.id_signed is True
    assert repr(verified) == (
        "Verified(scheme='standard-webhooks', secret_index=1, timestamp=1700000000, id='msg_1', "
        f"replay_key='{key}', id_signed=True)"
    )
    # The key depends on the first secret's MAC only, not on which secret matched.
    assert hooksig.Verifier("standard-webhooks", SECRET).verify(signed(b"{}"), b"{}", now=NOW).replay_key != key
    assert verified == verifier.verify(signed(b"{}"), b"{}", now=NOW)
    with pytest.raises(AttributeError):
        verified.secret_index = 0  # type: ignore[misc]
    assert "standard-webhooks" in repr(verifier)
    assert hooksig.__version__.count(".") == 2


def test_one_shot_verify_and_secret_forms() -> None:
    body = b'{"ok":true}'
    headers = hooksig.sign("github", b"s3cret", body)
    assert hooksig.verify("github", "s3cret", headers, body).secret_index == 0
    assert hooksig.verify("github", [b"x", b"s3cret"], headers, body).secret_index == 1
    assert hooksig.verify("github", ("x", "y", "s3cret"), headers, body).secret_index == 2
    assert hooksig.verify("github", iter(["s3cret"]), headers, body).secret_index == 0


def _raise(err: Exception) -> None:
    raise err


def test_error_codes_and_http_status() -> None:
    body = b"{}"
    headers = signed(body)
    verifier = hooksig.Verifier("standard-webhooks", SECRET)
    cases: list[tuple[Callable[[], object], str, int]] = [
        (lambda: verifier.verify(headers, b"{ }", now=NOW), "SIGNATURE_MISMATCH", 401),
        (lambda: verifier.verify({}, body, now=NOW), "MISSING_HEADER", 400),
        (lambda: verifier.verify(headers, body, now=NOW + 301), "TIMESTAMP_TOO_OLD", 401),
        (lambda: verifier.verify(headers, body, now=NOW - 301), "TIMESTAMP_IN_FUTURE", 401),
        (lambda: hooksig.Verifier("github", ""), "INVALID_SECRET", 500),
        (lambda: hooksig.Verifier("nope", "s"), "INVALID_ARGUMENT", 500),
        (lambda: verify_once(verifier, store, headers, body, now=NOW), "DUPLICATE_DELIVERY", 200),
        (lambda: verify_once(verifier, MemoryStore(0), headers, body, now=NOW), "REPLAY_STORE_UNAVAILABLE", 503),
        (lambda: _raise(error("PAYLOAD_TOO_LARGE")), "PAYLOAD_TOO_LARGE", 413),
        (lambda: _raise(error("RAW_BODY_UNAVAILABLE")), "RAW_BODY_UNAVAILABLE", 500),
    ]
    store = MemoryStore()
    verify_once(verifier, store, headers, body, now=NOW)
    for call, expected, status in cases:
        with pytest.raises(hooksig.VerificationError) as err:
            call()
        assert (err.value.code, err.value.http_status) == (expected, status)


def test_now_defaults_to_the_system_clock() -> None:
    verifier = hooksig.Verifier("standard-webhooks", SECRET)
    fresh = int(time.time())
    assert verifier.verify(signed(b"x", timestamp=fresh), b"x").timestamp == fresh
    assert verifier.verify(signed(b"x", timestamp=fresh), b"x", now=None).timestamp == fresh
    assert code(lambda: verifier.verify(signed(b"x", timestamp=fresh - 3600), b"x")) == "TIMESTAMP_TOO_OLD"
    # Signing never reads the clock (the core has none): a timestamped profile needs one.
    assert code(lambda: hooksig.sign("unknownpay-s2s", "k", b"{}", method="POST", path_and_query="/")) == (
        "INVALID_ARGUMENT"
    )


def test_tolerance_options() -> None:
    headers = signed(b"x")
    late = NOW + 1000
    assert code(lambda: hooksig.Verifier("standard-webhooks", SECRET).verify(headers, b"x", now=late)) == (
        "TIMESTAMP_TOO_OLD"
    )
    assert hooksig.Verifier("standard-webhooks", SECRET, tolerance=None).verify(headers, b"x", now=late)
    assert hooksig.Verifier("standard-webhooks", SECRET, tolerance=1000).verify(headers, b"x", now=late)
    assert hooksig.Verifier("standard-webhooks", SECRET, past=1000).verify(headers, b"x", now=late)
    future_only = hooksig.Verifier("standard-webhooks", SECRET, future=1000)
    assert code(lambda: future_only.verify(headers, b"x", now=late)) == "TIMESTAMP_TOO_OLD"
    assert hooksig.verify("standard-webhooks", SECRET, headers, b"x", now=late, tolerance=None)
    assert code(lambda: hooksig.Verifier("standard-webhooks", SECRET, tolerance=None, past=1)) == "INVALID_ARGUMENT"


def test_tolerance_as_a_whole_float() -> None:
    """A float that is a whole number is a number of seconds (the core's rule for every language)."""
    headers, late = signed(b"x"), NOW + 1000
    assert ANY.Verifier("standard-webhooks", SECRET, tolerance=1000.0).verify(headers, b"x", now=late)
    assert ANY.Verifier("standard-webhooks", SECRET, past=1000.0).verify(headers, b"x", now=late)


BAD_WINDOWS: list[object] = [-1, 1.5, "300", True, 10**30, float("nan"), float("inf"), 366 * 86400 + 1, [300]]


@pytest.mark.parametrize("option", ["tolerance", "past", "future"])
@pytest.mark.parametrize("value", BAD_WINDOWS, ids=repr)
def test_bad_window_options_are_invalid_argument(option: str, value: object) -> None:
    headers = signed(b"x")
    window: dict[str, Any] = {option: value}
    assert code(lambda: hooksig.Verifier("standard-webhooks", SECRET, **window)) == "INVALID_ARGUMENT"
    assert code(lambda: hooksig.verify("standard-webhooks", SECRET, headers, b"x", now=NOW, **window)) == (
        "INVALID_ARGUMENT"
    )
    assert code(lambda: hooksig.explain("standard-webhooks", SECRET, headers, b"x", now=NOW, **window)) == (
        "INVALID_ARGUMENT"
    )


def test_a_2001_stripe_delivery_is_refused_with_tolerance_minus_one() -> None:
    """A -1 must never become a huge window (it did through PHP's FFI)."""
    body = b'{"id":"evt_2001"}'
    headers = hooksig.sign("stripe", "whsec_x", body, timestamp=1_000_000_000)  # 2001-09-09
    any_tolerance: Any = -1
    for call in (
        lambda: hooksig.verify("stripe", "whsec_x", headers, body, tolerance=any_tolerance),
        lambda: hooksig.Verifier("stripe", "whsec_x", tolerance=any_tolerance).verify(headers, body),
        lambda: hooksig.explain("stripe", "whsec_x", headers, body, tolerance=any_tolerance),
    ):
        assert code(call) == "INVALID_ARGUMENT"
    assert code(lambda: hooksig.verify("stripe", "whsec_x", headers, body)) == "TIMESTAMP_TOO_OLD"


def test_one_verify_takes_the_request_line() -> None:
    body = b'{"amount":100}'
    line: dict[str, Any] = {"method": "POST", "path_and_query": "/v1/pay?x=1"}
    headers = hooksig.sign("unknownpay-s2s", "k", body, timestamp=NOW, key_id="key_1", id="idem-1", **line)
    assert list(headers) == ["X-Api-Key", "X-Timestamp", "X-Signature", "Idempotency-Key"]
    verifier = hooksig.Verifier("unknownpay-s2s", "k")
    ok = verifier.verify(headers, body, now=NOW, **line)
    assert (ok.timestamp, ok.id) == (NOW, "idem-1")
    assert hooksig.verify("unknownpay-s2s", "k", headers, body, now=NOW, **line) == ok
    wrong_path = lambda: verifier.verify(headers, body, method="POST", path_and_query="/v1/pay", now=NOW)
    assert code(wrong_path) == "SIGNATURE_MISMATCH"
    assert code(lambda: verifier.verify(headers, body, now=NOW)) == "INVALID_ARGUMENT"  # S2S needs the line
    assert code(lambda: verifier.verify(headers, body, method="POST", now=NOW)) == "INVALID_ARGUMENT"
    assert code(lambda: verifier.verify(headers, body, path_and_query="/", now=NOW)) == "INVALID_ARGUMENT"
    # Every other profile takes the line and ignores it (a framework adapter can always pass it)...
    github = hooksig.sign("github", "s", body, **line)
    assert github == hooksig.sign("github", "s", body)
    assert hooksig.Verifier("github", "s").verify(github, body, **line).secret_index == 0
    # ...but a bad one, or half of one, is still INVALID_ARGUMENT.
    assert code(lambda: hooksig.Verifier("github", "s").verify(github, body, method="PO ST", path_and_query="/")) == (
        "INVALID_ARGUMENT"
    )
    assert code(lambda: hooksig.Verifier("github", "s").verify(github, body, method="POST")) == "INVALID_ARGUMENT"


# Wrong types and out-of-range values: every one is INVALID_ARGUMENT, never a TypeError.
BODY = b"{}"
HEADERS = hooksig.sign("github", "s", BODY)
V = hooksig.Verifier("github", "s")
ANY: Any = hooksig  # calls the type checker would (rightly) refuse
ANY_V: Any = V
S2S_LINE: dict[str, str] = {"method": "POST", "path_and_query": "/p"}

BAD_CALLS: dict[str, Callable[[], object]] = {
    "profile int": lambda: ANY.Verifier(3, "s"),
    "profile None": lambda: ANY.Verifier(None, "s"),
    "profile bytes": lambda: ANY.Verifier(b"github", "s"),
    "secrets None": lambda: ANY.Verifier("github", None),
    "secrets int": lambda: ANY.Verifier("github", 3),
    "secret None in list": lambda: ANY.Verifier("github", ["s", None]),
    "no secrets": lambda: hooksig.Verifier("github", []),
    "nine secrets": lambda: hooksig.Verifier("github", ["s"] * 9),
    "endless secrets": lambda: hooksig.Verifier("github", iter(lambda: "s", None)),
    "tolerance negative": lambda: hooksig.Verifier("github", "s", tolerance=-1),
    "tolerance str": lambda: ANY.Verifier("github", "s", tolerance="300"),
    "tolerance float": lambda: ANY.Verifier("github", "s", tolerance=1.5),
    "tolerance huge": lambda: hooksig.Verifier("github", "s", tolerance=2**64),
    "past bool": lambda: hooksig.Verifier("github", "s", past=True),
    "unknown keyword": lambda: ANY.Verifier("github", "s", tolerence=300),
    "headers None": lambda: ANY_V.verify(None, BODY),
    "headers int": lambda: ANY_V.verify(3, BODY),
    "headers str": lambda: ANY_V.verify("X-Hub-Signature-256: x", BODY),
    "headers bytes": lambda: ANY_V.verify(b"X-Hub-Signature-256: x", BODY),
    "pair too short": lambda: ANY_V.verify([("X-Hub-Signature-256",)], BODY),
    "pair not a pair": lambda: ANY_V.verify([1], BODY),
    "name int": lambda: ANY_V.verify({1: "x"}, BODY),
    "wanted value int": lambda: ANY_V.verify({"X-Hub-Signature-256": 3}, BODY),
    "wanted value None": lambda: ANY_V.verify([("X-Hub-Signature-256", None)], BODY),
    "value lone surrogate": lambda: V.verify({"X-Hub-Signature-256": "\ud800"}, BODY),
    "items() raises": lambda: ANY_V.verify(type("M", (), {"items": lambda self: 1 / 0})(), BODY),
    "body None": lambda: ANY_V.verify(HEADERS, None),
    "body int": lambda: ANY_V.verify(HEADERS, 3),
    "body list": lambda: ANY_V.verify(HEADERS, [1, 2]),
    "body lone surrogate": lambda: V.verify(HEADERS, "\udc80"),
    "body strided memoryview": lambda: V.verify(HEADERS, memoryview(b"abcdef")[::2]),
    "body int array": lambda: V.verify(HEADERS, memoryview(array.array("i", [1, 2]))),
    "now negative": lambda: V.verify(HEADERS, BODY, now=-1),
    "now huge": lambda: V.verify(HEADERS, BODY, now=2**64),
    "now very huge": lambda: V.verify(HEADERS, BODY, now=10**100),
    "now float": lambda: ANY_V.verify(HEADERS, BODY, now=1.5),
    "now str": lambda: ANY_V.verify(HEADERS, BODY, now="1"),
    "verify unknown keyword": lambda: ANY_V.verify(HEADERS, BODY, when=1),
    "one-shot secrets None": lambda: ANY.verify("github", None, HEADERS, BODY),
    "sign profile None": lambda: ANY.sign(None, "s", BODY),
    "sign secret None": lambda: ANY.sign("github", None, BODY),
    "sign secret int": lambda: ANY.sign("github", 3, BODY),
    "sign body None": lambda: ANY.sign("github", "s", None),
    "sign timestamp negative": lambda: hooksig.sign("stripe", "s", BODY, timestamp=-1),
    "sign timestamp 13 digits": lambda: hooksig.sign("stripe", "s", BODY, timestamp=10**12),
    "sign id int": lambda: ANY.sign("standard-webhooks", SECRET, BODY, timestamp=1, id=3),
    "sign unknown keyword": lambda: ANY.sign("github", "s", BODY, ts=1),
    "sign id for stripe": lambda: hooksig.sign("stripe", "s", BODY, timestamp=1, id="x"),
    "sign key_id for github": lambda: hooksig.sign("github", "s", BODY, key_id="k"),
    "sign s2s without request line": lambda: hooksig.sign("unknownpay-s2s", "k", BODY, timestamp=1),
    "sign method without path": lambda: hooksig.sign("unknownpay-s2s", "k", BODY, timestamp=1, method="POST"),
    "sign method None": lambda: hooksig.sign("unknownpay-s2s", "k", BODY, timestamp=1, path_and_query="/p"),
    "sign bad method": lambda: hooksig.sign("unknownpay-s2s", "k", BODY, timestamp=1, method="PO ST", path_and_query="/p"),
    "sign path int": lambda: ANY.sign("unknownpay-s2s", "k", BODY, timestamp=1, method="POST", path_and_query=1),
    "sign timestamp huge": lambda: hooksig.sign("unknownpay-s2s", "k", BODY, timestamp=2**70, **S2S_LINE),
    "sign key_id bytes": lambda: ANY.sign("unknownpay-s2s", "k", BODY, timestamp=1, key_id=b"k", **S2S_LINE),
    "verify method int": lambda: ANY_V.verify(HEADERS, BODY, method=1, path_and_query="/"),
    "verify newline in path": lambda: V.verify(HEADERS, BODY, method="POST", path_and_query="/a\nb"),
}


@pytest.mark.parametrize("call", BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_wrong_types_are_invalid_argument(call: Callable[[], object]) -> None:
    assert code(call) == "INVALID_ARGUMENT"


def test_invalid_argument_keeps_the_conversion_error_as_cause() -> None:
    with pytest.raises(hooksig.VerificationError) as err:
        V.verify(HEADERS, BODY, now=-1)
    assert isinstance(err.value.__cause__, OverflowError)


def test_verify_arguments_by_position_or_keyword() -> None:
    # Verifier.verify takes **kwargs (so an unknown keyword is INVALID_ARGUMENT);
    # headers and body still go by position or keyword, checked call by call.
    verifier = hooksig.Verifier("standard-webhooks", SECRET)
    headers = signed(b"{}")
    expected = verifier.verify(headers, b"{}", now=NOW)
    assert verifier.verify(headers, body=b"{}", now=NOW) == expected
    assert verifier.verify(headers=headers, body=b"{}", now=NOW) == expected
    assert verifier.verify(body=b"{}", headers=headers, now=NOW) == expected
    assert hooksig.Verifier.verify(verifier, headers, b"{}", now=NOW) == expected
    assert code(lambda: verifier.verify(headers, b"{}", now=None)) == "TIMESTAMP_TOO_OLD"
    any_verifier: Any = verifier
    assert code(lambda: any_verifier.verify(headers, b"{}", now=NOW, tolerance=5)) == "INVALID_ARGUMENT"
    method: Any = hooksig.Verifier.verify
    assert method.__text_signature__ == "($self, headers, body, *, method=None, path_and_query=None, now=None)"
    assert method.__doc__
    bad_calls: list[Callable[[], object]] = [
        lambda: any_verifier.verify(headers),
        lambda: any_verifier.verify(headers, b"{}", NOW),
        lambda: any_verifier.verify(headers, b"{}", headers=headers),
        lambda: any_verifier.verify(b"{}", headers=headers),
        lambda: any_verifier.verify(),
        lambda: method(3, headers, b"{}"),
    ]
    for bad in bad_calls:
        with pytest.raises(TypeError):
            bad()


def test_environ_values_the_profile_does_not_read_are_skipped() -> None:
    environ: dict[str, object] = {
        "wsgi.input": object(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "HTTP_X_ODD": "\ud800",
    }
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in signed(b"{}").items()})
    verified = hooksig.Verifier("standard-webhooks", SECRET).verify(environ, b"{}", now=NOW)
    assert verified.id == "msg_1"


BIG = b'{"data":"' + b"x" * (256 * 1024) + b'"}'  # far above the GIL-release threshold


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, len(BIG)])
def test_every_body_type_at_every_size(size: int) -> None:
    """bytes and str (read in place, GIL released), memoryview of bytes (same),
    bytearray and its memoryview (read in place, or copied above 4 KiB)."""
    body = BIG[:size]
    headers = signed(body)
    tampered = body[:-1] + b"!" if body else b"!"
    verifier = hooksig.Verifier("standard-webhooks", SECRET)
    kinds: list[Callable[[bytes], hooksig.Body]] = [
        bytes,
        bytearray,
        memoryview,
        lambda b: memoryview(bytearray(b)),
        lambda b: memoryview(b"." + b + b".")[1:-1],
        lambda b: b.decode("utf-8"),
    ]
    for kind in kinds:
        assert verifier.verify(headers, kind(body), now=NOW).id == "msg_1"
        assert code(lambda: verifier.verify(headers, kind(tampered), now=NOW)) == "SIGNATURE_MISMATCH"


def test_str_body_is_its_utf8_bytes() -> None:
    text = '{"name":"Zoë ✓"}'
    headers = hooksig.sign("shopify", "s", text)
    assert hooksig.verify("shopify", "s", headers, text.encode("utf-8")).secret_index == 0
    assert code(lambda: hooksig.verify("shopify", "s", headers, text.encode("latin-1", "replace"))) == (
        "SIGNATURE_MISMATCH"
    )


def test_one_verifier_from_many_threads() -> None:
    verifier = hooksig.Verifier("standard-webhooks", ["whsec_b3RoZXI=", SECRET])
    deliveries = []
    for i in range(64):
        body = (b'{"n":%d,"pad":"' % i) + b"p" * (i * 512) + b'"}'  # 0 to 32 KiB: both GIL paths
        deliveries.append((signed(body, msg_id=f"msg_{i}"), body, i))

    def check(item: tuple[dict[str, str], bytes, int]) -> tuple[int, str]:
        headers, body, i = item
        verified = verifier.verify(headers, bytearray(body) if i % 2 else body, now=NOW)
        assert verified.id == f"msg_{i}" and verified.secret_index == 1
        try:
            verifier.verify(headers, body + b" ", now=NOW)
        except hooksig.VerificationError as err:
            return i, err.code
        return i, "OK"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(check, deliveries * 8))
    assert len(results) == 64 * 8
    assert {result for _, result in results} == {"SIGNATURE_MISMATCH"}
