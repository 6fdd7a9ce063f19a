//! The replay key: what to de-duplicate a verified delivery on.
//!
//! `ReplayKey = SHA-256(P ‖ T0)`, where `P` is `"hooksig/replay-key/v2" 0x00
//! scheme 0x00` padded with zero bytes to a whole number of 64-byte blocks, and
//! `T0` is the HMAC of the signed message under the verifier's FIRST secret.
//! `verify` always computes `T0` (the first secret is always tried first), and
//! the verifier hashes `P` once when it is built, so a key costs one SHA-256
//! compression per verify, never a second pass over the body.
//!
//! It depends only on MACed bytes, so every spelling of one signed delivery
//! (hex case, base64 padding, entry order, extra entries, unsigned headers
//! changed, either `v1` of a rotation pair) gives the same key, and a
//! different signed message a different one. Two processes configured with
//! the same secrets (same first secret) compute the same key. The key is a
//! hash of a tag, not a tag: it is not a valid signature of anything, and
//! storing it (in Redis, in logs) reveals no MAC.

use core::fmt;

use sha2::Digest;

use crate::mac::TAG_LEN;

/// The domain-separation prefix (versioned: a change of derivation changes it).
const DOMAIN: &[u8] = b"hooksig/replay-key/v2\0";
/// SHA-256's block: the prefix is padded to a whole number of them.
const BLOCK: usize = 64;

/// The prefix of a claim's key in a shared store (Redis), the same in every
/// language so that services written in different languages share claims:
/// a claim is stored under `REPLAY_STORE_PREFIX` + the replay key's hex.
pub const REPLAY_STORE_PREFIX: &str = "hooksig:replay:";

/// How many unexpired claims an in-process store holds before it refuses new
/// ones with `REPLAY_STORE_UNAVAILABLE` (it never forgets a live claim).
pub const DEFAULT_STORE_CAPACITY: usize = 100_000;

/// The longest claim a store keeps, in seconds (100 years): a longer TTL is
/// shortened to it (Redis's `PX` and clocks stay far from overflow).
pub const MAX_REPLAY_TTL: u64 = 100 * 366 * 24 * 3600;

/// 32 bytes derived from the signed message; see the module documentation.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub struct ReplayKey([u8; TAG_LEN]);

/// SHA-256 after the prefix `P` of a scheme's keys: whole blocks, already
/// compressed, so that a key costs the compression of `T0` alone. Built once
/// per verifier.
#[derive(Clone)]
pub(crate) struct ReplayPrefix(sha2::Sha256);

impl ReplayPrefix {
    pub(crate) fn new(scheme: &str) -> ReplayPrefix {
        let mut hash = sha2::Sha256::new();
        hash.update(DOMAIN);
        hash.update(scheme.as_bytes());
        hash.update([0]);
        let used = (DOMAIN.len() + scheme.len() + 1) % BLOCK;
        hash.update([0; BLOCK].get(..(BLOCK - used) % BLOCK).unwrap_or_default());
        ReplayPrefix(hash)
    }
}

impl ReplayKey {
    pub(crate) fn derive(prefix: &ReplayPrefix, first_secret_tag: &[u8; TAG_LEN]) -> ReplayKey {
        let mut hash = prefix.0.clone();
        hash.update(first_secret_tag);
        ReplayKey(hash.finalize().into())
    }

    /// The 32 bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; TAG_LEN] {
        &self.0
    }

    /// Lowercase hex, 64 ASCII bytes: the text every binding exposes
    /// (`replay_key`, `replayKey`, `->replayKey`).
    #[must_use]
    pub fn to_hex(&self) -> [u8; 2 * TAG_LEN] {
        crate::encoding::encode_hex(&self.0)
    }
}

impl fmt::Debug for ReplayKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.to_hex();
        write!(f, "ReplayKey({})", core::str::from_utf8(&hex).unwrap_or_default())
    }
}
