"""Types of the hooksig package (checked by `mypy --strict` and `stubtest`)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol, final

__all__ = [
    "Body",
    "Explanation",
    "Finding",
    "HeaderItems",
    "Headers",
    "Secrets",
    "VerificationError",
    "Verified",
    "Verifier",
    "__version__",
    "explain",
    "sign",
    "verify",
]

__version__: Final[str]

class HeaderItems(Protocol):
    """Anything with `.items()`: dict, any Mapping, Django/Starlette/Werkzeug headers."""

    def items(self) -> Iterable[tuple[str | bytes, object]]: ...

Body = bytes | bytearray | memoryview | str
"""The raw request body; `str` is taken as its UTF-8 bytes."""

Headers = HeaderItems | Iterable[tuple[str | bytes, str | bytes]] | Iterable[Sequence[str | bytes]]
"""A mapping (only the names the profile reads are looked at) or (name, value) pairs."""

Secrets = str | bytes | Iterable[str | bytes]
"""One secret, or 1 to 8 tried in order (rotation)."""

class VerificationError(ValueError):
    """Any failure: `.code` is the stable code, `.http_status` the suggested answer."""

    code: str
    http_status: int

@final
class Verified:
    """A successful verification."""

    @property
    def scheme(self) -> str: ...
    @property
    def secret_index(self) -> int: ...
    @property
    def timestamp(self) -> int | None: ...
    @property
    def id(self) -> str | None: ...
    @property
    def replay_key(self) -> str:
        """The core's replay key, 64 lowercase hex: the same for every spelling of one signed delivery."""
    @property
    def id_signed(self) -> bool:
        """Whether the MAC covers `id` (Standard Webhooks / Svix only)."""

@final
class Verifier:
    """A profile with its secrets keyed once; thread-safe, reuse it.

    `tolerance` not given is the default window; `None` disables it; `past`/`future` override one side.
    """

    def __new__(
        cls,
        profile: str,
        secrets: Secrets,
        *,
        tolerance: int | None = ...,
        past: int | None = None,
        future: int | None = None,
    ) -> Verifier: ...
    def verify(
        self,
        headers: Headers,
        body: Body,
        *,
        method: str | None = None,
        path_and_query: str | None = None,
        now: int | None = None,
    ) -> Verified: ...
    def replay_ttl(self, retention: int | None = None) -> int:
        """Seconds a replay claim must last: `past + future` for timestamped profiles, else
        `retention` (`None`: 7 days)."""

def verify(
    profile: str,
    secrets: Secrets,
    headers: Headers,
    body: Body,
    *,
    now: int | None = None,
    tolerance: int | None = ...,
    past: int | None = None,
    future: int | None = None,
    method: str | None = None,
    path_and_query: str | None = None,
) -> Verified: ...
def sign(
    profile: str,
    secret: str | bytes,
    body: Body,
    *,
    timestamp: int | None = None,
    id: str | None = None,
    method: str | None = None,
    path_and_query: str | None = None,
    key_id: str | None = None,
) -> dict[str, str]: ...

@final
@dataclass(frozen=True, repr=False)
class Finding:
    """One cause `explain` found; `fields` is a new dict on each access."""

    code: str
    message: str
    _fields: tuple[tuple[str, str | int], ...]
    @property
    def fields(self) -> dict[str, str | int]: ...

@final
@dataclass(frozen=True, repr=False)
class Explanation:
    """What `explain` found: `verdict` is "OK" or the code `verify` gives; `findings` is a new list on each access."""

    verdict: str
    secret_index: int | None
    _findings: tuple[Finding, ...]
    @property
    def findings(self) -> list[Finding]: ...

def explain(
    profile: str,
    secrets: Secrets,
    headers: Headers,
    body: Body,
    *,
    now: int | None = None,
    tolerance: int | None = ...,
    past: int | None = None,
    future: int | None = None,
    method: str | None = None,
    path_and_query: str | None = None,
) -> Explanation: ...
