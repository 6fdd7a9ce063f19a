//! A verification result as ONE integer, for bindings where reading a
//! struct field by field costs more than the verification (PHP's FFI, a
//! JavaScript object built in native code). Defined here once; the C header
//! and the Node `.d.ts` export these constants, and PHP and JavaScript decode
//! with them, never with numbers of their own.
//!
//! The integer is always below 2^53, so it is exact in an `i64` (C, PHP) and
//! in an `f64` (JavaScript). A negative value is an error: `-(1 + i)` where
//! `i` is the error's position in [`Error::ALL`] (the C `hooksig_result`
//! numbering). Zero or more is a success:
//!
//! | bits | field |
//! |---|---|
//! | 0–2 ([`COMPACT_INDEX_BITS`]) | `secret_index` |
//! | 3–7 ([`COMPACT_ID_SHIFT`], [`COMPACT_ID_BITS`]) | 0: no id; else 1 + the position, in the headers the caller passed, of the header whose whole value is the id |
//! | 8–52 ([`COMPACT_TIMESTAMP_SHIFT`]) | 0: no timestamp; else the timestamp + 1 |
//!
//! [`COMPACT_DOES_NOT_FIT`] (negative, outside the error range) means
//! "verified, but not representable" (an id in header 32 or later, or an id
//! that is only part of its header value, e.g. trimmed of spaces): call the
//! full verify for the structured result.

use crate::Error;
use crate::verifier::Verified;

/// Bits holding `secret_index` (at most 8 secrets).
pub const COMPACT_INDEX_BITS: u32 = 3;
/// Where the id field starts.
pub const COMPACT_ID_SHIFT: u32 = COMPACT_INDEX_BITS;
/// Bits of the id field (1 + header position, so positions 0–30).
pub const COMPACT_ID_BITS: u32 = 5;
/// Where `timestamp + 1` starts.
pub const COMPACT_TIMESTAMP_SHIFT: u32 = COMPACT_ID_SHIFT + COMPACT_ID_BITS;
/// Every compact value is below this (2^53: exact in an `f64`).
pub const COMPACT_LIMIT: i64 = 1 << 53;
/// "Verified, but not representable as one number."
pub const COMPACT_DOES_NOT_FIT: i64 = -1000;

/// The negative number for `error` (`-1` for `MISSING_HEADER` …).
#[must_use]
pub fn compact_error(error: Error) -> i64 {
    let position = Error::ALL.iter().position(|e| *e == error).unwrap_or_default();
    -1 - i64::try_from(position).unwrap_or(0)
}

/// The error a negative compact value stands for (`None` for a success or
/// [`COMPACT_DOES_NOT_FIT`]).
#[must_use]
pub fn compact_to_error(value: i64) -> Option<Error> {
    let position = usize::try_from(-1 - value).ok()?;
    Error::ALL.get(position).copied()
}

/// Packs a result: `headers` are the pairs the caller passed to the
/// verification (the id borrows one of their values).
#[must_use]
pub fn compact<N, V>(result: Result<Verified<'_>, Error>, headers: &[(N, V)]) -> i64
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    match result {
        Err(error) => compact_error(error),
        Ok(verified) => pack(&verified, headers).unwrap_or(COMPACT_DOES_NOT_FIT),
    }
}

fn pack<N, V>(verified: &Verified<'_>, headers: &[(N, V)]) -> Option<i64>
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    let index = u64::try_from(verified.secret_index).ok().filter(|i| *i < 1 << COMPACT_INDEX_BITS)?;
    let id = match verified.id {
        None => 0,
        Some(id) => {
            // The id must be one whole header value (found by address), so
            // that the caller can hand back its own string for it; an id the
            // core trimmed out of a value does not fit.
            let position = headers.iter().position(|(_, value)| {
                let value = value.as_ref();
                value.as_ptr().addr() == id.as_ptr().addr() && value.len() == id.len()
            })?;
            u64::try_from(position + 1).ok().filter(|p| *p < 1 << COMPACT_ID_BITS)?
        }
    };
    let stamp = match verified.timestamp {
        None => 0,
        Some(t) => t.checked_add(1)?,
    };
    let packed = stamp.checked_shl(COMPACT_TIMESTAMP_SHIFT).filter(|p| p >> COMPACT_TIMESTAMP_SHIFT == stamp)?
        | id << COMPACT_ID_SHIFT
        | index;
    i64::try_from(packed).ok().filter(|p| *p < COMPACT_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Profile, SignOptions, Verifier, sign};

    #[test]
    fn errors_round_trip_and_successes_decode() -> Result<(), Error> {
        for error in Error::ALL {
            let value = compact_error(error);
            assert!(value < 0 && value > COMPACT_DOES_NOT_FIT);
            assert_eq!(compact_to_error(value), Some(error));
        }
        assert_eq!(compact_to_error(COMPACT_DOES_NOT_FIT), None);
        assert_eq!(compact_to_error(0), None);

        let verifier = Verifier::new(Profile::Key2Pay, &["a", "b"])?;
        let signed = sign(
            &Profile::Key2Pay,
            b"b",
            b"{}",
            SignOptions { timestamp: Some(999_999_999_999), id: Some("dlv_1"), ..SignOptions::default() },
        )?;
        let mut pairs: std::vec::Vec<(&str, &str)> = std::vec![("content-type", "json")];
        pairs.extend(signed.iter().map(|h| (h.name(), h.value())));
        let value = compact(verifier.verify(&pairs, b"{}", 999_999_999_999), &pairs);
        assert_eq!(value & ((1 << COMPACT_INDEX_BITS) - 1), 1);
        let id_slot = (value >> COMPACT_ID_SHIFT) & ((1 << COMPACT_ID_BITS) - 1);
        assert_eq!(pairs.get(usize::try_from(id_slot - 1).unwrap_or(99)).map(|p| p.1), Some("dlv_1"));
        assert_eq!(value >> COMPACT_TIMESTAMP_SHIFT, 1_000_000_000_000);
        assert!(value < COMPACT_LIMIT);

        // An id beyond position 30 does not fit.
        let mut many: std::vec::Vec<(&str, &str)> = (0..31).map(|_| ("x-other", "1")).collect();
        many.extend(signed.iter().map(|h| (h.name(), h.value())));
        assert_eq!(compact(verifier.verify(&many, b"{}", 999_999_999_999), &many), COMPACT_DOES_NOT_FIT);
        assert_eq!(
            compact(verifier.verify(&many, b"{!}", 999_999_999_999), &many),
            compact_error(Error::SignatureMismatch)
        );
        Ok(())
    }
}
