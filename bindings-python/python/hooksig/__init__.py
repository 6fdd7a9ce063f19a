"""hooksig: constant-time webhook signature verification and signing.

The engine is the Rust core (crate ``hooksig``) compiled into the private
module ``hooksig._hooksig``; this package is its public surface, plus the
type aliases for annotating code that calls it. See ``__init__.pyi``.
"""

from collections.abc import Iterable, Sequence
from typing import Protocol

from hooksig._hooksig import (
    Explanation,
    Finding,
    VerificationError,
    Verified,
    Verifier,
    __version__,
    explain,
    sign,
    sign_request,
    verify,
)


class HeaderItems(Protocol):
    """Anything with ``.items()``: dict, any Mapping, Django/Starlette/Werkzeug headers."""

    def items(self) -> Iterable[tuple[str | bytes, object]]: ...


Body = bytes | bytearray | memoryview | str
"""The raw request body; ``str`` is taken as its UTF-8 bytes."""

Headers = HeaderItems | Iterable[tuple[str | bytes, str | bytes]] | Iterable[Sequence[str | bytes]]
"""A mapping (only the names the profile reads are looked at) or (name, value) pairs."""

Secrets = str | bytes | Iterable[str | bytes]
"""One secret, or 1 to 8 tried in order (rotation)."""

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
