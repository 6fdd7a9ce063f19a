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
/// and the result as one `hooksig::compact` number plus, on success, the
/// replay key and `id_signed` as 65 bytes written to `out_replay` (NULL: not
/// written): the key's 64 lowercase hex characters, then `'1'` if the MAC
/// covers the id, else `'0'` (no NUL: one `FFI::string` reads it). Negative
/// is `-hooksig_result` (for the core's codes exactly `compact_error`), `0` or
/// more is a success: `secret_index`, the position of the id's header in
/// `packed` + 1 (0: no id) and the timestamp + 1 (0: none), laid out as the
/// `HOOKSIG_COMPACT_*` constants say. `HOOKSIG_COMPACT_DOES_NOT_FIT`: verified,
/// but call `hooksig_verifier_verify` for the struct.
///
/// # Safety
/// `verifier` comes from `hooksig_verifier_new`; `packed` and `body` point to
/// their lengths in bytes (or are NULL with length 0); `out_replay` is NULL
/// or points to 65 writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify_compact(
    verifier: *const hooksig_verifier,
    packed: *const c_char,
    packed_len: usize,
    body: *const c_char,
    body_len: usize,
    now: u64,
    out_replay: *mut u8,
) -> i64 {
    guard(compact_error(Error::Internal), || {
        let run = || {
            // SAFETY: the caller's contract above.
            let (verifier, packed, body) =
                unsafe { (reference(verifier)?, bytes(packed, packed_len)?, bytes(body, body_len)?) };
            let headers = unpack(packed)?;
            let result = verifier.inner.verify(&headers, body, now);
            if let (Ok(verified), false) = (&result, out_replay.is_null()) {
                let mut replay = [if verified.id_signed { b'1' } else { b'0' }; 65];
                replay.iter_mut().zip(verified.replay_key.to_hex()).for_each(|(slot, hex)| *slot = hex);
                // SAFETY: non-NULL, 65 writable bytes (contract); `replay` is our own.
                unsafe { core::ptr::copy_nonoverlapping(replay.as_ptr(), out_replay, replay.len()) };
            }
            Ok(compact_value(result, &headers))
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
