"""Signed deliveries and a real redis-server for the replay tests and their worker process.

Every delivery is made with ``hooksig.sign`` at a fixed time, so the test and the
worker processes build the same ones (the same replay keys).
"""

import os
import socket
import subprocess
import time
from dataclasses import dataclass, replace

import hooksig

SECRET = "whsec_replay_test_secret"
NOW = 1_700_000_000


@dataclass(frozen=True)
class Delivery:
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def with_header(self, name: str, value: str) -> "Delivery":
        """The same delivery with the value of header ``name`` (any case) replaced."""
        assert any(n.lower() == name.lower() for n, _ in self.headers), name
        headers = tuple((n, value if n.lower() == name.lower() else v) for n, v in self.headers)
        return replace(self, headers=headers)

    def header(self, name: str) -> str:
        return next(v for n, v in self.headers if n.lower() == name.lower())


def verifier() -> hooksig.Verifier:
    """The Stripe verifier of ``stripe`` deliveries."""
    return hooksig.Verifier("stripe", SECRET)


def body(salt: str, n: int) -> bytes:
    return f'{{"salt":"{salt}","n":{n}}}'.encode()


def signed(profile: str, secret: str, body: bytes, timestamp: int | None = None, id: str | None = None) -> Delivery:
    headers = hooksig.sign(profile, secret, body, timestamp=timestamp, id=id)
    return Delivery(tuple(headers.items()), body)


def stripe(salt: str, n: int) -> Delivery:
    """Stripe delivery number ``n`` of a run named ``salt``."""
    return signed("stripe", SECRET, body(salt, n), timestamp=NOW)


class RedisServer:
    """``redis-server`` on a free loopback port (``REDIS_SERVER`` or the one on PATH); ``stop()``
    it, also when the test fails (the fixture does)."""

    def __init__(self) -> None:
        program = os.environ.get("REDIS_SERVER", "redis-server")
        for _ in range(5):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                self.port: int = probe.getsockname()[1]
            args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [program, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            if self._ready():
                return
            self.stop()  # the port was taken between the probe and its bind: try another
        raise RuntimeError("redis-server did not start (make test-python installs it)")

    def _ready(self) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16) == b"+PONG\r\n":
                        return True
            except OSError:
                pass
            time.sleep(0.01)
        return False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
