//! The panic boundary, the pointer conversions every export uses, and the
//! one way the library hands back text it builds: the caller's buffer.

use core::ffi::c_char;
use core::panic::AssertUnwindSafe;
use std::panic::catch_unwind;

use crate::hooksig_result;

/// The one panic boundary: runs `body`, and returns `on_panic` if it panics.
/// Every `extern "C"` function's body runs inside it (directly or through [`call`]).
pub(crate) fn guard<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

/// [`guard`] for fallible functions: `Ok(())` is `HOOKSIG_RESULT_OK`, a panic
/// is `HOOKSIG_RESULT_INTERNAL` (the core's `Error::Internal`).
pub(crate) fn call(body: impl FnOnce() -> Result<(), hooksig_result>) -> hooksig_result {
    guard(hooksig_result::Internal, || body().err().unwrap_or(hooksig_result::Ok))
}

/// Borrows `len` elements at `ptr`. `len == 0` is the empty slice whatever
/// `ptr` is (so NULL with length 0 is accepted); NULL with `len > 0` is
/// `NULL_ARGUMENT`; a length over `isize::MAX` bytes is `INVALID_ARGUMENT`.
///
/// # Safety
/// If `len > 0` and `ptr` is not NULL, `ptr` must point to `len` initialised,
/// aligned `T`s that stay valid and unmodified for `'a`.
pub(crate) unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> Result<&'a [T], hooksig_result> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(hooksig_result::NullArgument);
    }
    if len.checked_mul(size_of::<T>()).is_none_or(|bytes| bytes > isize::MAX as usize) {
        return Err(hooksig_result::InvalidArgument);
    }
    // SAFETY: non-NULL, size checked above, validity and lifetime are the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// [`slice`] of bytes read as UTF-8 text; non-UTF-8 is `INVALID_ARGUMENT`.
///
/// # Safety
/// As [`slice`].
pub(crate) unsafe fn text<'a>(ptr: *const c_char, len: usize) -> Result<&'a str, hooksig_result> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { slice(ptr.cast::<u8>(), len) }?;
    core::str::from_utf8(bytes).map_err(|_| hooksig_result::InvalidArgument)
}

/// An optional text argument: NULL (with length 0) is `None`; any other
/// pointer, even with length 0, is given.
///
/// # Safety
/// As [`slice`].
pub(crate) unsafe fn optional_text<'a>(ptr: *const c_char, len: usize) -> Result<Option<&'a str>, hooksig_result> {
    match (ptr.is_null(), len) {
        (true, 0) => Ok(None),
        // SAFETY: forwarded contract.
        _ => unsafe { text(ptr, len) }.map(Some),
    }
}

/// Borrows the `T` at a required pointer; NULL is `NULL_ARGUMENT`.
///
/// # Safety
/// A non-NULL `ptr` must point to a valid, aligned `T` that lives for `'a`.
pub(crate) unsafe fn reference<'a, T>(ptr: *const T) -> Result<&'a T, hooksig_result> {
    // SAFETY: the caller's contract.
    unsafe { ptr.as_ref() }.ok_or(hooksig_result::NullArgument)
}

/// Checks that a required out-pointer is not NULL (before any work is done).
pub(crate) fn out<T>(ptr: *mut T) -> Result<*mut T, hooksig_result> {
    if ptr.is_null() { Err(hooksig_result::NullArgument) } else { Ok(ptr) }
}

/// The buffer protocol (README, "Strings"): writes `text.len()` to
/// `*out_needed` first (also when the buffer is then refused), then
/// `BUFFER_TOO_SMALL` if `buf_len` is short, `NULL_ARGUMENT` if `buf` is
/// NULL, else copies `text` to `buf`. `text` is the library's own memory,
/// never the caller's, so the copy cannot overlap `buf` whatever the caller
/// passed as inputs (an id lying inside `buf` is read before `buf` is written).
///
/// # Safety
/// `out_needed` is non-NULL and writable; `buf` is NULL or points to `buf_len` writable bytes.
pub(crate) unsafe fn write_buffer(
    text: &[u8],
    buf: *mut u8,
    buf_len: usize,
    out_needed: *mut usize,
) -> Result<(), hooksig_result> {
    // SAFETY: non-NULL and writable (contract).
    unsafe { out_needed.write(text.len()) };
    if buf_len < text.len() {
        return Err(hooksig_result::BufferTooSmall);
    }
    if buf.is_null() {
        return Err(hooksig_result::NullArgument);
    }
    // SAFETY: `buf` has room (checked, contract); `text` is a distinct allocation of ours.
    unsafe { core::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len()) };
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic)]
    use super::*;

    #[test]
    fn a_panic_becomes_internal() {
        assert_eq!(call(|| panic!("boom")), hooksig_result::Internal);
        assert_eq!(call(|| Ok(())), hooksig_result::Ok);
        assert_eq!(call(|| Err(hooksig_result::NoSignature)), hooksig_result::NoSignature);
        assert_eq!(guard(7, || panic!("boom")), 7);
    }
}
