"""Replay protection: process each signed delivery once.

A valid signature says who made a delivery, not that it is the first time you
see it. ``verify_once`` verifies a delivery (a failed one never reaches the
store), then *claims* its ``Verified.replay_key`` (the core's, derived from the
MACed bytes only: every re-spelling of one signed delivery has the same key)
for ``verifier.replay_ttl(retention)`` seconds in a store:

- the first claim wins and gets a ``Claim``;
- every later one, in this process or any other sharing the store, raises
  ``VerificationError`` ``DUPLICATE_DELIVERY`` (HTTP 200: skip the handler);
- a store that cannot answer raises ``REPLAY_STORE_UNAVAILABLE`` (HTTP 503):
  fail closed, never accept unchecked.

If the handler fails, ``store.release(claim)`` so that the sender's retry is
processed. Two stores: ``MemoryStore`` (one process) and ``RedisStore`` (any
number of processes sharing one Redis, through redis-py, imported only when a
``RedisStore`` is made from a URL). Keys, defaults and errors come from the core.
"""

import heapq
import itertools
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, final

from hooksig import Body, Headers, VerificationError, Verified, Verifier
from hooksig._hooksig import DEFAULT_RETENTION, DEFAULT_STORE_CAPACITY, MAX_REPLAY_TTL, REPLAY_STORE_PREFIX, error

if TYPE_CHECKING:
    import redis

__all__ = [
    "DEFAULT_RETENTION",
    "DEFAULT_STORE_CAPACITY",
    "MAX_TTL",
    "REPLAY_STORE_PREFIX",
    "Claim",
    "ClaimStore",
    "MemoryStore",
    "RedisStore",
    "verify_once",
]

MAX_TTL = MAX_REPLAY_TTL
"""The longest claim, in seconds (the core's ``MAX_REPLAY_TTL``): a longer TTL is shortened to it."""

RELEASE = "if redis.call('get',KEYS[1])==ARGV[1] then return redis.call('del',KEYS[1]) else return 0 end"
"""Compare-and-delete: a release deletes the key only while it holds the claim's token."""

_HEX = frozenset("0123456789abcdef")


def _invalid() -> VerificationError:
    return error("INVALID_ARGUMENT")


def _checked(key: object, ttl_seconds: object) -> tuple[str, int]:
    """The replay key (64 lowercase hex) and the TTL (1 s or more, capped at MAX_TTL)."""
    if not (isinstance(key, str) and len(key) == 64 and _HEX.issuperset(key)):
        raise _invalid()
    if type(ttl_seconds) is not int or ttl_seconds < 1:
        raise _invalid()
    return key, min(ttl_seconds, MAX_TTL)


@final
@dataclass(frozen=True)
class Claim:
    """A successful claim: the replay key and a token only this claim holds."""

    key: str
    token: str = field(repr=False)


class ClaimStore(Protocol):
    """Where replay keys are claimed: ``claim`` is atomic and fails closed."""

    def claim(self, key: str, ttl_seconds: int) -> Claim:
        """Claims ``key`` (a replay key) for ``ttl_seconds``; raises DUPLICATE_DELIVERY or
        REPLAY_STORE_UNAVAILABLE."""
        ...

    def release(self, claim: Claim) -> bool:
        """Undoes ``claim`` if it still holds the key: True if deleted, False if it had
        expired or been replaced; raises REPLAY_STORE_UNAVAILABLE."""
        ...


@final
class MemoryStore:
    """An in-process store: thread-safe (one lock), no server.

    Bounded: at most ``capacity`` unexpired claims (default ``DEFAULT_STORE_CAPACITY``).
    Expired claims are dropped first; when it is still full of unexpired claims, a new
    claim raises REPLAY_STORE_UNAVAILABLE rather than forget one (which would let that
    delivery's replay through). Claims expire by ``clock`` (seconds, default
    ``time.monotonic``), not by the ``now`` given to verify. A restart forgets them.
    """

    def __init__(
        self, capacity: int = DEFAULT_STORE_CAPACITY, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if type(capacity) is not int or capacity < 0 or not callable(clock):
            raise _invalid()
        self._capacity = capacity
        self._clock = clock
        self._lock = threading.Lock()
        self._claims: dict[str, tuple[float, str]] = {}  # key -> (expires, token)
        self._expiry: list[tuple[float, str, str]] = []  # heap of (expires, token, key)
        self._tokens = itertools.count()

    @property
    def capacity(self) -> int:
        return self._capacity

    def __len__(self) -> int:
        """How many unexpired claims it holds."""
        now = self._clock()
        with self._lock:
            self._drop_expired(now)
            return len(self._claims)

    def __repr__(self) -> str:
        return f"MemoryStore(capacity={self._capacity})"

    def _drop_expired(self, now: float) -> None:
        while self._expiry and self._expiry[0][0] <= now:
            _, token, key = heapq.heappop(self._expiry)
            entry = self._claims.get(key)
            if entry is not None and entry[1] == token:
                del self._claims[key]

    def claim(self, key: str, ttl_seconds: int) -> Claim:
        key, ttl = _checked(key, ttl_seconds)
        now = self._clock()
        with self._lock:
            self._drop_expired(now)
            if key in self._claims:
                raise error("DUPLICATE_DELIVERY")
            if len(self._claims) >= self._capacity:
                raise error("REPLAY_STORE_UNAVAILABLE")
            token = str(next(self._tokens))
            self._claims[key] = (now + ttl, token)
            heapq.heappush(self._expiry, (now + ttl, token, key))
        return Claim(key, token)

    def release(self, claim: Claim) -> bool:
        if not isinstance(claim, Claim):
            raise _invalid()
        with self._lock:
            entry = self._claims.get(claim.key)
            if entry is None or entry[1] != claim.token:
                return False
            del self._claims[claim.key]
            # The released claim's heap entry stays until it expires: rebuild the
            # heap when such entries outnumber the live ones, so it stays bounded.
            if len(self._expiry) > 2 * len(self._claims) + 64:
                self._expiry = [(expires, token, key) for key, (expires, token) in self._claims.items()]
                heapq.heapify(self._expiry)
            return True


@final
class RedisStore:
    """A store in Redis, shared by every process using the same server, prefix and secrets.

    claim is ``SET <prefix><replay key> <random token> NX PX <ttl ms>``; release is a Lua
    compare-and-delete on the token. Every failure of the client (connection refused,
    timeout, error reply) is REPLAY_STORE_UNAVAILABLE. From a URL, the client gets
    ``timeout`` seconds to connect and per command, and no retries (a retried ``SET NX``
    whose first reply was lost would call the first delivery a duplicate); a client you
    pass is used as configured, so give it timeouts and ``retry=Retry(NoBackoff(), 0)``.
    """

    def __init__(
        self, client_or_url: "str | redis.Redis", *, prefix: str = REPLAY_STORE_PREFIX, timeout: float = 1.0
    ) -> None:
        timeout_ok = type(timeout) in (int, float) and math.isfinite(timeout) and timeout > 0
        if not isinstance(prefix, str) or not timeout_ok:
            raise _invalid()
        self._prefix = prefix
        if not isinstance(client_or_url, str):
            self._client = client_or_url
            return
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        try:
            self._client = redis.Redis.from_url(
                client_or_url,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                retry=Retry(NoBackoff(), 0),
            )
        except ValueError as cause:
            raise _invalid() from cause

    @property
    def client(self) -> "redis.Redis":
        return self._client

    @property
    def prefix(self) -> str:
        return self._prefix

    def __repr__(self) -> str:
        # Not the URL: it may carry a password.
        return f"RedisStore(prefix={self._prefix!r})"

    def redis_key(self, key: str) -> str:
        """The Redis key of a replay key."""
        return self._prefix + key

    def claim(self, key: str, ttl_seconds: int) -> Claim:
        key, ttl = _checked(key, ttl_seconds)
        token = secrets.token_hex(16)
        try:
            answer = self._client.set(self._prefix + key, token, nx=True, px=ttl * 1000)
        except Exception as cause:
            raise error("REPLAY_STORE_UNAVAILABLE") from cause
        if answer is None:
            raise error("DUPLICATE_DELIVERY")
        if answer is not True:
            raise error("REPLAY_STORE_UNAVAILABLE")
        return Claim(key, token)

    def release(self, claim: Claim) -> bool:
        if not isinstance(claim, Claim):
            raise _invalid()
        try:
            deleted: object = self._client.eval(RELEASE, 1, self._prefix + claim.key, claim.token)
        except Exception as cause:
            raise error("REPLAY_STORE_UNAVAILABLE") from cause
        return deleted == 1

    def close(self) -> None:
        """Closes the client's connections."""
        self._client.close()


def verify_once(
    verifier: Verifier,
    store: ClaimStore,
    headers: Headers,
    body: Body,
    *,
    method: str | None = None,
    path_and_query: str | None = None,
    now: int | None = None,
    retention: int | None = None,
) -> tuple[Verified, Claim]:
    """Verifies a delivery (``verifier.verify``), then claims its replay key in ``store`` for
    ``verifier.replay_ttl(retention)`` seconds. Raises every error of verify (the store is
    not touched then), then DUPLICATE_DELIVERY or REPLAY_STORE_UNAVAILABLE."""
    ttl = verifier.replay_ttl(retention)
    verified = verifier.verify(headers, body, method=method, path_and_query=path_and_query, now=now)
    return verified, store.claim(verified.replay_key, ttl)
