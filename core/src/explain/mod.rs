//! `explain`: why a delivery failed, as findings a program can read.
//!
//! When [`Verifier::verify`](crate::Verifier::verify) says no, `explain`
//! re-runs the same core verification on a bounded set of altered inputs,
//! each one a known way webhook integrations go wrong (a secret with a
//! trailing newline, a body re-serialised by a JSON parser, a clock that is
//! off…). Every alteration that makes the signature match becomes a
//! [`Finding`] with a stable [`code`](Finding::code). Nothing here is on the
//! `verify` hot path: it runs only when asked and allocates.
//!
//! The work is bounded twice: at most [`MAX_ATTEMPTS`] verifications, and at
//! most [`EXPLAIN_HASH_FACTOR`] × (body + headers + request line) +
//! [`EXPLAIN_HASH_ALLOWANCE`] bytes hashed in all, the verdict's own
//! verification included. An alteration that would go over either bound is
//! not tried; the codes it could have found are listed in
//! [`Explanation::skipped`].
//!
//! Alterations are tried with the timestamp window disabled, so a finding
//! means "the MAC matches once this one thing is undone"; a delivery that is
//! only outside the window gets [`Finding::ClockSkew`] and nothing else.
//!
//! The files: `findings.rs` (what is reported, and the JSON), `search.rs`
//! (the bounded search), `rewrites.rs` (the altered inputs).

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Error;
use crate::profile::Profile;
use crate::request::RequestLine;
use crate::verifier::Tolerance;

mod findings;
mod rewrites;
mod search;

pub use findings::{BodyForm, FieldValue, Finding, KeyForm, LineEnding};

/// Most verifications one `explain` call runs (the verdict's own included).
pub const MAX_ATTEMPTS: usize = 64;

/// Largest body `explain` re-serialises or re-writes (256 KiB); a bigger
/// body gets no body findings (`BODY_RESERIALIZED` and `LINE_ENDINGS` are
/// then listed in [`Explanation::skipped`] when they could apply).
pub const MAX_EXPLAIN_BODY: usize = 256 * 1024;

/// `explain` hashes at most this many times the delivery's size in bytes
/// (body + every header name and value + the request line), plus
/// [`EXPLAIN_HASH_ALLOWANCE`]: the verdict's verification (up to one MAC per
/// secret) and every alteration tried, counted together.
pub const EXPLAIN_HASH_FACTOR: usize = 16;

/// Bytes `explain` may hash on top of [`EXPLAIN_HASH_FACTOR`] × the
/// delivery's size (64 KiB), so that a small delivery is always searched in
/// full, whatever the number of secrets.
pub const EXPLAIN_HASH_ALLOWANCE: usize = 64 * 1024;

/// What `explain` found: the verdict `verify` gives, and every cause found.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// `Ok(secret_index)` if the delivery verifies as given, else the error
    /// `verify` (or building the verifier) returns.
    pub verdict: Result<usize, Error>,
    /// The causes found, in a fixed order; empty when the delivery verifies
    /// or nothing known explains the failure (a wrong secret or a forgery).
    pub findings: Vec<Finding>,
    /// How many verifications were run (at most [`MAX_ATTEMPTS`]).
    pub attempts: usize,
    /// The finding codes whose search was cut short by a bound (attempts,
    /// bytes hashed, [`MAX_EXPLAIN_BODY`]): such a cause may be present but
    /// was not looked for in full. In search order, each code once; empty
    /// when everything that applies was tried.
    pub skipped: Vec<&'static str>,
}

impl Explanation {
    /// `"OK"` or the error code.
    #[must_use]
    pub fn verdict_code(&self) -> &'static str {
        self.verdict.map_or_else(Error::code, |_| "OK")
    }

    /// The explanation as one line of JSON: THE serialisation every binding
    /// returns (C, PHP, CLI `--json`) or parses (Python, Node).
    ///
    /// ```text
    /// {"verdict": "OK" | code, "secret_index": n | null,
    ///  "findings": [{"code": …, "message": …, "fields": {name: text | integer, …}}, …],
    ///  "attempts": n, "skipped": [code, …]}
    /// ```
    ///
    /// `message` is the finding's [`Display`](core::fmt::Display) line and
    /// `fields` its [`fields`](Finding::fields), in order; `attempts` and
    /// `skipped` are [`Explanation::attempts`] and [`Explanation::skipped`].
    /// Keys are written in this order, but readers should read them by name.
    /// Strings are escaped per RFC 8259 (every control character escaped).
    #[must_use]
    pub fn to_json(&self) -> String {
        findings::to_json(self)
    }
}

/// Explains a delivery: `verify` with these exact inputs (the request line
/// is used by `unknownpay-s2s` and ignored by other profiles), then, if it
/// fails, the known causes that make it pass.
///
/// Never panics and never fails: everything about the delivery and the
/// secrets, even no secrets at all, shows up in the verdict. (Bad arguments
/// — an unknown profile, bad window options, a bad request line — are
/// refused before this call, when the caller builds the [`Profile`],
/// [`Tolerance`] and [`RequestLine`].)
pub fn explain<S, N, V>(
    profile: &Profile,
    secrets: &[S],
    tolerance: Tolerance,
    headers: &[(N, V)],
    body: &[u8],
    request: Option<RequestLine<'_>>,
    now: u64,
) -> Explanation
where
    S: AsRef<[u8]>,
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    let secrets: Vec<&[u8]> = secrets.iter().map(AsRef::as_ref).collect();
    let headers: Vec<(&[u8], &[u8])> = headers.iter().map(|(n, v)| (n.as_ref(), v.as_ref())).collect();
    search::Search::new(profile, secrets, headers, body, request, now).run(tolerance)
}

/// The most bytes `explain` hashes for a delivery of this size (saturating).
pub(crate) fn hash_budget(header_bytes: usize, body_len: usize, request_len: usize) -> usize {
    EXPLAIN_HASH_FACTOR
        .saturating_mul(body_len.saturating_add(header_bytes).saturating_add(request_len))
        .saturating_add(EXPLAIN_HASH_ALLOWANCE)
}
