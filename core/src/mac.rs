//! HMAC-SHA256 with precomputed key state, and constant-time tag comparison.
//!
//! This is the one place where MACs are computed and compared. Every profile,
//! the Wycheproof and RFC 4231 tests, and signing go through [`MacKey`].

use core::fmt;

use hmac::{KeyInit, Mac};
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Length of an HMAC-SHA256 tag in bytes. Every signature hooksig accepts
/// decodes to exactly this many bytes; truncated tags are never accepted.
pub const TAG_LEN: usize = 32;

/// An HMAC-SHA256 key whose inner and outer pad states are computed once,
/// when the key is built, and reused (cloned) for every message.
///
/// Wiped when dropped ([`ZeroizeOnDrop`]): with `sha2`'s `zeroize` feature
/// (which this crate turns on) both SHA-256 states of the HMAC and its block
/// buffer are overwritten with zeros by their own `Drop`, in the key and in
/// the per-message copy that [`MacKey::mac`] makes.
#[derive(Clone)]
pub struct MacKey {
    state: HmacSha256,
}

/// Every field wipes itself on drop (see the compile-time check in the tests).
impl ZeroizeOnDrop for MacKey {}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MacKey(<redacted>)")
    }
}

impl MacKey {
    /// Builds the key state from raw key bytes (any length; keys longer than
    /// the 64-byte block are hashed first, as RFC 2104 says).
    ///
    /// # Errors
    /// [`Error::InvalidSecret`] for an empty key.
    pub fn new(key: &[u8]) -> Result<MacKey, Error> {
        if key.is_empty() {
            return Err(Error::InvalidSecret);
        }
        let state = HmacSha256::new_from_slice(key).map_err(|_| Error::InvalidSecret)?;
        Ok(MacKey { state })
    }

    /// The MAC of the concatenation of `parts`.
    #[must_use]
    pub fn mac(&self, parts: &[&[u8]]) -> Tag {
        #[cfg(test)]
        work::count_mac();
        #[cfg(test)]
        work::count_bytes(parts.iter().map(|part| part.len()).sum());
        let mut state = self.state.clone();
        for part in parts {
            state.update(part);
        }
        Tag(state.finalize().into_bytes().into())
    }

    /// Checks `tag` against the MAC of the concatenation of `parts`, in
    /// constant time.
    ///
    /// # Errors
    /// [`Error::NoSignature`] if `tag` is not exactly [`TAG_LEN`] bytes (a
    /// truncated MAC is never accepted); [`Error::SignatureMismatch`] if it
    /// differs.
    pub fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> Result<(), Error> {
        let candidate: &[u8; TAG_LEN] = tag.try_into().map_err(|_| Error::NoSignature)?;
        if self.mac(parts).matches(candidate) { Ok(()) } else { Err(Error::SignatureMismatch) }
    }
}

/// A computed HMAC-SHA256 tag. It has no `==`: compare it with
/// [`Tag::matches`] or [`ConstantTimeEq`], both constant time.
///
/// Wiped when dropped: the MAC of a forged delivery's bytes is exactly the
/// signature the forger lacks, so it does not stay behind in memory.
#[derive(Clone)]
pub struct Tag([u8; TAG_LEN]);

impl Zeroize for Tag {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl Drop for Tag {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Tag {}

impl Tag {
    /// Constant-time comparison with a candidate signature.
    #[must_use]
    pub fn matches(&self, candidate: &[u8; TAG_LEN]) -> bool {
        bool::from(tags_equal(&self.0, candidate))
    }

    /// Constant-time comparison with every candidate: true if any matches.
    /// All candidates are always compared, so timing does not reveal which.
    #[must_use]
    pub fn matches_any(&self, candidates: &[[u8; TAG_LEN]]) -> bool {
        let mut any = Choice::from(0);
        for candidate in candidates {
            any |= tags_equal(&self.0, candidate);
        }
        bool::from(any)
    }

    /// The raw tag bytes, for encoding a signature to send. Do not compare
    /// them with `==`.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; TAG_LEN] {
        self.0
    }
}

impl ConstantTimeEq for Tag {
    fn ct_eq(&self, other: &Tag) -> Choice {
        tags_equal(&self.0, &other.0)
    }
}

/// Constant-time equality of two tags, as four `u64` words through
/// `subtle` (one optimisation barrier per word instead of one per byte, as
/// `subtle`'s slice comparison does): every word is always compared.
fn tags_equal(a: &[u8; TAG_LEN], b: &[u8; TAG_LEN]) -> Choice {
    let (a_words, _) = a.as_chunks::<8>();
    let (b_words, _) = b.as_chunks::<8>();
    a_words
        .iter()
        .zip(b_words)
        .fold(Choice::from(1), |equal, (x, y)| equal & u64::from_le_bytes(*x).ct_eq(&u64::from_le_bytes(*y)))
}

/// Redacted: a MAC computed over attacker-chosen bytes is a forgery if it
/// leaks (through a log line, say), so it is never printed.
impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tag(<redacted>)")
    }
}

/// SHA-256 of `data`, lowercase hex (UnknownPay S2S hashes the body this way).
pub(crate) fn sha256_hex(data: &[u8]) -> [u8; 2 * TAG_LEN] {
    use sha2::Digest;
    #[cfg(test)]
    work::count_bytes(data.len());
    let digest: [u8; TAG_LEN] = sha2::Sha256::digest(data).into();
    crate::encoding::encode_hex(&digest)
}

/// Counts the MACs computed on this thread, in unit tests only (the cost
/// bound test in `verifier.rs`); compiled out of every other build.
#[cfg(test)]
pub(crate) mod work {
    use core::cell::Cell;

    std::thread_local! {
        static MACS: Cell<usize> = const { Cell::new(0) };
        static BYTES: Cell<usize> = const { Cell::new(0) };
    }

    pub(crate) fn count_mac() {
        MACS.with(|n| n.set(n.get() + 1));
    }

    /// The MACs computed on this thread since the last call.
    pub(crate) fn take_macs() -> usize {
        MACS.with(|n| n.replace(0))
    }

    /// Bytes hashed (MAC input, S2S body digests): `explain`'s byte bound test.
    pub(crate) fn count_bytes(len: usize) {
        BYTES.with(|n| n.set(n.get() + len));
    }

    /// The bytes hashed on this thread since the last call.
    pub(crate) fn take_bytes() -> usize {
        BYTES.with(|n| n.replace(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_matches_itself_and_nothing_one_bit_away() -> Result<(), Error> {
        let tag = MacKey::new(b"key")?.mac(&[b"message"]);
        let bytes = tag.to_bytes();
        assert!(tag.matches(&bytes));
        for bit in 0..TAG_LEN * 8 {
            let mut flipped = bytes;
            if let Some(byte) = flipped.get_mut(bit / 8) {
                *byte ^= 1 << (bit % 8);
            }
            assert!(!tag.matches(&flipped), "bit {bit}");
            assert!(tag.matches_any(&[flipped, bytes]) && !tag.matches_any(&[flipped]), "bit {bit}");
        }
        Ok(())
    }

    fn wiped_on_drop<T: ZeroizeOnDrop>() {}

    /// Compile-time proof that the key state is wiped on drop: `sha2::Sha256`
    /// (and its core, the type of both SHA-256 states inside
    /// `Hmac<Sha256>`) is `ZeroizeOnDrop` only with `sha2`'s `zeroize`
    /// feature, which makes their `Drop` overwrite the state and the block
    /// buffer. Without the feature this test does not compile.
    #[test]
    fn key_state_is_wiped_on_drop() {
        wiped_on_drop::<sha2::Sha256>();
        wiped_on_drop::<<sha2::Sha256 as sha2::digest::block_api::CoreProxy>::Core>();
        wiped_on_drop::<MacKey>();
        wiped_on_drop::<Tag>();
    }

    /// `Tag`'s `Drop` runs `zeroize`, which clears every byte.
    #[test]
    fn zeroize_clears_a_tag() -> Result<(), Error> {
        let mut tag = MacKey::new(b"key")?.mac(&[b"message"]);
        assert_ne!(tag.to_bytes(), [0; TAG_LEN]);
        tag.zeroize();
        assert_eq!(tag.to_bytes(), [0; TAG_LEN]);
        Ok(())
    }
}
