//! PHP's fast path: verification with every header in ONE packed byte
//! string and the result as ONE number, for callers (PHP's FFI) for whom
//! building a `hooksig_header` array or reading a struct field by field costs
//! more than the verification itself.
//!
//! The packed header string, the only place it is defined: per header, in
//! order, the name's length as 4 bytes little-endian, the name, the value's
//! length as 4 bytes little-endian, the value (PHP: `pack('Va*Va*',
//! strlen($n), $n, strlen($v), $v)`). Lengths make NULs and any byte inside
//! values exact; the empty string is no headers; anything truncated is
//! `INVALID_ARGUMENT`. Byte arguments are `const char *` so that PHP passes
//! its strings without a copy.
//!
//! The number is the core's `hooksig::compact` value; its layout constants are
//! exported below (read them, never write the numbers again).

use core::ffi::c_char;

use hooksig::compact::{self, compact_error};
use hooksig::{Error, Verified};

use crate::ffi::{guard, reference};
use crate::{HeaderPair, bytes, hooksig_result, hooksig_verifier};

/// `hooksig::compact::COMPACT_INDEX_BITS`: bits 0.. hold `secret_index`.
#[unsafe(no_mangle)]
pub static HOOKSIG_COMPACT_INDEX_BITS: u32 = compact::COMPACT_INDEX_BITS;
/// `hooksig::compact::COMPACT_ID_SHIFT`: where the id field starts.
#[unsafe(no_mangle)]
pub static HOOKSIG_COMPACT_ID_SHIFT: u32 = compact::COMPACT_ID_SHIFT;
/// `hooksig::compact::COMPACT_ID_BITS`: 0 no id, else 1 + the position of the header whose value is the id.
#[unsafe(no_mangle)]
pub static HOOKSIG_COMPACT_ID_BITS: u32 = compact::COMPACT_ID_BITS;
/// `hooksig::compact::COMPACT_TIMESTAMP_SHIFT`: 0 no timestamp, else the timestamp + 1.
#[unsafe(no_mangle)]
pub static HOOKSIG_COMPACT_TIMESTAMP_SHIFT: u32 = compact::COMPACT_TIMESTAMP_SHIFT;
/// `hooksig::compact::COMPACT_DOES_NOT_FIT`: verified, but not representable as one number.
#[unsafe(no_mangle)]
pub static HOOKSIG_COMPACT_DOES_NOT_FIT: i64 = compact::COMPACT_DOES_NOT_FIT;

/// Splits `n` bytes off the front of `rest`; too few is `INVALID_ARGUMENT`.
fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8], hooksig_result> {
    let (head, tail) = rest.split_at_checked(n).ok_or(hooksig_result::InvalidArgument)?;
    *rest = tail;
    Ok(head)
}

/// One length-prefixed field: a 4-byte little-endian length, then that many bytes.
fn field<'a>(rest: &mut &'a [u8]) -> Result<&'a [u8], hooksig_result> {
    let len: [u8; 4] = take(rest, 4)?.try_into().map_err(|_| hooksig_result::InvalidArgument)?;
    let len = usize::try_from(u32::from_le_bytes(len)).map_err(|_| hooksig_result::InvalidArgument)?;
    take(rest, len)
}

/// The (name, value) pairs of a packed header string, in order.
pub(crate) fn unpack(mut packed: &[u8]) -> Result<Vec<HeaderPair<'_>>, hooksig_result> {
    let mut pairs = Vec::with_capacity(16);
    while !packed.is_empty() {
        let name = field(&mut packed)?;
        pairs.push((name, field(&mut packed)?));
    }
    Ok(pairs)
}

/// The compact value of a verification; `COMPACT_DOES_NOT_FIT` too when the
/// id is only part of its header's value (the core trims spaces), so that
/// "the id is that header's value" always holds for the caller.
fn compact_value(result: Result<Verified<'_>, Error>, headers: &[HeaderPair<'_>]) -> i64 {
    let whole = |id: &str| headers.iter().any(|(_, v)| v.as_ptr() == id.as_ptr() && v.len() == id.len());
    match result {
        Ok(Verified { id: Some(id), .. }) if !whole(id) => compact::COMPACT_DOES_NOT_FIT,
        result => compact::compact(result, headers),
    }
}

/// `hooksig_verifier_verify` with no request line (PHP takes the general path
/// when it has one: two more arguments cost every call here more than they
/// would save), the headers packed into one string (module documentation)
/// and the result as one `hooksig::compact` number: negative
/// is `-hooksig_result` (for the core's codes exactly `compact_error`), `0` or
/// more is a success: `secret_index`, the position of the id's header in
/// `packed` + 1 (0: no id) and the timestamp + 1 (0: none), laid out as the
/// `HOOKSIG_COMPACT_*` constants say. `HOOKSIG_COMPACT_DOES_NOT_FIT`: verified,
/// but call `hooksig_verifier_verify` for the struct.
///
/// # Safety
/// `verifier` comes from `hooksig_verifier_new`; `packed` and `body` point to
/// their lengths in bytes (or are NULL with length 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify_compact(
    verifier: *const hooksig_verifier,
    packed: *const c_char,
    packed_len: usize,
    body: *const c_char,
    body_len: usize,
    now: u64,
) -> i64 {
    guard(compact_error(Error::Internal), || {
        let run = || {
            // SAFETY: the caller's contract above.
            let (verifier, packed, body) =
                unsafe { (reference(verifier)?, bytes(packed, packed_len)?, bytes(body, body_len)?) };
            let headers = unpack(packed)?;
            Ok(compact_value(verifier.inner.verify(&headers, body, now), &headers))
        };
        run().unwrap_or_else(|code: hooksig_result| -i64::from(code as u32))
    })
}

/// Which of many header names the verifier's profile reads (any case, `-`/`_`
/// alike, CGI `HTTP_` names; the core's `Verifier::wanted_headers`), so that a
/// caller can pass only the headers that matter and remember the answer per
/// name. `names` is the names joined with one NUL byte between them (PHP:
/// `implode("\0", $names)`); bit `i` of the result is set if the profile reads
/// the `i`-th name (the first 64 names; later ones are not answered). 0 for a
/// NULL `verifier` or a NULL `names` with a non-zero length.
///
/// # Safety
/// `verifier` is NULL or comes from `hooksig_verifier_new`; `names` points to `names_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_wants_headers(
    verifier: *const hooksig_verifier,
    names: *const c_char,
    names_len: usize,
) -> u64 {
    guard(0, || {
        // SAFETY: the caller's contract above.
        let (Ok(verifier), Ok(names)) = (unsafe { reference(verifier) }, unsafe { bytes(names, names_len) }) else {
            return 0;
        };
        let wanted = verifier.inner.wanted_headers();
        wanted_mask(names, |name| wanted.contains(name))
    })
}

/// Bit `i` set if `wants` says yes to the `i`-th of the NUL-separated `names` (the first 64).
fn wanted_mask(names: &[u8], wants: impl Fn(&[u8]) -> bool) -> u64 {
    names.split(|b| *b == 0).take(64).zip(0..).fold(0, |mask, (name, i)| mask | u64::from(wants(name)) << i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hooksig::{Profile, Verifier};

    fn pack(headers: &[(&[u8], &[u8])]) -> Vec<u8> {
        let mut packed = Vec::new();
        for (name, value) in headers {
            for part in [name, value] {
                packed.extend_from_slice(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_le_bytes());
                packed.extend_from_slice(part);
            }
        }
        packed
    }

    #[test]
    fn unpack_round_trips_names_and_values_with_nuls_and_empties() {
        let headers: [(&[u8], &[u8]); 3] = [(b"X-A", b"v\0w"), (b"", b""), (b"HTTP_X_B", b"\xff\x00")];
        assert_eq!(unpack(&pack(&headers)), Ok(headers.to_vec()));
        assert_eq!(unpack(b""), Ok(Vec::new()));
    }

    #[test]
    fn unpack_rejects_every_truncation() {
        let packed = pack(&[(b"X-Name", b"value")]);
        for cut in 1..packed.len() {
            assert_eq!(
                unpack(packed.get(..cut).unwrap_or_default()),
                Err(hooksig_result::InvalidArgument),
                "cut {cut}"
            );
        }
        // A name with no value at all.
        assert_eq!(unpack(b"\x01\0\0\0X"), Err(hooksig_result::InvalidArgument));
    }

    #[test]
    fn an_id_that_is_part_of_its_header_does_not_fit() -> Result<(), Error> {
        let verifier = Verifier::new(Profile::GitHub, &["s"])?;
        let signed = hooksig::sign(&Profile::GitHub, b"s", b"b", hooksig::SignOptions::default())?;
        let signature = signed.iter().next().map(|h| h.value().as_bytes().to_vec()).unwrap_or_default();
        for (id, fits) in [(&b"dlv-1"[..], true), (b" dlv-1\t", false)] {
            let pairs: Vec<(&[u8], &[u8])> = vec![(b"X-Hub-Signature-256", &signature), (b"X-GitHub-Delivery", id)];
            let value = compact_value(verifier.verify(&pairs, b"b", 0), &pairs);
            let expected = if fits { 2 << compact::COMPACT_ID_SHIFT } else { compact::COMPACT_DOES_NOT_FIT };
            assert_eq!(value, expected, "{id:?}");
        }
        Ok(())
    }

    #[test]
    fn wanted_mask_answers_the_first_64_names_in_order() {
        let wants = |name: &[u8]| name.starts_with(b"w");
        assert_eq!(wanted_mask(b"w1\0x\0\0w2", wants), 0b1001);
        assert_eq!(wanted_mask(b"", wants), 0);
        assert_eq!(wanted_mask(b"w", wants), 1);
        let many = vec!["w"; 70].join("\0");
        assert_eq!(wanted_mask(many.as_bytes(), wants), u64::MAX);
        let last = [vec!["x"; 63], vec!["w"]].concat().join("\0");
        assert_eq!(wanted_mask(last.as_bytes(), wants), 1 << 63);
    }
}
