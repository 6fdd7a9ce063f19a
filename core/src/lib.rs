//! hooksig: constant-time HMAC-SHA256 webhook signature verification and
//! signing for every common provider, in one `no_std` core.
//!
//! ```
//! use hooksig::{Profile, Verifier};
//!
//! let verifier = Verifier::new(Profile::GitHub, &["It's a Secret to Everybody"])?;
//! let headers = [(
//!     "X-Hub-Signature-256",
//!     "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
//! )];
//! let verified = verifier.verify(&headers, b"Hello, World!", 1_700_000_000)?;
//! assert_eq!(verified.scheme, "github");
//! assert_eq!(verified.secret_index, 0);
//! # Ok::<(), hooksig::Error>(())
//! ```
//!
//! The pieces, by file:
//! - [`Profile`] (`profile.rs`): the provider names and custom profiles;
//!   `scheme.rs`: what each profile reads, MACs and sends;
//! - `headers.rs`: case-insensitive header lookup;
//! - `parse.rs`: the signature-header parsers;
//! - [`MacKey`] (`mac.rs`): HMAC-SHA256 with precomputed keys and
//!   constant-time comparison (`subtle`);
//! - [`RequestLine`] (`request.rs`): the method and path UnknownPay S2S signs;
//! - [`Verifier`] and the window options (`verifier.rs`), [`sign`] (`sign.rs`);
//! - [`ReplayKey`] (`replay.rs`): what to de-duplicate a delivery on;
//! - [`compact`] (`compact.rs`): a result as one integer, for PHP and Node;
//! - [`canonical_json`] (`canonical_json.rs`, feature `alloc`): AkashicPay's
//!   canonical JSON;
//! - [`explain`] (`explain/`, feature `alloc`): why a delivery failed, as
//!   [`Finding`] codes, in a search bounded in attempts and bytes hashed;
//! - [`Error`] (`error.rs`): the stable error codes.
//!
//! The core never reads a clock (`now` is an argument), never allocates
//! except for AkashicPay's canonical JSON (feature `alloc`, on by default),
//! and never panics: `unsafe`, `unwrap`, `expect`, `panic!` and slice
//! indexing are denied by lint.

#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(test)]
extern crate std;

#[doc(hidden)]
pub mod __fuzz;
#[cfg(feature = "alloc")]
mod canonical_json;
pub mod compact;
mod encoding;
mod error;
#[cfg(feature = "alloc")]
mod explain;
mod headers;
mod mac;
mod parse;
mod profile;
mod replay;
mod request;
mod scheme;
mod sign;
mod verifier;

#[cfg(feature = "alloc")]
pub use canonical_json::{MAX_DEPTH, canonical_json};
pub use encoding::Encoding;
pub use error::Error;
#[cfg(feature = "alloc")]
pub use explain::{
    BodyForm, EXPLAIN_HASH_ALLOWANCE, EXPLAIN_HASH_FACTOR, Explanation, FieldValue, Finding, KeyForm, LineEnding,
    MAX_ATTEMPTS, MAX_EXPLAIN_BODY, explain,
};
pub use headers::{MAX_HEADER_LEN, header_name_matches};
pub use mac::{MacKey, TAG_LEN, Tag};
pub use parse::{MAX_ENTRIES, MAX_TIMESTAMP_DIGITS};
pub use profile::{CustomProfile, Format, KeyEncoding, Profile};
pub use replay::{DEFAULT_STORE_CAPACITY, MAX_REPLAY_TTL, REPLAY_STORE_PREFIX, ReplayKey};
pub use request::{DEFAULT_BODY_LIMIT, RequestLine};
pub use scheme::MAX_DECODED_SECRET_LEN;
pub use sign::{Header, SignOptions, SignedHeaders, sign};
pub use verifier::{
    DEFAULT_RETENTION, DEFAULT_WINDOW, MAX_SECRETS, MAX_WINDOW, Tolerance, Verified, Verifier, WantedHeaders, WindowArg,
};

/// The crate version, for bindings' `version()` functions.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One-shot verification: builds a [`Verifier`] with the default window
/// and verifies one delivery. Prefer a long-lived [`Verifier`] in a server:
/// it keys the secrets once.
///
/// # Errors
/// As [`Verifier::new`] and [`Verifier::verify`].
pub fn verify<'h, S, N, V>(
    profile: Profile,
    secrets: &[S],
    headers: &'h [(N, V)],
    body: &[u8],
    now: u64,
) -> Result<Verified<'h>, Error>
where
    S: AsRef<[u8]>,
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    Verifier::new(profile, secrets)?.verify(headers, body, now)
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
