"""The compiled half of `hooksig` (private): `hooksig` and `hooksig.replay` re-export it."""

from typing import Final

from hooksig import VerificationError as VerificationError
from hooksig import Verified as Verified
from hooksig import Verifier as Verifier
from hooksig import __version__ as __version__
from hooksig import sign as sign
from hooksig import verify as verify

__all__ = [
    "__version__",
    "REPLAY_STORE_PREFIX",
    "DEFAULT_STORE_CAPACITY",
    "DEFAULT_RETENTION",
    "MAX_REPLAY_TTL",
    "DEFAULT_BODY_LIMIT",
    "VerificationError",
    "Verifier",
    "Verified",
    "verify",
    "sign",
    "explain_json",
    "error",
]

REPLAY_STORE_PREFIX: Final[str]
DEFAULT_STORE_CAPACITY: Final[int]
DEFAULT_RETENTION: Final[int]
MAX_REPLAY_TTL: Final[int]
DEFAULT_BODY_LIMIT: Final[int]

def explain_json(profile: object, secrets: object, headers: object, body: object, **options: object) -> str: ...
def error(code: str) -> VerificationError: ...
