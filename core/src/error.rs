//! The one error type, with the stable code strings every binding exposes.

use core::fmt;

/// Why a verification (or a sign, or building a verifier) failed.
///
/// The [`code`](Error::code) strings are the contract: the same in Rust, C
/// (`HOOKSIG_RESULT_<CODE>`), Python (`VerificationError.code`), Node
/// (`HooksigError.code`) and PHP (`Hooksig\Exception::getErrorCode()`).
/// When several things are wrong, the first in this order is reported:
/// `MISSING_HEADER`, `MALFORMED_HEADER`, `TIMESTAMP_TOO_OLD`/`TIMESTAMP_IN_FUTURE`,
/// `MALFORMED_BODY`, `NO_SIGNATURE`, `SIGNATURE_MISMATCH`.
///
/// A mismatch never says which byte or which candidate differed.
#[non_exhaustive]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// A header the scheme needs is absent.
    MissingHeader,
    /// A header is present but unparsable: no `t`, bad digits, conflicting
    /// duplicates, non-UTF-8 id, over a limit (8 KiB, 32 entries).
    MalformedHeader,
    /// The signature header parsed, but holds no well-formed signature of the
    /// scheme's version (wrong length, wrong encoding, missing prefix, only `v0`…).
    NoSignature,
    /// Well-formed signature(s); none matches any configured secret.
    SignatureMismatch,
    /// The timestamp is further in the past than the window allows.
    TimestampTooOld,
    /// The timestamp is further in the future than the window allows.
    TimestampInFuture,
    /// A configured secret is unusable: empty, or undecodable where the scheme
    /// decodes it (Standard Webhooks' base64 `whsec_…`).
    InvalidSecret,
    /// The scheme must parse the body (AkashicPay's canonical JSON) and cannot.
    MalformedBody,
    /// A programmer error: unknown profile name, bad custom profile, 0 or more
    /// than 8 secrets, a missing timestamp for signing, a bad request line…
    InvalidArgument,
    /// A caught panic in a binding. The core never produces it; it exists so
    /// that every language has the same closed set of codes.
    Internal,
    /// The delivery verified, but its replay key was already claimed: it was
    /// (or is being) processed. Answer 200 so the sender stops retrying, and
    /// do not run the handler again.
    DuplicateDelivery,
    /// The replay store could not answer (Redis down, the local store full of
    /// unexpired claims). Fail closed: never accept; answer 503 so the sender
    /// retries later.
    ReplayStoreUnavailable,
    /// A framework adapter read more body than its limit
    /// ([`DEFAULT_BODY_LIMIT`](crate::DEFAULT_BODY_LIMIT) unless set): nothing
    /// was verified. Answer 413.
    PayloadTooLarge,
    /// A framework adapter found the request body already consumed (a body
    /// parser in front of it) with no copy of the bytes as received; it never
    /// verifies re-serialised data. Answer 500: the endpoint's setup is wrong.
    RawBodyUnavailable,
}

impl Error {
    /// Every error, in code order; handy for bindings and documentation.
    pub const ALL: [Error; 14] = [
        Error::MissingHeader,
        Error::MalformedHeader,
        Error::NoSignature,
        Error::SignatureMismatch,
        Error::TimestampTooOld,
        Error::TimestampInFuture,
        Error::InvalidSecret,
        Error::MalformedBody,
        Error::InvalidArgument,
        Error::Internal,
        Error::DuplicateDelivery,
        Error::ReplayStoreUnavailable,
        Error::PayloadTooLarge,
        Error::RawBodyUnavailable,
    ];

    /// The stable machine-readable code, e.g. `"SIGNATURE_MISMATCH"`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Error::MissingHeader => "MISSING_HEADER",
            Error::MalformedHeader => "MALFORMED_HEADER",
            Error::NoSignature => "NO_SIGNATURE",
            Error::SignatureMismatch => "SIGNATURE_MISMATCH",
            Error::TimestampTooOld => "TIMESTAMP_TOO_OLD",
            Error::TimestampInFuture => "TIMESTAMP_IN_FUTURE",
            Error::InvalidSecret => "INVALID_SECRET",
            Error::MalformedBody => "MALFORMED_BODY",
            Error::InvalidArgument => "INVALID_ARGUMENT",
            Error::Internal => "INTERNAL",
            Error::DuplicateDelivery => "DUPLICATE_DELIVERY",
            Error::ReplayStoreUnavailable => "REPLAY_STORE_UNAVAILABLE",
            Error::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Error::RawBodyUnavailable => "RAW_BODY_UNAVAILABLE",
        }
    }

    /// Parses a code string back into the error (the inverse of [`code`](Error::code)).
    #[must_use]
    pub fn from_code(code: &str) -> Option<Error> {
        Error::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The HTTP status a webhook endpoint should answer with.
    ///
    /// 400 for requests that are broken, 401 for requests that are well-formed
    /// but not authentic (or stale), 500 for the endpoint's own configuration
    /// or programming errors (so that the sender retries once it is fixed).
    #[must_use]
    pub const fn http_status(self) -> u16 {
        match self {
            Error::MissingHeader | Error::MalformedHeader | Error::NoSignature | Error::MalformedBody => 400,
            Error::SignatureMismatch | Error::TimestampTooOld | Error::TimestampInFuture => 401,
            Error::InvalidSecret | Error::InvalidArgument | Error::Internal | Error::RawBodyUnavailable => 500,
            Error::DuplicateDelivery => 200,
            Error::ReplayStoreUnavailable => 503,
            Error::PayloadTooLarge => 413,
        }
    }

    /// A one-line human explanation (the `Display` text).
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Error::MissingHeader => "a header the signature scheme needs is missing",
            Error::MalformedHeader => {
                "a signature header is malformed (bad syntax, conflicting duplicates or over a limit)"
            }
            Error::NoSignature => "no well-formed signature of the expected scheme was found",
            Error::SignatureMismatch => "no signature matches the configured secret(s)",
            Error::TimestampTooOld => "the timestamp is older than the tolerance window",
            Error::TimestampInFuture => "the timestamp is further in the future than the tolerance window",
            Error::InvalidSecret => "a configured secret is empty or cannot be decoded",
            Error::MalformedBody => "the body cannot be parsed as the scheme requires",
            Error::InvalidArgument => "invalid argument (unknown profile, bad option or missing value)",
            Error::Internal => "internal error (a bug in hooksig; please report it)",
            Error::DuplicateDelivery => "duplicate delivery: this signed delivery was already claimed",
            Error::ReplayStoreUnavailable => "the replay store is unavailable: the delivery was not accepted",
            Error::PayloadTooLarge => "the body is larger than the endpoint's limit: it was not verified",
            Error::RawBodyUnavailable => {
                "the raw body was consumed before the webhook adapter (a body parser in front of it)"
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for Error {}
