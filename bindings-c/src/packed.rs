//! Verification with every header in ONE packed byte string, for callers
//! (PHP's FFI) for whom building a `hooksig_header` array costs more than the
//! verification itself. The packed form is, per header, in order:
//! the name's length as 4 bytes little-endian, the name, the value's length as
//! 4 bytes little-endian, the value (PHP: `pack('Va*Va*', strlen($n), $n,
//! strlen($v), $v)`). Lengths make NULs and any byte inside values exact. The
//! caller passes every header it has; the core reads only the ones its profile
//! wants. Byte arguments are `const char *` so that PHP passes its strings
//! without a copy.

use core::ffi::c_char;

use hooksig::Verified;

use crate::ffi::{self, call, guard, reference, slice, text};
use crate::{hooksig_result, hooksig_verified, hooksig_verifier, to_c};

type HeaderPair<'a> = (&'a [u8], &'a [u8]);

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

/// The (name, value) pairs of a packed header string, in order. A truncated
/// length or field is `INVALID_ARGUMENT`; the empty string is no headers.
pub(crate) fn unpack(mut packed: &[u8]) -> Result<Vec<HeaderPair<'_>>, hooksig_result> {
    let mut pairs = Vec::with_capacity(16);
    while !packed.is_empty() {
        let name = field(&mut packed)?;
        pairs.push((name, field(&mut packed)?));
    }
    Ok(pairs)
}

/// `hooksig_verifier_verify` with the headers packed into one string (see the
/// module documentation: per header, `u32` LE name length, name, `u32` LE
/// value length, value). A malformed packed string is `INVALID_ARGUMENT`.
/// `out->id` points into `packed` afterwards.
///
/// # Safety
/// `verifier` comes from `hooksig_verifier_new`; `packed` points to
/// `packed_len` bytes, `body` to `body_len` bytes (either may be NULL when its
/// length is 0); `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify_packed(
    verifier: *const hooksig_verifier,
    packed: *const c_char,
    packed_len: usize,
    body: *const c_char,
    body_len: usize,
    now: u64,
    out: *mut hooksig_verified,
) -> hooksig_result {
    call(|| {
        let out = ffi::out(out)?;
        // SAFETY: the caller's contract above.
        let (verifier, packed, body) = unsafe {
            (reference(verifier)?, slice(packed.cast::<u8>(), packed_len)?, slice(body.cast::<u8>(), body_len)?)
        };
        let headers = unpack(packed)?;
        let verified = verifier.inner.verify(&headers, body, now)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.write(to_c(&verified)) };
        Ok(())
    })
}

/// Bits of a [`hooksig_verifier_verify_packed_i64`] result, low to high: the
/// secret index, the id's byte offset in the packed string (0: no id), the
/// id's length, then the timestamp + 1 (0: no timestamp) up to bit 62.
const INDEX_BITS: u32 = 3;
const ID_AT_BITS: u32 = 16;
const ID_LEN_BITS: u32 = 8;
const TIMESTAMP_SHIFT: u32 = INDEX_BITS + ID_AT_BITS + ID_LEN_BITS;

/// `value` if it is below `1 << bits`.
fn fits(value: usize, bits: u32) -> Option<u64> {
    u64::try_from(value).ok().filter(|v| *v < 1 << bits)
}

/// A successful verification as one non-negative number (see
/// [`hooksig_verifier_verify_packed_i64`]), or `None` when it does not fit:
/// more than 8 secrets, an id not inside `packed` or past 64 KiB or 255 bytes
/// long, a timestamp from 2^36 − 1 on, a scheme other than `scheme`.
fn packed_result(verified: &Verified<'_>, packed: &[u8], scheme: &str) -> Option<i64> {
    if verified.scheme != scheme {
        return None;
    }
    pack_parts(verified.secret_index, verified.timestamp, verified.id, packed)
}

/// [`packed_result`] of the parts of a `Verified`.
fn pack_parts(secret_index: usize, timestamp: Option<u64>, id: Option<&str>, packed: &[u8]) -> Option<i64> {
    let index = fits(secret_index, INDEX_BITS)?;
    let (at, len) = match id {
        None => (0, 0),
        Some(id) => {
            let at = id.as_ptr().addr().checked_sub(packed.as_ptr().addr())?;
            if at == 0 || at.checked_add(id.len())? > packed.len() {
                return None;
            }
            (fits(at, ID_AT_BITS)?, fits(id.len(), ID_LEN_BITS)?)
        }
    };
    let stamp = match timestamp {
        None => 0,
        Some(t) => t.checked_add(1).filter(|t| *t < 1 << (63 - TIMESTAMP_SHIFT))?,
    };
    i64::try_from(stamp << TIMESTAMP_SHIFT | len << (INDEX_BITS + ID_AT_BITS) | at << INDEX_BITS | index).ok()
}

/// `hooksig_verifier_verify_packed` with the result as ONE number instead of
/// a struct (PHP's FFI reads a struct field by field, each read costing about
/// as much as a small HMAC). Negative: `-hooksig_result`, the error (with
/// `-HOOKSIG_RESULT_BUFFER_TOO_SMALL` meaning "verified, but the result does
/// not fit": call `hooksig_verifier_verify_packed` for the struct). Zero or
/// more: verified, and
/// - bits 0–2: which secret matched (`secret_index`);
/// - bits 3–18: where the id starts in `packed` (0: no id; the id is
///   `packed[at .. at + len]`);
/// - bits 19–26: the id's length in bytes;
/// - bits 27–62: the timestamp + 1 (0: the scheme has none).
///
/// The scheme is always the verifier's (`hooksig_verifier_scheme`).
///
/// # Safety
/// As `hooksig_verifier_verify_packed`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify_packed_i64(
    verifier: *const hooksig_verifier,
    packed: *const c_char,
    packed_len: usize,
    body: *const c_char,
    body_len: usize,
    now: u64,
) -> i64 {
    let error = |code: hooksig_result| -i64::from(code as u32);
    guard(error(hooksig_result::Panic), || {
        let run = || {
            // SAFETY: the caller's contract above.
            let (verifier, packed, body) = unsafe {
                (reference(verifier)?, slice(packed.cast::<u8>(), packed_len)?, slice(body.cast::<u8>(), body_len)?)
            };
            let headers = unpack(packed)?;
            let verified = verifier.inner.verify(&headers, body, now)?;
            Ok(packed_result(&verified, packed, verifier.inner.profile().name()))
        };
        match run() {
            Ok(Some(packed)) => packed,
            Ok(None) => error(hooksig_result::BufferTooSmall),
            Err(code) => error(code),
        }
    })
}

/// The verifier's scheme, `hooksig_verified.scheme` of every verification
/// (the profile's canonical name): a static string of `*len` bytes, not
/// NUL-terminated. NULL (and `*len` 0) for a NULL `verifier`.
///
/// # Safety
/// `verifier` is NULL or comes from `hooksig_verifier_new`; `len` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_scheme(verifier: *const hooksig_verifier, len: *mut usize) -> *const u8 {
    guard(core::ptr::null(), || {
        // SAFETY: the caller's contract above.
        let name = unsafe { reference(verifier) }.map_or("", |v| v.inner.profile().name());
        if let Ok(len) = ffi::out(len) {
            // SAFETY: checked non-NULL; writable by contract.
            unsafe { len.write(name.len()) };
        }
        if name.is_empty() { core::ptr::null() } else { name.as_ptr() }
    })
}

/// `hooksig_verifier_verify_request` (`unknownpay-s2s`) with the headers
/// packed as for `hooksig_verifier_verify_packed`.
///
/// # Safety
/// As `hooksig_verifier_verify_packed`; `method` and `path_and_query` point to
/// their lengths in bytes (UTF-8).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify_request_packed(
    verifier: *const hooksig_verifier,
    packed: *const c_char,
    packed_len: usize,
    body: *const c_char,
    body_len: usize,
    method: *const c_char,
    method_len: usize,
    path_and_query: *const c_char,
    path_and_query_len: usize,
    now: u64,
    out: *mut hooksig_verified,
) -> hooksig_result {
    call(|| {
        let out = ffi::out(out)?;
        // SAFETY: the caller's contract above.
        let (verifier, packed, body, method, path) = unsafe {
            (
                reference(verifier)?,
                slice(packed.cast::<u8>(), packed_len)?,
                slice(body.cast::<u8>(), body_len)?,
                text(method, method_len)?,
                text(path_and_query, path_and_query_len)?,
            )
        };
        let headers = unpack(packed)?;
        let verified = verifier.inner.verify_request(&headers, body, method, path, now)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.write(to_c(&verified)) };
        Ok(())
    })
}

/// Whether the verifier's profile reads a header of this name (any case,
/// `-`/`_` alike, CGI `HTTP_` names; the core's `Verifier::wants_header`).
/// Lets a caller pass only the headers that matter, and remember the answer
/// per name. False for a NULL `verifier` or a NULL `name` with a non-zero length.
///
/// # Safety
/// `verifier` is NULL or comes from `hooksig_verifier_new`; `name` points to `name_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_wants_header(
    verifier: *const hooksig_verifier,
    name: *const c_char,
    name_len: usize,
) -> bool {
    guard(false, || {
        // SAFETY: the caller's contract above.
        unsafe { reference(verifier).and_then(|v| Ok(v.inner.wants_header(slice(name.cast::<u8>(), name_len)?))) }
            .unwrap_or(false)
    })
}

/// [`hooksig_verifier_wants_header`] for many names in one call: `names` is
/// the names joined with one NUL byte between them (PHP: `implode("\0",
/// $names)`); bit `i` of the result is set if the profile reads the `i`-th
/// name (the first 64 names; later ones are not answered). 0 for a NULL
/// `verifier` or a NULL `names` with a non-zero length.
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
        let (Ok(verifier), Ok(names)) =
            (unsafe { reference(verifier) }, unsafe { slice(names.cast::<u8>(), names_len) })
        else {
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
    fn packed_result_carries_index_id_and_timestamp_or_does_not_fit() {
        let buffer = "x".repeat(70_000);
        let at = |from: usize, len: usize| buffer.get(from..from + len);
        let decode = |r: i64| (r & 7, (r >> 3) & 0xFFFF, (r >> 19) & 0xFF, r >> 27);
        let bytes = buffer.as_bytes();
        let one = |id, ts, index| pack_parts(index, ts, id, bytes).map(decode);
        assert_eq!(one(None, None, 0), Some((0, 0, 0, 0)));
        assert_eq!(one(at(4, 9), Some(1_714_672_890), 7), Some((7, 4, 9, 1_714_672_891)));
        assert_eq!(one(at(65_535, 255), Some((1 << 36) - 2), 1), Some((1, 65_535, 255, (1 << 36) - 1)));
        assert_eq!(one(at(4, 0), None, 0), Some((0, 4, 0, 0)), "an empty id keeps its offset");
        // What does not fit: an id past 64 KiB, over 255 bytes, at offset 0 or outside `packed`; a
        // timestamp from 2^36 - 1 on; a 9th secret.
        assert_eq!(one(at(65_536, 1), None, 0), None);
        assert_eq!(one(at(4, 256), None, 0), None);
        assert_eq!(one(at(0, 3), None, 0), None);
        assert_eq!(one(Some("elsewhere"), None, 0), None);
        assert_eq!(one(None, Some((1 << 36) - 1), 0), None);
        assert_eq!(one(None, Some(u64::MAX), 0), None);
        assert_eq!(one(None, None, 8), None);
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
}
