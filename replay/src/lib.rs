//! Replay protection for [`hooksig`]: process each signed delivery once.
//!
//! A valid signature says who made a delivery, not that it is the first time
//! you see it. [`verify_once`] verifies a delivery and then *claims* its
//! [`ReplayKey`] (derived from the MACed bytes only, so every re-spelling of
//! one signed delivery has the same key) in a [`ClaimStore`]:
//!
//! - the first claim wins and gets a [`Claim`];
//! - every later one, in this process or any other sharing the store, gets
//!   [`Error::DuplicateDelivery`] (answer `200`, do not run the handler);
//! - a store that cannot answer gives [`Error::ReplayStoreUnavailable`]
//!   (answer `503`): fail closed, never accept unchecked.
//!
//! If the handler fails, [`ClaimStore::release`] the claim so that the
//! sender's retry is processed. A claim lasts [`Verifier::replay_ttl`]
//! seconds: the window (`past + future`) for timestamped profiles, else the
//! retention (default [`hooksig::DEFAULT_RETENTION`], 7 days).
//!
//! Two stores: [`MemoryStore`] (one process, bounded, no server) and
//! [`RedisStore`] (any number of processes sharing one Redis).
//!
//! ```
//! use hooksig::{Error, Profile, SignOptions, Verifier, sign};
//! use hooksig_replay::{ClaimStore, MemoryStore, verify_once};
//!
//! let verifier = Verifier::new(Profile::Stripe, &["whsec_test"])?;
//! let store = MemoryStore::new();
//! let now = 1_700_000_000;
//! let signed = sign(verifier.profile(), b"whsec_test", b"{}", SignOptions { timestamp: Some(now), ..Default::default() })?;
//! let headers: Vec<(&str, &str)> = signed.iter().map(|h| (h.name(), h.value())).collect();
//!
//! let (verified, claim) = verify_once(&verifier, &store, &headers, b"{}", None, now, None)?;
//! assert_eq!(verified.scheme, "stripe");
//! // The same delivery again: a duplicate.
//! assert_eq!(verify_once(&verifier, &store, &headers, b"{}", None, now, None).unwrap_err(), Error::DuplicateDelivery);
//! // The handler failed: release, and the retry is processed.
//! store.release(&claim)?;
//! assert!(verify_once(&verifier, &store, &headers, b"{}", None, now, None).is_ok());
//! # Ok::<(), Error>(())
//! ```

#![forbid(unsafe_code)]

use core::fmt;
use std::sync::Arc;

pub use hooksig::{Error, ReplayKey};
use hooksig::{RequestLine, Verified, Verifier};

mod memory;
mod redis_store;

pub use memory::{Clock, DEFAULT_CAPACITY, ManualClock, MemoryStore, MonotonicClock};
pub use redis_store::{DEFAULT_PREFIX, DEFAULT_TIMEOUT, RedisStore};

/// The longest claim a store keeps, in seconds (100 years): a longer TTL is
/// shortened to this, so that no store's clock arithmetic can overflow.
pub const MAX_TTL: u64 = hooksig::MAX_REPLAY_TTL;

/// Length of a claim's random token, in bytes.
pub const TOKEN_LEN: usize = 16;

/// A successful claim: the key and a token that only this claim holds, so
/// that [`ClaimStore::release`] deletes this claim and never one made later
/// by someone else for the same key. [`RedisStore`] draws the token from the
/// OS per claim (shared by processes); [`MemoryStore`] numbers its claims
/// (unique in the store, and cheaper than a system call).
#[derive(Clone, PartialEq, Eq)]
pub struct Claim {
    key: ReplayKey,
    token: [u8; TOKEN_LEN],
}

impl Claim {
    /// A new claim on `key` with a fresh random token (16 bytes from the OS).
    ///
    /// # Errors
    /// [`Error::ReplayStoreUnavailable`] if the OS has no randomness to give.
    pub fn new(key: ReplayKey) -> Result<Claim, Error> {
        let mut token = [0; TOKEN_LEN];
        getrandom::fill(&mut token).map_err(|_| Error::ReplayStoreUnavailable)?;
        Ok(Claim { key, token })
    }

    /// A claim on `key` with the token a store chose (unique among its claims).
    #[must_use]
    pub const fn with_token(key: ReplayKey, token: [u8; TOKEN_LEN]) -> Claim {
        Claim { key, token }
    }

    /// The claimed replay key.
    #[must_use]
    pub const fn key(&self) -> &ReplayKey {
        &self.key
    }

    /// The random token.
    #[must_use]
    pub const fn token(&self) -> &[u8; TOKEN_LEN] {
        &self.token
    }

    /// The token as 32 lowercase hex characters (what [`RedisStore`] stores).
    #[must_use]
    pub fn token_hex(&self) -> String {
        self.token.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claim").field("key", &self.key).finish_non_exhaustive()
    }
}

/// Where replay keys are claimed. Implementations must make `claim` atomic
/// (two concurrent claims of one key: exactly one wins) and fail closed.
pub trait ClaimStore {
    /// Claims `key` for `ttl_seconds` (1 to [`MAX_TTL`]; longer is shortened).
    ///
    /// # Errors
    /// [`Error::DuplicateDelivery`] if an unexpired claim on `key` exists;
    /// [`Error::ReplayStoreUnavailable`] if the store cannot answer (never
    /// an acceptance); [`Error::InvalidArgument`] for a TTL of 0.
    fn claim(&self, key: &ReplayKey, ttl_seconds: u64) -> Result<Claim, Error>;

    /// Undoes `claim` (the handler failed; the sender's retry must be
    /// processed). Deletes the key only while it still holds this claim's
    /// token: `Ok(false)` if the claim had expired or been replaced.
    ///
    /// # Errors
    /// [`Error::ReplayStoreUnavailable`] if the store cannot answer.
    fn release(&self, claim: &Claim) -> Result<bool, Error>;
}

impl<S: ClaimStore + ?Sized> ClaimStore for &S {
    fn claim(&self, key: &ReplayKey, ttl_seconds: u64) -> Result<Claim, Error> {
        (**self).claim(key, ttl_seconds)
    }
    fn release(&self, claim: &Claim) -> Result<bool, Error> {
        (**self).release(claim)
    }
}

impl<S: ClaimStore + ?Sized> ClaimStore for Arc<S> {
    fn claim(&self, key: &ReplayKey, ttl_seconds: u64) -> Result<Claim, Error> {
        (**self).claim(key, ttl_seconds)
    }
    fn release(&self, claim: &Claim) -> Result<bool, Error> {
        (**self).release(claim)
    }
}

impl<S: ClaimStore + ?Sized> ClaimStore for Box<S> {
    fn claim(&self, key: &ReplayKey, ttl_seconds: u64) -> Result<Claim, Error> {
        (**self).claim(key, ttl_seconds)
    }
    fn release(&self, claim: &Claim) -> Result<bool, Error> {
        (**self).release(claim)
    }
}

/// Checks a TTL and caps it at [`MAX_TTL`].
fn checked_ttl(ttl_seconds: u64) -> Result<u64, Error> {
    if ttl_seconds == 0 { Err(Error::InvalidArgument) } else { Ok(ttl_seconds.min(MAX_TTL)) }
}

/// Verifies a delivery ([`Verifier::verify_request`]), then claims its
/// replay key in `store` for [`Verifier::replay_ttl`]`(retention)` seconds.
///
/// A delivery that fails verification never reaches the store. On success,
/// run the handler; if it fails, [`ClaimStore::release`] the claim.
///
/// # Errors
/// Every error of [`Verifier::verify_request`]; then
/// [`Error::DuplicateDelivery`] (already claimed: answer 200 and skip the
/// handler) or [`Error::ReplayStoreUnavailable`] (answer 503).
pub fn verify_once<'h, N, V, S>(
    verifier: &Verifier,
    store: &S,
    headers: &'h [(N, V)],
    body: &[u8],
    request: Option<RequestLine<'_>>,
    now: u64,
    retention: Option<u64>,
) -> Result<(Verified<'h>, Claim), Error>
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
    S: ClaimStore + ?Sized,
{
    let verified = verifier.verify_request(headers, body, request, now)?;
    let claim = store.claim(&verified.replay_key, verifier.replay_ttl(retention))?;
    Ok((verified, claim))
}
