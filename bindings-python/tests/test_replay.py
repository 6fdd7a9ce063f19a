"""hooksig.replay: exactly once in threads (MemoryStore) and across OS processes on a real
Redis (RedisStore), re-spelled replays, fail closed, release and retry.

Every Redis test starts its own redis-server on a free loopback port and stops it at the
end, also on failure; none is skipped (make test-python installs redis-server).
"""

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

import hooksig
from hooksig.replay import (
    DEFAULT_RETENTION,
    DEFAULT_STORE_CAPACITY,
    MAX_TTL,
    REPLAY_STORE_PREFIX,
    Claim,
    ClaimStore,
    MemoryStore,
    RedisStore,
    verify_once,
)
from tests import replay_support as support
from tests.replay_support import NOW, SECRET, Delivery, RedisServer

PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def outcome(call: Callable[[], object]) -> str:
    """"OK", or the code of the VerificationError ``call`` raises (anything else fails the test)."""
    try:
        call()
    except hooksig.VerificationError as err:
        return err.code
    return "OK"


def send(store: ClaimStore, delivery: Delivery, verifier: hooksig.Verifier | None = None) -> str:
    verifier = verifier or support.verifier()
    return outcome(lambda: verify_once(verifier, store, delivery.headers, delivery.body, now=NOW))


def key(delivery: Delivery) -> str:
    return support.verifier().verify(delivery.headers, delivery.body, now=NOW).replay_key


class Clock:
    """A clock (seconds) that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server() -> Iterator[RedisServer]:
    running = RedisServer()
    try:
        yield running
    finally:
        running.stop()


# ---- the core's values -------------------------------------------------------


def test_constants_come_from_the_core() -> None:
    from hooksig import _hooksig

    assert REPLAY_STORE_PREFIX == _hooksig.REPLAY_STORE_PREFIX == "hooksig:replay:"
    assert DEFAULT_STORE_CAPACITY == _hooksig.DEFAULT_STORE_CAPACITY == 100_000
    assert DEFAULT_RETENTION == 7 * 24 * 3600
    assert MemoryStore().capacity == DEFAULT_STORE_CAPACITY


def test_replay_ttl_is_the_window_or_the_retention() -> None:
    stripe = support.verifier()
    assert stripe.replay_ttl() == stripe.replay_ttl(None) == 600
    assert stripe.replay_ttl(60) == 600  # timestamped: the window decides
    assert hooksig.Verifier("stripe", SECRET, past=10, future=0).replay_ttl() == 10
    assert hooksig.Verifier("stripe", SECRET, tolerance=None).replay_ttl(retention=60) == 60
    github = hooksig.Verifier("github", SECRET)
    assert github.replay_ttl() == DEFAULT_RETENTION
    assert github.replay_ttl(retention=5) == 5
    for bad in (-1, 1.5, "60", True, 10**30):
        assert outcome(lambda: github.replay_ttl(bad)) == "INVALID_ARGUMENT"  # type: ignore[arg-type]
    assert outcome(lambda: github.replay_ttl(retention=1, ttl=2)) == "INVALID_ARGUMENT"  # type: ignore[call-arg]


def test_importing_hooksig_does_not_import_redis() -> None:
    code = (
        "import sys, hooksig, hooksig.replay\n"
        "hooksig.replay.verify_once(hooksig.Verifier('github', 's'), hooksig.replay.MemoryStore(),"
        " hooksig.sign('github', 's', b'{}'), b'{}')\n"
        "assert 'redis' not in sys.modules, 'redis imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE_ROOT)


def test_bad_store_arguments_are_invalid_argument() -> None:
    store = MemoryStore()
    k = key(support.stripe("args", 0))
    github = support.signed("github", SECRET, b"{}")
    calls: list[Callable[[], object]] = [
        lambda: store.claim(k, 0),
        lambda: store.claim(k, -1),
        lambda: store.claim(k, True),
        lambda: store.claim(k, 1.5),  # type: ignore[arg-type]
        lambda: store.claim(k.upper(), 60),
        lambda: store.claim(k[:-1], 60),
        lambda: store.claim(k.encode(), 60),  # type: ignore[arg-type]
        lambda: store.release("claim"),  # type: ignore[arg-type]
        lambda: MemoryStore(-1),
        lambda: MemoryStore(True),
        lambda: MemoryStore(1.0),  # type: ignore[arg-type]
        lambda: RedisStore("not a url"),
        lambda: RedisStore("redis://127.0.0.1/", timeout=0),
        lambda: RedisStore("redis://127.0.0.1/", timeout=float("nan")),
        lambda: RedisStore("redis://127.0.0.1/", prefix=b"x"),  # type: ignore[arg-type]
        lambda: verify_once(support.verifier(), store, {}, b"{}", retention=-1),
        lambda: verify_once(hooksig.Verifier("github", SECRET), store, github.headers, github.body, retention=0),
    ]
    for call in calls:
        assert outcome(call) == "INVALID_ARGUMENT"
    # A TTL over MAX_TTL is shortened, not refused.
    assert isinstance(store.claim(k, MAX_TTL * 10), Claim)


# ---- MemoryStore --------------------------------------------------------------


def test_memory_store_threads_accept_each_delivery_exactly_once() -> None:
    store = MemoryStore()
    verifier = support.verifier()
    deliveries = [support.stripe("memory", n) for n in range(20)]
    start = threading.Barrier(10)
    results: list[list[tuple[int, str]]] = [[] for _ in range(10)]

    def thread(t: int) -> None:
        start.wait()
        # Each thread in another order, so that the races differ.
        for n in ((i * 7 + t) % 20 for i in range(20)):
            results[t].append((n, send(store, deliveries[n], verifier)))

    threads = [threading.Thread(target=thread, args=(t,)) for t in range(10)]
    for each in threads:
        each.start()
    for each in threads:
        each.join()
    counts = Counter(pair for result in results for pair in result)
    assert sum(counts.values()) == 200
    assert all(counts[(n, "OK")] == 1 and counts[(n, "DUPLICATE_DELIVERY")] == 9 for n in range(20)), counts
    assert len(store) == 20


def test_a_full_memory_store_refuses_instead_of_forgetting() -> None:
    clock = Clock()
    store = MemoryStore(3, clock=clock)
    for n in range(3):
        assert send(store, support.stripe("full", n)) == "OK"
    # Full of unexpired claims: a new delivery is refused, the old ones are still duplicates.
    assert send(store, support.stripe("full", 3)) == "REPLAY_STORE_UNAVAILABLE"
    assert send(store, support.stripe("full", 0)) == "DUPLICATE_DELIVERY"
    # The claims last the window, 600 s: one second before, still full.
    clock.now = 599
    assert send(store, support.stripe("full", 3)) == "REPLAY_STORE_UNAVAILABLE"
    clock.now = 600
    assert send(store, support.stripe("full", 3)) == "OK"
    assert len(store) == 1


def test_memory_store_ttl_is_the_window_or_the_retention() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    github = hooksig.Verifier("github", SECRET)
    d = support.signed("github", SECRET, support.body("ttl", 0))

    def once(retention: int | None) -> str:
        return outcome(lambda: verify_once(github, store, d.headers, d.body, retention=retention))

    assert once(10) == "OK"
    clock.now = 9
    assert once(10) == "DUPLICATE_DELIVERY"
    clock.now = 10
    assert once(None) == "OK"  # expired; now kept the default retention, 7 days
    clock.now = 10 + DEFAULT_RETENTION - 1
    assert once(None) == "DUPLICATE_DELIVERY"
    clock.now = 10 + DEFAULT_RETENTION
    assert once(None) == "OK"


def test_memory_store_release_then_retry_is_accepted() -> None:
    store = MemoryStore()
    verifier = support.verifier()
    delivery = support.stripe("release", 0)
    verified, claim = verify_once(verifier, store, delivery.headers, delivery.body, now=NOW)
    assert (claim.key, verified.scheme) == (verified.replay_key, "stripe")
    assert repr(claim) == f"Claim(key={claim.key!r})"
    assert send(store, delivery) == "DUPLICATE_DELIVERY"
    # The handler failed: release, so the sender's retry is processed.
    assert store.release(claim) is True
    assert send(store, delivery) == "OK"
    assert send(store, delivery) == "DUPLICATE_DELIVERY"
    # Released twice: the second finds nothing of its own.
    assert store.release(claim) is False


def test_memory_store_release_deletes_only_its_own_token() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    delivery = support.stripe("token", 0)
    old = store.claim(key(delivery), 60)
    clock.now = 60
    new = store.claim(key(delivery), 60)
    assert old.token != new.token
    assert store.release(old) is False
    assert send(store, delivery) == "DUPLICATE_DELIVERY"
    assert store.release(new) is True
    assert send(store, delivery) == "OK"


def test_memory_store_stays_bounded_under_claim_and_release() -> None:
    store = MemoryStore(2)
    k = key(support.stripe("churn", 0))
    for _ in range(1000):
        assert store.release(store.claim(k, MAX_TTL))
    assert len(store) == 0 and len(store._expiry) < 100


def test_a_failed_verify_never_touches_the_store() -> None:
    # A store that refuses every claim: a bad delivery still gets its own error.
    store = MemoryStore(0)
    good = support.stripe("verify", 0)
    tampered = Delivery(good.headers, b"{}")
    assert send(store, tampered) == "SIGNATURE_MISMATCH"
    assert send(store, good) == "REPLAY_STORE_UNAVAILABLE"


# ---- RedisStore, on a real redis-server ------------------------------------


def test_two_processes_accept_each_delivery_exactly_once(server: RedisServer) -> None:
    # 20 deliveries, each sent 5 times by each of 2 processes: 10 sends each, all at once.
    command = [sys.executable, "-m", "tests.replay_worker", server.url, "race:", "20", "5"]
    workers = [
        subprocess.Popen(command, cwd=PACKAGE_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
        outputs = [worker.communicate("go\n", timeout=120)[0] for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    assert [worker.returncode for worker in workers] == [0, 0]
    lines = [line.split() for output in outputs for line in output.splitlines()]
    assert [len(output.splitlines()) for output in outputs] == [100, 100]
    counts = Counter((int(n), code) for n, code in lines)
    for n in range(20):
        assert (counts[(n, "OK")], counts[(n, "DUPLICATE_DELIVERY")]) == (1, 9), (n, counts)
    assert sum(c for (_, code), c in counts.items() if code == "DUPLICATE_DELIVERY") == 180
    assert sum(counts.values()) == 200

    # 20 claims in Redis, kept for the window (300 s + 300 s), named prefix + replay key.
    client = redis.Redis.from_url(server.url, decode_responses=True)
    names = {str(name) for name in client.keys("race:*")}
    assert len(names) == 20
    first = f"race:{key(support.stripe('race', 0))}"
    assert first in names
    assert 590_000 < client.pttl(first) <= 600_000
    client.close()


def test_re_spelled_replays_are_duplicates(server: RedisServer) -> None:
    store = RedisStore(server.url)

    # GitHub: X-GitHub-Delivery is not signed; a replay with another id is the same delivery.
    github = hooksig.Verifier("github", SECRET)
    first = support.signed("github", SECRET, support.body("github", 0), id="delivery-1")
    assert send(store, first, github) == "OK"
    other_id = first.with_header("X-GitHub-Delivery", "delivery-2")
    verified = github.verify(other_id.headers, other_id.body)
    assert (verified.id, verified.id_signed) == ("delivery-2", False)
    assert send(store, other_id, github) == "DUPLICATE_DELIVERY"

    # Stripe: the same signature in upper-case hex.
    first = support.stripe("respell", 0)
    assert send(store, first) == "OK"
    t, v1 = first.header("Stripe-Signature").split(",v1=")
    upper = first.with_header("Stripe-Signature", f"{t},v1={v1.upper()}")
    assert outcome(lambda: support.verifier().verify(upper.headers, upper.body, now=NOW)) == "OK"
    assert send(store, upper) == "DUPLICATE_DELIVERY"

    # Stripe rotation: the pair is accepted once; then either v1 alone is a duplicate.
    new_secret = "whsec_replay_rotated_secret"
    rotating = hooksig.Verifier("stripe", [SECRET, new_secret])
    body = support.body("rotation", 0)
    old = support.signed("stripe", SECRET, body, timestamp=NOW)
    new = support.signed("stripe", new_secret, body, timestamp=NOW)

    def v1_of(d: Delivery) -> str:
        return d.header("Stripe-Signature").split(",v1=")[1]

    pair = old.with_header("Stripe-Signature", f"t={NOW},v1={v1_of(old)},v1={v1_of(new)}")
    assert send(store, pair, rotating) == "OK"
    assert rotating.verify(new.headers, new.body, now=NOW).secret_index == 1
    assert send(store, new, rotating) == "DUPLICATE_DELIVERY"
    assert send(store, old, rotating) == "DUPLICATE_DELIVERY"

    # A different delivery is still accepted.
    assert send(store, support.stripe("respell", 1)) == "OK"


def test_redis_stopped_mid_run_accepts_nothing(server: RedisServer) -> None:
    store = RedisStore(server.url, timeout=0.3)
    for n in range(3):
        assert send(store, support.stripe("stop", n)) == "OK"
    server.stop()
    # Fresh deliveries and replays: nothing accepted.
    assert [send(store, support.stripe("stop", n)) for n in range(6)] == ["REPLAY_STORE_UNAVAILABLE"] * 6
    # A delivery that fails verification never reaches the store.
    assert send(store, Delivery(support.stripe("stop", 9).headers, b"{}")) == "SIGNATURE_MISMATCH"
    with pytest.raises(hooksig.VerificationError) as err:
        store.release(Claim(key(support.stripe("stop", 0)), "0" * 32))
    assert (err.value.code, err.value.http_status) == ("REPLAY_STORE_UNAVAILABLE", 503)
    assert err.value.__cause__ is not None


def test_a_hung_redis_times_out_unavailable(server: RedisServer) -> None:
    store = RedisStore(server.url, timeout=0.2)
    assert send(store, support.stripe("hung", 0)) == "OK"
    os.kill(server.pid, signal.SIGSTOP)
    try:
        hung = send(store, support.stripe("hung", 1))
    finally:
        os.kill(server.pid, signal.SIGCONT)
    assert hung == "REPLAY_STORE_UNAVAILABLE"
    # Back: the broken connection was dropped, a new one works.
    assert send(store, support.stripe("hung", 2)) == "OK"


def test_redis_release_then_retry_is_accepted(server: RedisServer) -> None:
    store = RedisStore(server.url)
    verifier = support.verifier()
    delivery = support.stripe("release", 0)
    _, claim = verify_once(verifier, store, delivery.headers, delivery.body, now=NOW)
    assert send(store, delivery) == "DUPLICATE_DELIVERY"
    assert store.release(claim) is True
    assert send(store, delivery) == "OK"
    assert send(store, delivery) == "DUPLICATE_DELIVERY"
    assert store.release(claim) is False


def test_redis_release_deletes_only_its_own_token(server: RedisServer) -> None:
    client = redis.Redis.from_url(server.url, decode_responses=True)
    store = RedisStore(client)  # a client as given, not a URL
    delivery = support.stripe("token", 0)
    k = key(delivery)
    name = REPLAY_STORE_PREFIX + k
    assert store.redis_key(k) == name

    old = store.claim(k, 60)
    assert client.get(name) == old.token and len(old.token) == 32
    client.delete(name)  # as if it had expired; then someone else claims the key
    new = store.claim(k, 60)
    assert old.token != new.token

    assert store.release(old) is False
    assert client.get(name) == new.token
    assert send(store, delivery) == "DUPLICATE_DELIVERY"
    assert store.release(new) is True
    assert client.get(name) is None
    client.close()


def test_redis_error_replies_are_unavailable(server: RedisServer) -> None:
    client = redis.Redis.from_url(server.url)
    store = RedisStore(server.url)
    client.config_set("maxmemory", 1)  # every write is now refused with OOM
    assert send(store, support.stripe("oom", 0)) == "REPLAY_STORE_UNAVAILABLE"
    client.config_set("maxmemory", 0)
    assert send(store, support.stripe("oom", 0)) == "OK"
    client.close()


def test_the_readme_example_processes_each_delivery_once() -> None:
    from examples.replay_handler import receive

    readme = (PACKAGE_ROOT.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    snippet = section.split("```python\n", 3)[3].split("```", 1)[0]
    assert "verify_once(" in snippet and snippet.count("\n") > 8
    assert snippet in (PACKAGE_ROOT / "examples" / "replay_handler.py").read_text(encoding="utf-8")

    verifier = hooksig.Verifier("github", SECRET)
    store = MemoryStore()
    delivery = support.signed("github", SECRET, b'{"n":1}')
    handled: list[bytes] = []
    failing = True

    def handle(verified: hooksig.Verified, body: bytes) -> None:
        if failing:
            raise RuntimeError("the database is down")
        handled.append(body)

    def receive_it() -> tuple[int, str]:
        return receive(verifier, store, delivery.headers, delivery.body, handle)

    assert receive_it() == (500, "HANDLER_FAILED")
    failing = False
    assert receive_it() == (200, "OK")  # the retry, after the release
    assert receive_it() == (200, "DUPLICATE_DELIVERY")
    assert handled == [b'{"n":1}']
    assert receive(verifier, MemoryStore(0), delivery.headers, b"{}", handle) == (401, "SIGNATURE_MISMATCH")
    assert receive(verifier, MemoryStore(0), delivery.headers, delivery.body, handle) == (
        503,
        "REPLAY_STORE_UNAVAILABLE",
    )
