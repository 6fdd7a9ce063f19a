"""hooksig: constant-time webhook signature verification and signing.

The engine is the Rust core (``hooksig``) compiled into ``hooksig._hooksig``;
this package is its public surface. See ``__init__.pyi`` for the types.
"""

from hooksig._hooksig import (
    VerificationError,
    Verified,
    Verifier,
    __version__,
    sign,
    sign_request,
    verify,
)

__all__ = [
    "VerificationError",
    "Verified",
    "Verifier",
    "__version__",
    "sign",
    "sign_request",
    "verify",
]
