//! `hooksig_result`: the return value of every fallible function, with
//! static NUL-terminated code and message strings.

use core::ffi::c_char;

use hooksig::Error;

/// What a call did. `HOOKSIG_RESULT_OK` (0) is success; 1 to 14 are the
/// core's error codes in `Error::ALL` order; 100 and up are the C ABI's own.
/// Values are explicit and never reused: a retired value stays reserved.
/// (`repr(C)`: a plain C `enum`, which PHP's FFI parser also reads.)
#[repr(C)]
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum hooksig_result {
    /// Success.
    Ok = 0,
    /// A header the scheme needs is absent.
    MissingHeader = 1,
    /// A header is present but unparsable (syntax, conflicting duplicates, over a limit).
    MalformedHeader = 2,
    /// No well-formed signature of the scheme's version.
    NoSignature = 3,
    /// Well-formed signature(s); none matches any secret.
    SignatureMismatch = 4,
    /// The timestamp is older than the window allows.
    TimestampTooOld = 5,
    /// The timestamp is further in the future than the window allows.
    TimestampInFuture = 6,
    /// A secret is empty or undecodable.
    InvalidSecret = 7,
    /// The scheme must parse the body (AkashicPay) and cannot.
    MalformedBody = 8,
    /// Unknown profile, bad option, non-UTF-8 text, missing value.
    InvalidArgument = 9,
    /// An internal error: a panic caught at the boundary (a bug in hooksig;
    /// please report it). The core's `INTERNAL`, the same code in every language.
    Internal = 10,
    /// This signed delivery was already claimed in the replay store (answer 200, skip the handler).
    DuplicateDelivery = 11,
    /// The replay store cannot answer: the delivery was not accepted (answer 503).
    ReplayStoreUnavailable = 12,
    /// A framework adapter's body limit was passed: nothing was verified (answer 413).
    PayloadTooLarge = 13,
    /// A framework adapter found the body consumed with no raw copy (answer 500).
    RawBodyUnavailable = 14,
    // 15..=99: reserved for future core codes.
    /// A required pointer was NULL (or NULL with a non-zero length).
    NullArgument = 100,
    /// An output buffer is too small; the needed size was written.
    BufferTooSmall = 101,
    // 102: retired (was PANIC; a caught panic is now INTERNAL, as in every language).
}

impl From<Error> for hooksig_result {
    fn from(error: Error) -> Self {
        match error {
            Error::MissingHeader => hooksig_result::MissingHeader,
            Error::MalformedHeader => hooksig_result::MalformedHeader,
            Error::NoSignature => hooksig_result::NoSignature,
            Error::SignatureMismatch => hooksig_result::SignatureMismatch,
            Error::TimestampTooOld => hooksig_result::TimestampTooOld,
            Error::TimestampInFuture => hooksig_result::TimestampInFuture,
            Error::InvalidSecret => hooksig_result::InvalidSecret,
            Error::MalformedBody => hooksig_result::MalformedBody,
            Error::InvalidArgument => hooksig_result::InvalidArgument,
            Error::DuplicateDelivery => hooksig_result::DuplicateDelivery,
            Error::ReplayStoreUnavailable => hooksig_result::ReplayStoreUnavailable,
            Error::PayloadTooLarge => hooksig_result::PayloadTooLarge,
            Error::RawBodyUnavailable => hooksig_result::RawBodyUnavailable,
            _ => hooksig_result::Internal,
        }
    }
}

/// Longest code or message (with its NUL) in the table below; checked at compile time.
const TEXT_CAP: usize = 112;

/// One row: the numeric value, its code and its message, NUL-terminated.
struct Row {
    value: u32,
    code: [c_char; TEXT_CAP],
    message: [c_char; TEXT_CAP],
}

/// Copies `text` into a NUL-terminated array at compile time (an overlong
/// text is a build error, not a runtime panic).
#[allow(clippy::indexing_slicing, reason = "const-evaluated only: an out-of-bounds index fails the build")]
#[allow(clippy::cast_possible_wrap, reason = "a byte reinterpreted as C's char, as C does")]
pub(crate) const fn nul_terminated<const N: usize>(text: &str) -> [c_char; N] {
    let bytes = text.as_bytes();
    assert!(bytes.len() < N, "text too long");
    let mut out = [0; N];
    let mut i = 0;
    while i < bytes.len() {
        out[i] = bytes[i] as c_char;
        i += 1;
    }
    out
}

const fn row(value: hooksig_result, code: &str, message: &str) -> Row {
    Row { value: value as u32, code: nul_terminated(code), message: nul_terminated(message) }
}

const fn core_row(value: hooksig_result, error: Error) -> Row {
    row(value, error.code(), error.message())
}

static ROWS: [Row; 17] = [
    row(hooksig_result::Ok, "OK", "success"),
    core_row(hooksig_result::MissingHeader, Error::MissingHeader),
    core_row(hooksig_result::MalformedHeader, Error::MalformedHeader),
    core_row(hooksig_result::NoSignature, Error::NoSignature),
    core_row(hooksig_result::SignatureMismatch, Error::SignatureMismatch),
    core_row(hooksig_result::TimestampTooOld, Error::TimestampTooOld),
    core_row(hooksig_result::TimestampInFuture, Error::TimestampInFuture),
    core_row(hooksig_result::InvalidSecret, Error::InvalidSecret),
    core_row(hooksig_result::MalformedBody, Error::MalformedBody),
    core_row(hooksig_result::InvalidArgument, Error::InvalidArgument),
    core_row(hooksig_result::Internal, Error::Internal),
    core_row(hooksig_result::DuplicateDelivery, Error::DuplicateDelivery),
    core_row(hooksig_result::ReplayStoreUnavailable, Error::ReplayStoreUnavailable),
    core_row(hooksig_result::PayloadTooLarge, Error::PayloadTooLarge),
    core_row(hooksig_result::RawBodyUnavailable, Error::RawBodyUnavailable),
    row(hooksig_result::NullArgument, "NULL_ARGUMENT", "a required pointer argument is NULL"),
    row(hooksig_result::BufferTooSmall, "BUFFER_TOO_SMALL", "the output buffer is too small; see the needed size"),
];

static UNKNOWN: Row = row(hooksig_result::Ok, "UNKNOWN", "not a hooksig_result value");

fn lookup(value: u32) -> &'static Row {
    ROWS.iter().find(|row| row.value == value).unwrap_or(&UNKNOWN)
}

/// The code string of a result value (`"OK"`, `"SIGNATURE_MISMATCH"`…), `"UNKNOWN"` for any other number.
pub(crate) fn code(value: u32) -> *const c_char {
    lookup(value).code.as_ptr()
}

/// The one-line message of a result value.
pub(crate) fn message(value: u32) -> *const c_char {
    lookup(value).message.as_ptr()
}

/// The HTTP status a webhook endpoint should answer with: 200 for OK,
/// the core's suggestion for its codes, 500 for everything else.
pub(crate) fn http_status(value: u32) -> u16 {
    Error::ALL
        .iter()
        .find(|error| hooksig_result::from(**error) as u32 == value)
        .map_or(if value == 0 { 200 } else { 500 }, |error| error.http_status())
}
