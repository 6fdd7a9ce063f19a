//! hooksig for WebAssembly: the module behind the npm package's edge build
//! (`bindings-node/edge/`), for Cloudflare Workers (workerd), Vercel Edge,
//! Deno and browsers.
//!
//! Plain `extern "C"` functions over linear memory, no generated glue: the
//! JavaScript side (`bindings-node/edge/api.mjs`) copies its arguments into
//! memory it got from [`hs_alloc`] and passes pointers and lengths; each
//! function turns them into slices, calls one core function and writes the
//! result to an out-pointer. Every decision (profiles, windows, request
//! lines, the verdict, the error, the explain JSON) is the core's.
//!
//! Conventions, shared with `api.mjs`:
//! - a status `i32`: `0` for success, else the core's
//!   [`compact_error`](hooksig::compact::compact_error) (`-(1 + position in Error::ALL)`);
//! - an optional text is a null pointer when absent;
//! - a list (secrets, headers) is an array of [`Span`]s (headers: name, value, name, value…);
//! - a window option is a kind (`0` absent, `1` null, `2` a number, else
//!   invalid) and the number, for [`Tolerance::from_args`];
//! - bytes handed back (sign's headers, explain's JSON) are in a block from
//!   [`hs_alloc`] whose pointer and length are written to `out`; the caller
//!   frees it with [`hs_free`].
//!
//! The target has no threads and no clock: `now` always comes from the caller.

// The module's ABI is raw pointers from JavaScript: each function is
// `unsafe` with its contract documented, and every dereference is here.
#![allow(unsafe_code)]

use core::alloc::Layout;

use hooksig::compact::compact_error;
use hooksig::{Error, Profile, RequestLine, SignOptions, Tolerance, Verifier, WindowArg};

/// A byte string in linear memory, as the caller writes it: two 32-bit
/// words on wasm32.
#[repr(C)]
#[derive(Copy, Clone, Debug)]
pub struct Span {
    ptr: *const u8,
    len: usize,
}

/// What [`hs_verify`] writes on success (96 bytes on wasm32; `api.mjs` reads
/// these offsets: 0, 4, 8, 12, 16, 20, 24, 32).
#[repr(C)]
#[derive(Debug)]
pub struct VerifiedOut {
    secret_index: u32,
    /// Bit 0: `timestamp` is set; bit 1: `id` is set; bit 2: the MAC covers the id.
    flags: u32,
    /// The id: a slice of one of the header values the caller passed.
    id: *const u8,
    id_len: usize,
    /// The scheme name (static in the module).
    scheme: *const u8,
    scheme_len: usize,
    /// Unix seconds (at most 12 digits: exact in an f64).
    timestamp: f64,
    /// [`ReplayKey::to_hex`](hooksig::ReplayKey::to_hex): 64 lowercase hex digits.
    replay_key: [u8; 64],
}

/// The one layout of every block [`hs_alloc`] hands out.
fn layout(len: usize) -> Option<Layout> {
    Layout::from_size_align(len.max(1), 8).ok()
}

/// Memory for the caller to write arguments into (8-aligned), or null.
#[unsafe(no_mangle)]
pub extern "C" fn hs_alloc(len: usize) -> *mut u8 {
    match layout(len) {
        // SAFETY: the layout's size is at least 1.
        Some(layout) => unsafe { std::alloc::alloc(layout) },
        None => core::ptr::null_mut(),
    }
}

/// Frees a block from [`hs_alloc`] (or one handed back in `out`).
///
/// # Safety
/// `ptr` came from [`hs_alloc`] with this `len` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hs_free(ptr: *mut u8, len: usize) {
    if let (false, Some(layout)) = (ptr.is_null(), layout(len)) {
        // SAFETY: the caller's contract: allocated by `hs_alloc` with this layout.
        unsafe { std::alloc::dealloc(ptr, layout) }
    }
}

/// # Safety
/// `ptr` is valid for `len` bytes (or `len` is 0) for `'a`.
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 || ptr.is_null() {
        return &[];
    }
    // SAFETY: the caller's contract.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// An optional text: null is absent; text that is not UTF-8 (the caller
/// encodes JS strings, so never) is a bad argument.
///
/// # Safety
/// As [`bytes`].
unsafe fn text<'a>(ptr: *const u8, len: usize) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's contract.
    core::str::from_utf8(unsafe { bytes(ptr, len) }).map(Some).map_err(|_| Error::InvalidArgument)
}

/// # Safety
/// `ptr` points to `count` [`Span`]s, each valid as [`bytes`] requires.
unsafe fn spans<'a>(ptr: *const Span, count: usize) -> Vec<&'a [u8]> {
    if count == 0 || ptr.is_null() {
        return Vec::new();
    }
    // SAFETY: the caller's contract.
    let spans = unsafe { core::slice::from_raw_parts(ptr, count) };
    // SAFETY: the caller's contract, for each span.
    spans.iter().map(|span| unsafe { bytes(span.ptr, span.len) }).collect()
}

/// Header pairs from `2 * count` spans (name, value, name, value…).
///
/// # Safety
/// As [`spans`], with `2 * count` spans.
unsafe fn pairs<'a>(ptr: *const Span, count: usize) -> Vec<(&'a [u8], &'a [u8])> {
    // SAFETY: the caller's contract.
    let spans = unsafe { spans(ptr, count.saturating_mul(2)) };
    spans.chunks_exact(2).filter_map(|pair| pair.first().zip(pair.get(1))).map(|(n, v)| (*n, *v)).collect()
}

/// A profile name (`Profile::parse` decides).
///
/// # Safety
/// As [`bytes`].
unsafe fn profile(ptr: *const u8, len: usize) -> Result<Profile, Error> {
    // SAFETY: the caller's contract.
    Profile::parse(unsafe { text(ptr, len) }?.ok_or(Error::InvalidArgument)?)
}

/// A JS window option as the core takes it.
fn window(kind: u32, value: f64) -> WindowArg {
    match kind {
        0 => WindowArg::Absent,
        1 => WindowArg::Null,
        2 => WindowArg::Float(value),
        _ => WindowArg::Invalid,
    }
}

/// A whole number of seconds, as a JS number holds exactly (Node's rule for
/// `now` and `timestamp`): anything else is a bad argument.
fn whole(n: f64) -> Result<u64, Error> {
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked just above
        Ok(n as u64)
    } else {
        Err(Error::InvalidArgument)
    }
}

/// The status for `result`.
fn status(result: Result<(), Error>) -> i32 {
    match result {
        Ok(()) => 0,
        // The positions of Error::ALL are small; -1000 is never one.
        Err(error) => i32::try_from(compact_error(error)).unwrap_or(-1000),
    }
}

/// Copies `data` into a new block and writes its pointer and length to `out`.
///
/// # Safety
/// `out` is valid for writing two `usize`s.
unsafe fn give(data: &[u8], out: *mut usize) -> Result<(), Error> {
    let block = hs_alloc(data.len());
    if block.is_null() {
        return Err(Error::Internal);
    }
    // SAFETY: `block` has room for `data.len()` bytes and is fresh; `out`: the caller's contract.
    unsafe {
        core::ptr::copy_nonoverlapping(data.as_ptr(), block, data.len());
        out.write(block as usize);
        out.add(1).write(data.len());
    }
    Ok(())
}

/// Builds a verifier; its handle (free it with [`hs_verifier_free`]) is
/// written to `out`.
///
/// # Safety
/// Every pointer/length pair is valid as the module's conventions say;
/// `out` is valid for writing a pointer.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hs_verifier_new(
    profile_ptr: *const u8,
    profile_len: usize,
    secrets: *const Span,
    secret_count: usize,
    tolerance: u32,
    tolerance_value: f64,
    past: u32,
    past_value: f64,
    future: u32,
    future_value: f64,
    out: *mut *mut Verifier,
) -> i32 {
    status((|| {
        let window = Tolerance::from_args(
            window(tolerance, tolerance_value),
            window(past, past_value),
            window(future, future_value),
        )?;
        // SAFETY: the caller's contract.
        let profile = unsafe { profile(profile_ptr, profile_len) }?;
        // SAFETY: the caller's contract.
        let secrets = unsafe { spans(secrets, secret_count) };
        let verifier = Verifier::new(profile, &secrets)?.with_tolerance(window);
        // SAFETY: the caller's contract.
        unsafe { out.write(Box::into_raw(Box::new(verifier))) };
        Ok(())
    })())
}

/// Frees a verifier from [`hs_verifier_new`].
///
/// # Safety
/// `verifier` came from [`hs_verifier_new`] and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hs_verifier_free(verifier: *mut Verifier) {
    if !verifier.is_null() {
        // SAFETY: the caller's contract: a live handle from `Box::into_raw`.
        drop(unsafe { Box::from_raw(verifier) });
    }
}

/// `1` if the verifier reads a header of this name (the core's
/// `wants_header`): the caller may leave out every other header.
///
/// # Safety
/// `verifier` is live; `name` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hs_wants_header(verifier: *const Verifier, name: *const u8, len: usize) -> u32 {
    // SAFETY: the caller's contract.
    match unsafe { verifier.as_ref() } {
        // SAFETY: the caller's contract.
        Some(verifier) => u32::from(verifier.wants_header(unsafe { bytes(name, len) })),
        None => 0,
    }
}

/// Verifies a delivery (`Verifier::verify_request`); on success writes a
/// [`VerifiedOut`] to `out`.
///
/// # Safety
/// `verifier` is live; every pointer/length pair is valid as the module's
/// conventions say; `out` is valid for writing a [`VerifiedOut`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hs_verify(
    verifier: *const Verifier,
    headers: *const Span,
    header_count: usize,
    body: *const u8,
    body_len: usize,
    method: *const u8,
    method_len: usize,
    path: *const u8,
    path_len: usize,
    now: f64,
    out: *mut VerifiedOut,
) -> i32 {
    status((|| {
        // SAFETY: the caller's contract.
        let verifier = unsafe { verifier.as_ref() }.ok_or(Error::InvalidArgument)?;
        let now = whole(now)?;
        // SAFETY: the caller's contract.
        let line = RequestLine::from_parts(unsafe { text(method, method_len) }?, unsafe { text(path, path_len) }?)?;
        // SAFETY: the caller's contract.
        let headers = unsafe { pairs(headers, header_count) };
        // SAFETY: the caller's contract.
        let v = verifier.verify_request(&headers, unsafe { bytes(body, body_len) }, line, now)?;
        let flags = u32::from(v.timestamp.is_some()) | u32::from(v.id.is_some()) << 1 | u32::from(v.id_signed) << 2;
        let id = v.id.unwrap_or_default();
        #[allow(clippy::cast_precision_loss)] // at most 12 digits
        let result = VerifiedOut {
            secret_index: u32::try_from(v.secret_index).map_err(|_| Error::Internal)?,
            flags,
            id: id.as_ptr(),
            id_len: id.len(),
            scheme: v.scheme.as_ptr(),
            scheme_len: v.scheme.len(),
            timestamp: v.timestamp.unwrap_or_default() as f64,
            replay_key: v.replay_key.to_hex(),
        };
        // SAFETY: the caller's contract.
        unsafe { out.write(result) };
        Ok(())
    })())
}

/// Signs (`hooksig::sign`); the headers are handed back in `out` as
/// `(u32 LE length, bytes)` for name, value, name, value…
///
/// # Safety
/// Every pointer/length pair is valid as the module's conventions say;
/// `out` is valid for writing two `usize`s.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hs_sign(
    profile_ptr: *const u8,
    profile_len: usize,
    secret: *const u8,
    secret_len: usize,
    body: *const u8,
    body_len: usize,
    has_timestamp: u32,
    timestamp: f64,
    id: *const u8,
    id_len: usize,
    method: *const u8,
    method_len: usize,
    path: *const u8,
    path_len: usize,
    key_id: *const u8,
    key_id_len: usize,
    out: *mut usize,
) -> i32 {
    status((|| {
        // SAFETY: the caller's contract.
        let profile = unsafe { profile(profile_ptr, profile_len) }?;
        let timestamp = if has_timestamp == 0 { None } else { Some(whole(timestamp)?) };
        // SAFETY: the caller's contract.
        let request = RequestLine::from_parts(unsafe { text(method, method_len) }?, unsafe { text(path, path_len) }?)?;
        // SAFETY: the caller's contract.
        let (id, key_id) = unsafe { (text(id, id_len)?, text(key_id, key_id_len)?) };
        let options = SignOptions { timestamp, id, request, key_id };
        // SAFETY: the caller's contract.
        let signed =
            hooksig::sign(&profile, unsafe { bytes(secret, secret_len) }, unsafe { bytes(body, body_len) }, options)?;
        let mut data = Vec::new();
        for header in signed.iter() {
            for part in [header.name(), header.value()] {
                data.extend_from_slice(&u32::try_from(part.len()).map_err(|_| Error::Internal)?.to_le_bytes());
                data.extend_from_slice(part.as_bytes());
            }
        }
        // SAFETY: the caller's contract.
        unsafe { give(&data, out) }
    })())
}

/// Explains a delivery (`hooksig::explain`); `Explanation::to_json` is
/// handed back in `out`.
///
/// # Safety
/// Every pointer/length pair is valid as the module's conventions say;
/// `out` is valid for writing two `usize`s.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hs_explain(
    profile_ptr: *const u8,
    profile_len: usize,
    secrets: *const Span,
    secret_count: usize,
    tolerance: u32,
    tolerance_value: f64,
    past: u32,
    past_value: f64,
    future: u32,
    future_value: f64,
    headers: *const Span,
    header_count: usize,
    body: *const u8,
    body_len: usize,
    method: *const u8,
    method_len: usize,
    path: *const u8,
    path_len: usize,
    now: f64,
    out: *mut usize,
) -> i32 {
    status((|| {
        // SAFETY: the caller's contract.
        let profile = unsafe { profile(profile_ptr, profile_len) }?;
        let window = Tolerance::from_args(
            window(tolerance, tolerance_value),
            window(past, past_value),
            window(future, future_value),
        )?;
        let now = whole(now)?;
        // SAFETY: the caller's contract.
        let request = RequestLine::from_parts(unsafe { text(method, method_len) }?, unsafe { text(path, path_len) }?)?;
        // SAFETY: the caller's contract.
        let (secrets, headers, body) =
            unsafe { (spans(secrets, secret_count), pairs(headers, header_count), bytes(body, body_len)) };
        let json = hooksig::explain(&profile, &secrets, window, &headers, body, request, now).to_json();
        // SAFETY: the caller's contract.
        unsafe { give(json.as_bytes(), out) }
    })())
}

/// The error at `position` in `Error::ALL` (the order of the status codes):
/// writes its code's and message's pointers and lengths (static) to `out`
/// and returns its HTTP status; `0` past the end.
///
/// # Safety
/// `out` is valid for writing four `usize`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hs_error_info(position: usize, out: *mut usize) -> u32 {
    let Some(error) = Error::ALL.get(position) else { return 0 };
    let (code, message) = (error.code(), error.message());
    // SAFETY: the caller's contract.
    unsafe {
        out.write(code.as_ptr() as usize);
        out.add(1).write(code.len());
        out.add(2).write(message.as_ptr() as usize);
        out.add(3).write(message.len());
    }
    u32::from(error.http_status())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_only() {
        assert_eq!(whole(1_700_000_000.0), Ok(1_700_000_000));
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, 1e300] {
            assert_eq!(whole(bad), Err(Error::InvalidArgument), "{bad}");
        }
    }

    #[test]
    fn window_kinds() {
        assert_eq!(window(0, 5.0), WindowArg::Absent);
        assert_eq!(window(1, 5.0), WindowArg::Null);
        assert_eq!(window(2, 5.0), WindowArg::Float(5.0));
        assert_eq!(window(3, 5.0), WindowArg::Invalid);
    }

    #[test]
    fn status_is_the_compact_error() {
        assert_eq!(status(Ok(())), 0);
        assert_eq!(status(Err(Error::MissingHeader)), -1);
        assert_eq!(status(Err(Error::InvalidArgument)), -9);
    }
}
