//! hooksig-ffi: the C ABI of hooksig (header: `include/hooksig.h`; PHP uses
//! `include/hooksig_php.h` through FFI). Conventions are in `README.md`.
//!
//! This crate only converts: C pointers and lengths in, a call into the
//! `hooksig` core, `hooksig_result` out. Every export runs inside
//! [`ffi::call`]/[`ffi::guard`], the one panic boundary.

#![allow(non_camel_case_types, reason = "C type names follow the hooksig_ prefix convention")]
#![allow(unsafe_code, reason = "a C ABI: every unsafe block is commented, every unsafe fn has a # Safety contract")]

mod ffi;
mod packed;
mod result;

use core::ffi::c_char;
use std::time::{SystemTime, UNIX_EPOCH};

use hooksig::{Profile, SignedHeaders, Tolerance, Verified, Verifier};

use crate::ffi::{call, guard, optional_text, out, reference, slice, text};
pub use crate::result::hooksig_result;

/// A verifier: a profile with its secrets validated and keyed once. Opaque;
/// created by `hooksig_verifier_new`, destroyed by `hooksig_verifier_free`.
/// Immutable once built: share it between threads freely.
#[derive(Debug)]
pub struct hooksig_verifier {
    inner: Verifier,
}

/// Bytes given by the caller: `len` bytes at `ptr` (`ptr` may be NULL when `len` is 0).
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_bytes {
    /// First byte.
    pub ptr: *const u8,
    /// Number of bytes.
    pub len: usize,
}

/// One HTTP header: name and value as bytes with lengths (not NUL-terminated).
/// Input to verification; output of signing (then pointing into the caller's buffer).
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_header {
    /// The name, any case; `-`/`_` alike; CGI names (`HTTP_X_...`) accepted.
    pub name: *const u8,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// The value as received.
    pub value: *const u8,
    /// Length of `value` in bytes.
    pub value_len: usize,
}

/// The timestamp window. All-zero means "exactly now" (strictest), never "off";
/// `hooksig_tolerance_default()` gives 300 s either way.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_tolerance {
    /// True: no timestamp check at all (for replaying stored deliveries); `past`/`future` must be 0.
    pub disabled: bool,
    /// Seconds a timestamp may lie in the past.
    pub past: u64,
    /// Seconds a timestamp may lie in the future.
    pub future: u64,
}

/// Longest scheme name copied into `hooksig_verified.scheme`, NUL included.
const SCHEME_CAP: usize = 32;

/// A successful verification (written only when the call returns `HOOKSIG_RESULT_OK`).
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_verified {
    /// Which secret matched (0-based, in the order given).
    pub secret_index: usize,
    /// True if the scheme has a timestamp; then `timestamp` holds it.
    pub has_timestamp: bool,
    /// The signed timestamp (Unix seconds), 0 when `has_timestamp` is false.
    pub timestamp: u64,
    /// The delivery id (what to de-duplicate on): points INTO the value of one
    /// of the caller's headers (not NUL-terminated), valid as long as that
    /// header value is. NULL when the scheme has no id or none was sent.
    pub id: *const u8,
    /// Length of `id` in bytes (0 when `id` is NULL).
    pub id_len: usize,
    /// The profile's canonical name, NUL-terminated (`"stripe"`, `"custom"`…).
    pub scheme: [c_char; 32],
}

/// Headers produced by `hooksig_sign`/`hooksig_sign_request`: `len` (1 to 3)
/// entries whose pointers point into the caller's buffer.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_signed_headers {
    /// The headers in sending order; names and values are also NUL-terminated in the buffer.
    pub headers: [hooksig_header; 3],
    /// How many entries of `headers` are set.
    pub len: usize,
}

/// The library version, a static NUL-terminated string such as `"0.1.0"`.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_version() -> *const c_char {
    guard(c"".as_ptr(), || concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast())
}

/// The code string of a `hooksig_result` (`"OK"`, `"SIGNATURE_MISMATCH"`,
/// `"NULL_ARGUMENT"`…; `"UNKNOWN"` for any other number). Static, NUL-terminated, never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_result_code(result: u32) -> *const c_char {
    guard(c"PANIC".as_ptr(), || result::code(result))
}

/// A one-line English message for a `hooksig_result`. Static, NUL-terminated, never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_result_message(result: u32) -> *const c_char {
    guard(c"panic".as_ptr(), || result::message(result))
}

/// The HTTP status a webhook endpoint should answer with for a result:
/// 200 for OK, 400 for broken requests, 401 for unauthentic or stale ones,
/// 500 for configuration or programming errors (and unknown values).
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_result_http_status(result: u32) -> u16 {
    guard(500, || result::http_status(result))
}

/// The default window: 300 s in the past and 300 s in the future.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_tolerance_default() -> hooksig_tolerance {
    const DEFAULT: hooksig_tolerance = to_c_tolerance(Tolerance::DEFAULT);
    guard(DEFAULT, || DEFAULT)
}

/// The window from the options every binding offers (the core's
/// `Tolerance::from_options`): `has_tolerance`/`tolerance` seconds either way
/// (`has_tolerance = false` disables the window), optionally overriding one side
/// with `has_past`/`past` or `has_future`/`future`. Writes `*out` on success.
///
/// Returns `INVALID_ARGUMENT` if a side is given while the window is disabled.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_tolerance_from_options(
    has_tolerance: bool,
    tolerance: u64,
    has_past: bool,
    past: u64,
    has_future: bool,
    future: u64,
    out: *mut hooksig_tolerance,
) -> hooksig_result {
    call(|| {
        let out = ffi::out(out)?;
        let window = Tolerance::from_options(
            has_tolerance.then_some(tolerance),
            has_past.then_some(past),
            has_future.then_some(future),
        )?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.write(to_c_tolerance(window)) };
        Ok(())
    })
}

/// Builds a verifier for `profile` (a name such as `"stripe"` or a
/// `custom;…` description, `profile_len` bytes, UTF-8) with 1 to 8 secrets
/// (tried in order) and a timestamp window, and writes it to `*out_verifier`.
///
/// Returns `INVALID_ARGUMENT` (unknown profile, 0 or over 8 secrets, `disabled`
/// with a non-zero side), `INVALID_SECRET`, or `NULL_ARGUMENT`.
///
/// # Safety
/// `profile` points to `profile_len` bytes; `secrets` to `secrets_len`
/// `hooksig_bytes`, each pointing to its `len` bytes; `tolerance` to a valid
/// struct; `out_verifier` is writable. None is retained after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_new(
    profile: *const c_char,
    profile_len: usize,
    secrets: *const hooksig_bytes,
    secrets_len: usize,
    tolerance: *const hooksig_tolerance,
    out_verifier: *mut *mut hooksig_verifier,
) -> hooksig_result {
    call(|| {
        let out_verifier = out(out_verifier)?;
        // SAFETY: the caller's contract above.
        let (profile, secrets, tolerance) =
            unsafe { (text(profile, profile_len)?, secret_list(secrets, secrets_len)?, reference(tolerance)?) };
        let verifier = Verifier::new(Profile::parse(profile)?, &secrets)?.with_tolerance(from_c_tolerance(tolerance)?);
        let boxed = Box::into_raw(Box::new(hooksig_verifier { inner: verifier }));
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out_verifier.write(boxed) };
        Ok(())
    })
}

/// Frees a verifier. `hooksig_verifier_free(NULL)` does nothing.
///
/// # Safety
/// `verifier` is NULL or a pointer from `hooksig_verifier_new` not yet freed;
/// it must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_free(verifier: *mut hooksig_verifier) {
    guard((), || {
        if !verifier.is_null() {
            // SAFETY: came from Box::into_raw in hooksig_verifier_new and is freed once (contract).
            drop(unsafe { Box::from_raw(verifier) });
        }
    });
}

/// Verifies a webhook delivery: `headers_len` headers as received, the raw
/// body, and `now` (Unix seconds). On `HOOKSIG_RESULT_OK` writes `*out`;
/// otherwise `*out` is untouched and the result is the first applicable code.
///
/// # Safety
/// `verifier` comes from `hooksig_verifier_new`; `headers` points to
/// `headers_len` `hooksig_header`s whose names and values point to their
/// lengths in bytes; `body` to `body_len` bytes; `out` is writable. `out->id`
/// points into the caller's header values afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify(
    verifier: *const hooksig_verifier,
    headers: *const hooksig_header,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    now: u64,
    out: *mut hooksig_verified,
) -> hooksig_result {
    call(|| {
        let out = ffi::out(out)?;
        // SAFETY: the caller's contract above.
        let (verifier, headers, body) =
            unsafe { (reference(verifier)?, header_list(headers, headers_len)?, slice(body, body_len)?) };
        let verified = verifier.inner.verify(&headers, body, now)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.write(to_c(&verified)) };
        Ok(())
    })
}

/// `hooksig_verifier_verify` with `now` read from the system clock.
///
/// # Safety
/// As `hooksig_verifier_verify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify_now(
    verifier: *const hooksig_verifier,
    headers: *const hooksig_header,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    out: *mut hooksig_verified,
) -> hooksig_result {
    // SAFETY: forwarded contract.
    unsafe { hooksig_verifier_verify(verifier, headers, headers_len, body, body_len, system_now(), out) }
}

/// Verifies a signed request (`unknownpay-s2s`): as `hooksig_verifier_verify`,
/// plus the request `method` and `path_and_query` (UTF-8, exactly as sent).
///
/// # Safety
/// As `hooksig_verifier_verify`; `method` and `path_and_query` point to their lengths in bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify_request(
    verifier: *const hooksig_verifier,
    headers: *const hooksig_header,
    headers_len: usize,
    body: *const u8,
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
        let (verifier, headers, body, method, path) = unsafe {
            (
                reference(verifier)?,
                header_list(headers, headers_len)?,
                slice(body, body_len)?,
                text(method, method_len)?,
                text(path_and_query, path_and_query_len)?,
            )
        };
        let verified = verifier.inner.verify_request(&headers, body, method, path, now)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.write(to_c(&verified)) };
        Ok(())
    })
}

/// `hooksig_verifier_verify_request` with `now` read from the system clock.
///
/// # Safety
/// As `hooksig_verifier_verify_request`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify_request_now(
    verifier: *const hooksig_verifier,
    headers: *const hooksig_header,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    method: *const c_char,
    method_len: usize,
    path_and_query: *const c_char,
    path_and_query_len: usize,
    out: *mut hooksig_verified,
) -> hooksig_result {
    // SAFETY: forwarded contract.
    unsafe {
        hooksig_verifier_verify_request(
            verifier,
            headers,
            headers_len,
            body,
            body_len,
            method,
            method_len,
            path_and_query,
            path_and_query_len,
            system_now(),
            out,
        )
    }
}

/// One-shot verification with the default window (300 s either way). Prefer a
/// long-lived verifier in a server: it keys the secrets once.
///
/// # Safety
/// As `hooksig_verifier_new` (profile, secrets) and `hooksig_verifier_verify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verify(
    profile: *const c_char,
    profile_len: usize,
    secrets: *const hooksig_bytes,
    secrets_len: usize,
    headers: *const hooksig_header,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    now: u64,
    out: *mut hooksig_verified,
) -> hooksig_result {
    call(|| {
        let out = ffi::out(out)?;
        // SAFETY: the caller's contract above.
        let (profile, secrets, headers, body) = unsafe {
            (
                text(profile, profile_len)?,
                secret_list(secrets, secrets_len)?,
                header_list(headers, headers_len)?,
                slice(body, body_len)?,
            )
        };
        let verified = hooksig::verify(Profile::parse(profile)?, &secrets, &headers, body, now)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.write(to_c(&verified)) };
        Ok(())
    })
}

/// Signs a webhook the way `profile`'s provider does. `has_timestamp`/
/// `timestamp` is required by schemes with a timestamp and ignored by the
/// others; `id` (NULL with length 0 = none) becomes the delivery-id header.
///
/// The headers are written into `buf` (`buf_len` bytes; each name and value
/// NUL-terminated) and described by `*out_headers`. `*out_needed` receives
/// the bytes needed; it is written on `OK` and on `BUFFER_TOO_SMALL` (then
/// nothing else is written). Pass `buf = NULL, buf_len = 0` to query the size.
///
/// # Safety
/// Each input pointer points to its length in bytes; `buf` to `buf_len`
/// writable bytes; `out_needed` and `out_headers` are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign(
    profile: *const c_char,
    profile_len: usize,
    secret: *const u8,
    secret_len: usize,
    body: *const u8,
    body_len: usize,
    has_timestamp: bool,
    timestamp: u64,
    id: *const c_char,
    id_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_needed: *mut usize,
    out_headers: *mut hooksig_signed_headers,
) -> hooksig_result {
    call(|| {
        let (out_needed, out_headers) = (out(out_needed)?, out(out_headers)?);
        // SAFETY: the caller's contract above.
        let (profile, secret, body, id) = unsafe {
            (
                text(profile, profile_len)?,
                slice(secret, secret_len)?,
                slice(body, body_len)?,
                optional_text(id, id_len)?,
            )
        };
        let profile = Profile::parse(profile)?;
        let signed = hooksig::sign(&profile, secret, body, has_timestamp.then_some(timestamp), id)?;
        // SAFETY: the caller's contract above.
        unsafe { write_headers(&signed, buf, buf_len, out_needed, out_headers) }
    })
}

/// Signs a server-to-server request (`unknownpay-s2s`): `X-Signature` over
/// `METHOD\npath_and_query\ntimestamp\nsha256hex(body)`, with `X-Timestamp`
/// and, when `key_id` is given (NULL with length 0 = none), `X-Api-Key`.
/// Output as `hooksig_sign`.
///
/// # Safety
/// As `hooksig_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign_request(
    secret: *const u8,
    secret_len: usize,
    method: *const c_char,
    method_len: usize,
    path_and_query: *const c_char,
    path_and_query_len: usize,
    body: *const u8,
    body_len: usize,
    timestamp: u64,
    key_id: *const c_char,
    key_id_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_needed: *mut usize,
    out_headers: *mut hooksig_signed_headers,
) -> hooksig_result {
    call(|| {
        let (out_needed, out_headers) = (out(out_needed)?, out(out_headers)?);
        // SAFETY: the caller's contract above.
        let (secret, method, path, body, key_id) = unsafe {
            (
                slice(secret, secret_len)?,
                text(method, method_len)?,
                text(path_and_query, path_and_query_len)?,
                slice(body, body_len)?,
                optional_text(key_id, key_id_len)?,
            )
        };
        let signed = hooksig::sign_request(secret, method, path, body, timestamp, key_id)?;
        // SAFETY: the caller's contract above.
        unsafe { write_headers(&signed, buf, buf_len, out_needed, out_headers) }
    })
}

/// Explains a delivery: why it fails to verify, as findings (a secret with a
/// trailing newline, a re-serialised body, a clock that is off…). Inputs are
/// those of `hooksig_verify` plus the window `tolerance`, and `method` /
/// `path_and_query` for a signed request (`unknownpay-s2s`; both NULL with
/// length 0 otherwise). `has_now = false` reads the system clock.
///
/// Writes the explanation as NUL-terminated JSON into `buf` (`buf_len` bytes):
/// `{"verdict": "OK" | code, "secret_index": n | null, "findings": [{"code",
/// "message", "fields": {…}}]}` (built by the core), and the verdict as a
/// `hooksig_result` to `*out_verdict`. `*out_needed` (bytes, NUL included) and
/// `*out_verdict` are written on `OK` and on `BUFFER_TOO_SMALL` (then `buf` is
/// untouched); pass `buf = NULL, buf_len = 0` to query the size.
///
/// A failed verification is NOT an error here: the call returns `OK` and the
/// verdict carries the code. Errors are for the arguments: `NULL_ARGUMENT`,
/// `INVALID_ARGUMENT` (unknown profile, non-UTF-8 text, a disabled window with
/// a side, only one of method/path), `BUFFER_TOO_SMALL`.
///
/// # Safety
/// As `hooksig_verify` for profile, secrets, headers and body; `tolerance`
/// points to a valid struct; `method`/`path_and_query` point to their lengths
/// in bytes (or are NULL with length 0); `buf` points to `buf_len` writable
/// bytes; `out_needed` and `out_verdict` are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_explain(
    profile: *const c_char,
    profile_len: usize,
    secrets: *const hooksig_bytes,
    secrets_len: usize,
    tolerance: *const hooksig_tolerance,
    headers: *const hooksig_header,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    method: *const c_char,
    method_len: usize,
    path_and_query: *const c_char,
    path_and_query_len: usize,
    has_now: bool,
    now: u64,
    buf: *mut c_char,
    buf_len: usize,
    out_needed: *mut usize,
    out_verdict: *mut hooksig_result,
) -> hooksig_result {
    call(|| {
        let (out_needed, out_verdict) = (out(out_needed)?, out(out_verdict)?);
        // SAFETY: the caller's contract above.
        let (profile, secrets, tolerance, headers, body, method, path) = unsafe {
            (
                text(profile, profile_len)?,
                secret_list(secrets, secrets_len)?,
                reference(tolerance)?,
                header_list(headers, headers_len)?,
                slice(body, body_len)?,
                optional_text(method, method_len)?,
                optional_text(path_and_query, path_and_query_len)?,
            )
        };
        let request = match (method, path) {
            (Some(method), Some(path)) => Some((method, path)),
            (None, None) => None,
            _ => return Err(hooksig_result::InvalidArgument),
        };
        let now = if has_now { now } else { system_now() };
        let explanation = hooksig::explain(
            &Profile::parse(profile)?,
            &secrets,
            from_c_tolerance(tolerance)?,
            &headers,
            body,
            request,
            now,
        );
        let json = explanation.to_json();
        let verdict = explanation.verdict.map_or_else(hooksig_result::from, |_| hooksig_result::Ok);
        // SAFETY: both checked non-NULL; writable by contract.
        unsafe {
            out_needed.write(json.len() + 1);
            out_verdict.write(verdict);
        }
        if buf_len <= json.len() {
            return Err(hooksig_result::BufferTooSmall);
        }
        if buf.is_null() {
            return Err(hooksig_result::NullArgument);
        }
        // SAFETY: non-NULL, `buf_len` writable bytes by contract, not aliased during this call.
        let buf = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), buf_len) };
        copy_nul_terminated(buf, json.as_bytes()).map(|_| ())
    })
}

/// The core's window from the C struct; `disabled` with a non-zero side is `INVALID_ARGUMENT`.
fn from_c_tolerance(tolerance: &hooksig_tolerance) -> Result<Tolerance, hooksig_result> {
    match *tolerance {
        hooksig_tolerance { disabled: true, past: 0, future: 0 } => Ok(Tolerance::Disabled),
        hooksig_tolerance { disabled: false, past, future } => Ok(Tolerance::Window { past, future }),
        hooksig_tolerance { disabled: true, .. } => Err(hooksig_result::InvalidArgument),
    }
}

const fn to_c_tolerance(tolerance: Tolerance) -> hooksig_tolerance {
    match tolerance {
        Tolerance::Window { past, future } => hooksig_tolerance { disabled: false, past, future },
        Tolerance::Disabled => hooksig_tolerance { disabled: true, past: 0, future: 0 },
    }
}

fn system_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

/// # Safety
/// As `slice` for the array and for each entry.
unsafe fn secret_list<'a>(secrets: *const hooksig_bytes, len: usize) -> Result<Vec<&'a [u8]>, hooksig_result> {
    // SAFETY: forwarded contract.
    let entries = unsafe { slice(secrets, len) }?;
    // SAFETY: forwarded contract.
    entries.iter().map(|s| unsafe { slice(s.ptr, s.len) }).collect()
}

type HeaderPair<'a> = (&'a [u8], &'a [u8]);

/// # Safety
/// As `slice` for the array and for each name and value.
unsafe fn header_list<'a>(headers: *const hooksig_header, len: usize) -> Result<Vec<HeaderPair<'a>>, hooksig_result> {
    // SAFETY: forwarded contract.
    let entries = unsafe { slice(headers, len) }?;
    entries
        .iter()
        // SAFETY: forwarded contract.
        .map(|h| unsafe { Ok((slice(h.name, h.name_len)?, slice(h.value, h.value_len)?)) })
        .collect()
}

fn to_c(verified: &Verified<'_>) -> hooksig_verified {
    let mut scheme = [0; SCHEME_CAP];
    let name = verified.scheme.as_bytes();
    for (slot, byte) in scheme.iter_mut().zip(name.iter().take(SCHEME_CAP - 1)) {
        *slot = *byte as c_char;
    }
    let (id, id_len) = verified.id.map_or((core::ptr::null(), 0), |id| (id.as_ptr(), id.len()));
    hooksig_verified {
        secret_index: verified.secret_index,
        has_timestamp: verified.timestamp.is_some(),
        timestamp: verified.timestamp.unwrap_or(0),
        id,
        id_len,
        scheme,
    }
}

/// Copies signed headers into the caller's buffer (each name and value
/// NUL-terminated) and describes them in `*out_headers`.
///
/// # Safety
/// `buf` points to `buf_len` writable bytes (or is NULL with `buf_len` 0);
/// `out_needed` and `out_headers` are non-NULL and writable.
unsafe fn write_headers(
    signed: &SignedHeaders<'_>,
    buf: *mut u8,
    buf_len: usize,
    out_needed: *mut usize,
    out_headers: *mut hooksig_signed_headers,
) -> Result<(), hooksig_result> {
    let needed: usize = signed.iter().map(|h| h.name().len() + h.value().len() + 2).sum();
    // SAFETY: non-NULL and writable (contract).
    unsafe { out_needed.write(needed) };
    if buf_len < needed {
        return Err(hooksig_result::BufferTooSmall);
    }
    if buf.is_null() {
        return Err(hooksig_result::NullArgument);
    }
    // SAFETY: non-NULL, `buf_len` writable bytes by contract, not aliased during this call.
    let mut rest = unsafe { core::slice::from_raw_parts_mut(buf, buf_len) };
    let empty = hooksig_header { name: core::ptr::null(), name_len: 0, value: core::ptr::null(), value_len: 0 };
    let mut result = hooksig_signed_headers { headers: [empty; 3], len: 0 };
    for (slot, header) in result.headers.iter_mut().zip(signed.iter()) {
        let (name, after) = copy_nul_terminated(rest, header.name().as_bytes())?;
        let (value, after) = copy_nul_terminated(after, header.value().as_bytes())?;
        rest = after;
        *slot =
            hooksig_header { name: name.as_ptr(), name_len: name.len(), value: value.as_ptr(), value_len: value.len() };
        result.len += 1;
    }
    // SAFETY: non-NULL and writable (contract).
    unsafe { out_headers.write(result) };
    Ok(())
}

/// Writes `text` and a NUL at the start of `buf`; returns the written text and the rest.
fn copy_nul_terminated<'b>(buf: &'b mut [u8], text: &[u8]) -> Result<(&'b [u8], &'b mut [u8]), hooksig_result> {
    let (head, rest) = buf.split_at_mut_checked(text.len() + 1).ok_or(hooksig_result::BufferTooSmall)?;
    let (copy, nul) = head.split_at_mut(text.len());
    copy.copy_from_slice(text);
    nul.fill(0);
    Ok((copy, rest))
}
