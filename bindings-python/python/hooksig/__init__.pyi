"""Types of the hooksig package (checked by `mypy --strict` and `stubtest`)."""

from collections.abc import Iterable, Sequence
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
    "sign_request",
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

@final
class Verifier:
    """A profile with its secrets keyed once; thread-safe, reuse it."""

    def __new__(
        cls,
        profile: str,
        secrets: Secrets,
        *,
        tolerance: int | None = 300,
        past: int | None = None,
        future: int | None = None,
    ) -> Verifier: ...
    def verify(self, headers: Headers, body: Body, *, now: int | None = None) -> Verified: ...
    def verify_request(
        self,
        headers: Headers,
        body: Body,
        *,
        method: str,
        path_and_query: str,
        now: int | None = None,
    ) -> Verified: ...

def verify(
    profile: str,
    secrets: Secrets,
    headers: Headers,
    body: Body,
    *,
    now: int | None = None,
    tolerance: int | None = 300,
    past: int | None = None,
    future: int | None = None,
) -> Verified: ...
def sign(
    profile: str,
    secret: str | bytes,
    body: Body,
    *,
    timestamp: int | None = None,
    id: str | None = None,
) -> dict[str, str]: ...
def sign_request(
    secret: str | bytes,
    method: str,
    path_and_query: str,
    body: Body,
    *,
    timestamp: int | None = None,
    key_id: str | None = None,
) -> dict[str, str]: ...

@final
class Finding:
    """One cause `explain` found; `fields` is a new dict on each access."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def fields(self) -> dict[str, str | int]: ...

@final
class Explanation:
    """What `explain` found: `verdict` is "OK" or the code `verify` gives."""

    @property
    def verdict(self) -> str: ...
    @property
    def secret_index(self) -> int | None: ...
    @property
    def findings(self) -> list[Finding]: ...

def explain(
    profile: str,
    secrets: Secrets,
    headers: Headers,
    body: Body,
    *,
    now: int | None = None,
    tolerance: int | None = 300,
    past: int | None = None,
    future: int | None = None,
    method: str | None = None,
    path_and_query: str | None = None,
) -> Explanation: ...
