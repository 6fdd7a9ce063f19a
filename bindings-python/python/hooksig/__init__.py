"""hooksig: constant-time webhook signature verification and signing.

The engine is the Rust core (crate ``hooksig``) compiled into the private
module ``hooksig._hooksig``; this package is its public surface, plus the
type aliases for annotating code that calls it. See ``__init__.pyi``.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, final

from hooksig import _hooksig
from hooksig._hooksig import VerificationError, Verified, Verifier, __version__, sign, verify


class HeaderItems(Protocol):
    """Anything with ``.items()``: dict, any Mapping, Django/Starlette/Werkzeug headers."""

    def items(self) -> Iterable[tuple[str | bytes, object]]: ...


Body = bytes | bytearray | memoryview | str
"""The raw request body; ``str`` is taken as its UTF-8 bytes."""

Headers = HeaderItems | Iterable[tuple[str | bytes, str | bytes]] | Iterable[Sequence[str | bytes]]
"""A mapping (only the names the profile reads are looked at) or (name, value) pairs."""

Secrets = str | bytes | Iterable[str | bytes]
"""One secret, or 1 to 8 tried in order (rotation)."""


@final
@dataclass(frozen=True, repr=False)
class Finding:
    """One cause ``explain`` found; ``fields`` is a new dict on each access."""

    code: str
    message: str
    _fields: tuple[tuple[str, str | int], ...]

    @property
    def fields(self) -> dict[str, str | int]:
        return dict(self._fields)

    def __repr__(self) -> str:
        return f"Finding(code={self.code!r}, message={self.message!r}, fields={self.fields!r})"


@final
@dataclass(frozen=True, repr=False)
class Explanation:
    """What ``explain`` found: ``verdict`` is "OK" or the code ``verify`` gives."""

    verdict: str
    secret_index: int | None
    _findings: tuple[Finding, ...]

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def __repr__(self) -> str:
        return f"Explanation(verdict={self.verdict!r}, secret_index={self.secret_index!r}, findings={self.findings!r})"


def explain(profile: str, secrets: Secrets, headers: Headers, body: Body, **options: Any) -> Explanation:
    """Why a delivery fails: the core's ``explain``, read from its one JSON form."""
    found = json.loads(_hooksig.explain_json(profile, secrets, headers, body, **options))
    findings = (Finding(f["code"], f["message"], tuple(f["fields"].items())) for f in found["findings"])
    return Explanation(found["verdict"], found["secret_index"], tuple(findings))


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
