//! hooksig-ffi: the C ABI of hooksig (header: `include/hooksig.h`; PHP uses
//! `include/hooksig_php.h` through FFI). Conventions are in `README.md`.
//!
//! This crate only converts: C pointers and lengths in, a call into the
//! `hooksig` core, `hooksig_result` out. Every export runs inside
//! [`ffi::call`]/[`ffi::guard`], the one panic boundary.
//!
//! Strings, one convention: text the library returns by pointer is
//! NUL-terminated and borrowed, never the caller's to free: static (codes,
//! messages, version), or owned by the verifier it came from
//! (`hooksig_verifier_scheme`), or inside the caller's own input
//! (`hooksig_verified.id`). Text the library builds on request (signed
//! headers, explanations) is written into a buffer the caller passes, with
//! `*out_needed` telling its size (`ffi::write_buffer`).

#![allow(non_camel_case_types, reason = "C type names follow the hooksig_ prefix convention")]
#![allow(unsafe_code, reason = "a C ABI: every unsafe block is commented, every unsafe fn has a # Safety contract")]

mod ffi;
mod packed;
mod result;

use core::ffi::c_char;

use hooksig::{Profile, RequestLine, SignOptions, Tolerance, Verified, Verifier, WindowArg};

use crate::ffi::{call, guard, optional_text, out, reference, slice, text, write_buffer};
pub use crate::packed::*;
pub use crate::result::hooksig_result;

/// A verifier: a profile with its secrets validated and keyed once. Opaque;
/// created by `hooksig_verifier_new`, destroyed by `hooksig_verifier_free`.
/// Immutable once built: share it between threads freely.
#[derive(Debug)]
pub struct hooksig_verifier {
    inner: Verifier,
    scheme: [c_char; SCHEME_CAP],
}

/// Bytes given by the caller: `len` bytes at `ptr` (`ptr` may be NULL when
/// `len` is 0). Where text is optional, `ptr` NULL (with `len` 0) means "not
/// given", and any other pointer, even with `len` 0, means "given".
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

/// How a window option was given: the `kind` of a `hooksig_window_arg`.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub enum hooksig_window_kind {
    /// Not given (all-zero): tolerance takes the default, past/future follow tolerance.
    Absent = 0,
    /// Given as the language's null: tolerance NULL disables the window.
    Null = 1,
    /// An integer, in `integer`.
    Int = 2,
    /// A floating-point number, in `number` (accepted only if whole).
    Float = 3,
    /// Anything else the caller's language had (a string, a boolean…): always `INVALID_ARGUMENT`.
    Invalid = 4,
}

/// One window option as the caller received it. No value is interpreted
/// here: the core's `Tolerance::from_args` decides (negative, fractional,
/// over a year, or an unknown `kind` is `INVALID_ARGUMENT`).
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_window_arg {
    /// A `hooksig_window_kind` value.
    pub kind: u32,
    /// The value for `HOOKSIG_WINDOW_KIND_INT`.
    pub integer: i64,
    /// The value for `HOOKSIG_WINDOW_KIND_FLOAT`.
    pub number: f64,
}

/// The timestamp window options every binding offers. All-zero (or a NULL
/// pointer) is the default: 300 s either way.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_window {
    /// Seconds either way; `NULL` kind disables the check (replaying stored deliveries).
    pub tolerance: hooksig_window_arg,
    /// Overrides the seconds a timestamp may lie in the past.
    pub past: hooksig_window_arg,
    /// Overrides the seconds a timestamp may lie in the future.
    pub future: hooksig_window_arg,
}

/// Longest scheme name kept, NUL included.
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
    /// True if the MAC covers `id` (Standard Webhooks / Svix only); otherwise
    /// a replay can carry any id: de-duplicate on `replay_key`.
    pub id_signed: bool,
    /// What to de-duplicate this delivery on: 64 lowercase hex characters,
    /// NUL-terminated, derived from the MACed bytes only (every spelling of
    /// one signed delivery has the same key). Claim it in a shared store
    /// under `HOOKSIG_REPLAY_STORE_PREFIX` + this key.
    pub replay_key: [c_char; 65],
    /// The profile's canonical name, NUL-terminated (`"stripe"`, `"custom"`…).
    pub scheme: [c_char; 32],
}

/// `hooksig::REPLAY_STORE_PREFIX`, NUL-terminated: a claim in a shared store
/// (Redis) is `HOOKSIG_REPLAY_STORE_PREFIX` + the replay key, in every language.
#[unsafe(no_mangle)]
pub static HOOKSIG_REPLAY_STORE_PREFIX: [c_char; 32] = result::nul_terminated(hooksig::REPLAY_STORE_PREFIX);
/// `hooksig::DEFAULT_STORE_CAPACITY`: the unexpired claims an in-process store
/// holds before it refuses new ones with `REPLAY_STORE_UNAVAILABLE`.
#[unsafe(no_mangle)]
pub static HOOKSIG_DEFAULT_STORE_CAPACITY: usize = hooksig::DEFAULT_STORE_CAPACITY;
/// `hooksig::DEFAULT_BODY_LIMIT`: the largest body a framework adapter reads by default.
#[unsafe(no_mangle)]
pub static HOOKSIG_DEFAULT_BODY_LIMIT: usize = hooksig::DEFAULT_BODY_LIMIT;

/// What `hooksig_sign` signs besides the body. All-zero (or a NULL pointer): nothing.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_sign_options {
    /// True: `timestamp` is given (required by schemes with a timestamp, refused by the others).
    pub has_timestamp: bool,
    /// Unix seconds.
    pub timestamp: u64,
    /// The delivery id header's value (`unknownpay-s2s`: `Idempotency-Key`).
    pub id: hooksig_bytes,
    /// The request method (`unknownpay-s2s`, which requires it; both or neither with `path_and_query`).
    pub method: hooksig_bytes,
    /// The request path and query, exactly as sent.
    pub path_and_query: hooksig_bytes,
    /// The API key id (`unknownpay-s2s`: `X-Api-Key`; refused by other profiles).
    pub key_id: hooksig_bytes,
}

/// Headers produced by `hooksig_sign`: `len` (1 to 4) entries whose pointers
/// point into the caller's buffer.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_signed_headers {
    /// The headers in sending order; names and values are also NUL-terminated in the buffer.
    pub headers: [hooksig_header; 4],
    /// How many entries of `headers` are set.
    pub len: usize,
}

/// The inputs of `hooksig_explain` (as `hooksig_verifier_new` plus `hooksig_verifier_verify`).
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct hooksig_explain_args {
    /// The profile name or `custom;…` description (UTF-8).
    pub profile: hooksig_bytes,
    /// The secrets, in order (0 is allowed: the verdict says `INVALID_ARGUMENT`).
    pub secrets: *const hooksig_bytes,
    /// How many secrets.
    pub secrets_len: usize,
    /// The window options.
    pub window: hooksig_window,
    /// The headers as received.
    pub headers: *const hooksig_header,
    /// How many headers.
    pub headers_len: usize,
    /// The raw body.
    pub body: hooksig_bytes,
    /// The request method, or NULL (both or neither with `path_and_query`).
    pub method: hooksig_bytes,
    /// The request path and query, or NULL.
    pub path_and_query: hooksig_bytes,
    /// Unix seconds.
    pub now: u64,
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
    guard(c"INTERNAL".as_ptr(), || result::code(result))
}

/// A one-line English message for a `hooksig_result`. Static, NUL-terminated, never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_result_message(result: u32) -> *const c_char {
    guard(c"internal error".as_ptr(), || result::message(result))
}

/// The HTTP status a webhook endpoint should answer with for a result:
/// 200 for OK (and `DUPLICATE_DELIVERY`: acknowledge, skip the handler), 400
/// for broken requests, 401 for unauthentic or stale ones, 503 for
/// `REPLAY_STORE_UNAVAILABLE`, 500 for configuration or programming errors
/// (and unknown values).
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_result_http_status(result: u32) -> u16 {
    guard(500, || result::http_status(result))
}

/// Builds a verifier for `profile` (a name such as `"stripe"` or a
/// `custom;…` description, `profile_len` bytes, UTF-8) with 1 to 8 secrets
/// (tried in order) and the `window` options (NULL: the default), and writes
/// it to `*out_verifier`.
///
/// Returns `INVALID_ARGUMENT` (unknown profile, 0 or over 8 secrets, bad
/// window options), `INVALID_SECRET`, or `NULL_ARGUMENT`.
///
/// # Safety
/// `profile` points to `profile_len` bytes; `secrets` to `secrets_len`
/// `hooksig_bytes`, each pointing to its `len` bytes; `window` is NULL or
/// valid; `out_verifier` is writable. None is retained after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_new(
    profile: *const c_char,
    profile_len: usize,
    secrets: *const hooksig_bytes,
    secrets_len: usize,
    window: *const hooksig_window,
    out_verifier: *mut *mut hooksig_verifier,
) -> hooksig_result {
    call(|| {
        let out_verifier = out(out_verifier)?;
        // SAFETY: the caller's contract above.
        let (profile, secrets, window) =
            unsafe { (text(profile, profile_len)?, secret_list(secrets, secrets_len)?, window.as_ref()) };
        let tolerance = tolerance(window)?;
        let inner = Verifier::new(Profile::parse(profile)?, &secrets)?.with_tolerance(tolerance);
        let scheme = c_text(inner.profile().name().as_bytes());
        let boxed = Box::into_raw(Box::new(hooksig_verifier { inner, scheme }));
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

/// How long (seconds) to keep the replay claim of a delivery this verifier
/// accepted (the core's `Verifier::replay_ttl`): `past + future` for a
/// timestamped profile with a window, else `retention` when `has_retention`,
/// else the default retention (7 days). 0 for a NULL `verifier`.
///
/// # Safety
/// `verifier` is NULL or comes from `hooksig_verifier_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_replay_ttl(
    verifier: *const hooksig_verifier,
    has_retention: bool,
    retention: u64,
) -> u64 {
    // SAFETY: the caller's contract above.
    guard(0, || unsafe { reference(verifier) }.map_or(0, |v| v.inner.replay_ttl(has_retention.then_some(retention))))
}

/// The verifier's scheme (the profile's canonical name, `hooksig_verified.scheme`
/// of every verification): NUL-terminated, valid while the verifier lives.
/// `""` for a NULL `verifier`.
///
/// # Safety
/// `verifier` is NULL or comes from `hooksig_verifier_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_scheme(verifier: *const hooksig_verifier) -> *const c_char {
    // SAFETY: the caller's contract above.
    guard(c"".as_ptr(), || unsafe { reference(verifier) }.map_or(c"".as_ptr(), |v| v.scheme.as_ptr()))
}

/// Verifies a delivery of any profile: `headers_len` headers as received,
/// the raw body, the request line (`method` and `path_and_query`, UTF-8,
/// exactly as sent; both NULL when the caller has none: `unknownpay-s2s`
/// requires them, every other profile ignores them), and `now` (Unix
/// seconds). On `HOOKSIG_RESULT_OK` writes `*out`; otherwise `*out` is
/// untouched and the result is the first applicable code.
///
/// # Safety
/// `verifier` comes from `hooksig_verifier_new`; `headers` points to
/// `headers_len` `hooksig_header`s whose names and values point to their
/// lengths in bytes; `body`, `method` and `path_and_query` to their lengths
/// (or are NULL with length 0); `out` is writable. `out->id` points into the
/// caller's header values afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_verifier_verify(
    verifier: *const hooksig_verifier,
    headers: *const hooksig_header,
    headers_len: usize,
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
        let (verifier, headers, body, request) = unsafe {
            (
                reference(verifier)?,
                header_list(headers, headers_len)?,
                bytes(body, body_len)?,
                request_line(method, method_len, path_and_query, path_and_query_len)?,
            )
        };
        let verified = verifier.inner.verify_request(&headers, body, request, now)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.write(to_c(&verified)) };
        Ok(())
    })
}

/// Signs a delivery (or, for `unknownpay-s2s`, a request) the way
/// `profile`'s sender does, with the `options` (NULL: none).
///
/// The headers are written into `buf` (`buf_len` bytes; each name and value
/// NUL-terminated) and described by `*out_headers`. `*out_needed` receives
/// the bytes needed as soon as signing succeeded: on `OK`, on
/// `BUFFER_TOO_SMALL`, and on `NULL_ARGUMENT` for a NULL `buf` (then nothing
/// else is written). Pass `buf = NULL, buf_len = 0` to query the size. The
/// inputs may lie inside `buf` (they are read before `buf` is written).
///
/// # Safety
/// Each input pointer points to its length in bytes; `options` is NULL or
/// valid (its texts pointing to their lengths); `buf` points to `buf_len`
/// writable bytes; `out_needed` and `out_headers` are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_sign(
    profile: *const c_char,
    profile_len: usize,
    secret: *const c_char,
    secret_len: usize,
    body: *const c_char,
    body_len: usize,
    options: *const hooksig_sign_options,
    buf: *mut u8,
    buf_len: usize,
    out_needed: *mut usize,
    out_headers: *mut hooksig_signed_headers,
) -> hooksig_result {
    call(|| {
        let (out_needed, out_headers) = (out(out_needed)?, out(out_headers)?);
        // SAFETY: the caller's contract above.
        let (profile, secret, body, o) = unsafe {
            (text(profile, profile_len)?, bytes(secret, secret_len)?, bytes(body, body_len)?, options.as_ref())
        };
        let text_of = |field: fn(&hooksig_sign_options) -> hooksig_bytes| {
            // SAFETY: the options' texts point to their lengths (contract).
            o.map_or(Ok(None), |o| unsafe { optional_text(field(o).ptr.cast(), field(o).len) })
        };
        let (method, path) = (text_of(|o| o.method)?, text_of(|o| o.path_and_query)?);
        let options = SignOptions {
            timestamp: o.filter(|o| o.has_timestamp).map(|o| o.timestamp),
            id: text_of(|o| o.id)?,
            request: RequestLine::from_parts(method, path)?,
            key_id: text_of(|o| o.key_id)?,
        };
        let profile = Profile::parse(profile)?;
        let signed = hooksig::sign(&profile, secret, body, options)?;
        // Staged in our own memory first: the inputs (borrowed by `signed`) may lie inside `buf`.
        let mut staged = Vec::new();
        let mut spans = Vec::new();
        for header in signed.iter() {
            for part in [header.name(), header.value()] {
                spans.push((staged.len(), part.len()));
                staged.extend_from_slice(part.as_bytes());
                staged.push(0);
            }
        }
        // SAFETY: the caller's contract above.
        unsafe { write_buffer(&staged, buf, buf_len, out_needed)? };
        let empty = hooksig_header { name: core::ptr::null(), name_len: 0, value: core::ptr::null(), value_len: 0 };
        let mut result = hooksig_signed_headers { headers: [empty; 4], len: 0 };
        for (slot, pair) in result.headers.iter_mut().zip(spans.chunks_exact(2)) {
            if let [(name, name_len), (value, value_len)] = *pair {
                // `buf` holds `staged` now: every span is inside it.
                let at = |offset: usize| buf.cast_const().wrapping_add(offset);
                *slot = hooksig_header { name: at(name), name_len, value: at(value), value_len };
                result.len += 1;
            }
        }
        // SAFETY: non-NULL and writable (contract).
        unsafe { out_headers.write(result) };
        Ok(())
    })
}

/// Explains a delivery: why it fails to verify, as findings (a secret with a
/// trailing newline, a re-serialised body, a clock that is off…).
///
/// Writes the core's `Explanation::to_json()`, NUL-terminated, into `buf`
/// (`buf_len` bytes): `{"verdict": "OK" | code, "secret_index": n | null,
/// "findings": [{"code", "message", "fields": {…}}], …}` (read keys by name),
/// and the verdict as a `hooksig_result` to `*out_verdict`. `*out_needed`
/// (bytes, NUL included) and `*out_verdict` are written once the arguments
/// are valid: on `OK`, `BUFFER_TOO_SMALL` and a NULL `buf` (`NULL_ARGUMENT`);
/// pass `buf = NULL, buf_len = 0` to query the size.
///
/// A failed verification is NOT an error here: the call returns `OK` and the
/// verdict carries the code (even 0 secrets). Errors are for the arguments:
/// `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown profile, non-UTF-8 text, bad
/// window options, a bad or half request line), `BUFFER_TOO_SMALL`.
///
/// # Safety
/// `args` is valid, each of its pointers pointing to its length (or NULL
/// with length 0); `buf` points to `buf_len` writable bytes; `out_needed`
/// and `out_verdict` are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hooksig_explain(
    args: *const hooksig_explain_args,
    buf: *mut c_char,
    buf_len: usize,
    out_needed: *mut usize,
    out_verdict: *mut hooksig_result,
) -> hooksig_result {
    call(|| {
        let (out_needed, out_verdict) = (out(out_needed)?, out(out_verdict)?);
        // SAFETY: the caller's contract above.
        let (a, profile, secrets, headers, body, request) = unsafe {
            let a = reference(args)?;
            (
                a,
                text(a.profile.ptr.cast(), a.profile.len)?,
                secret_list(a.secrets, a.secrets_len)?,
                header_list(a.headers, a.headers_len)?,
                slice(a.body.ptr, a.body.len)?,
                request_line(a.method.ptr.cast(), a.method.len, a.path_and_query.ptr.cast(), a.path_and_query.len)?,
            )
        };
        let profile = Profile::parse(profile)?;
        let explanation =
            hooksig::explain(&profile, &secrets, tolerance(Some(&a.window))?, &headers, body, request, a.now);
        let verdict = explanation.verdict.map_or_else(hooksig_result::from, |_| hooksig_result::Ok);
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out_verdict.write(verdict) };
        let mut json = explanation.to_json().into_bytes();
        json.push(0);
        // SAFETY: the caller's contract above.
        unsafe { write_buffer(&json, buf.cast(), buf_len, out_needed) }
    })
}

/// The core's window from the C options (NULL: all absent). The core decides everything.
fn tolerance(window: Option<&hooksig_window>) -> Result<Tolerance, hooksig_result> {
    let arg = |a: &hooksig_window_arg| match a.kind {
        0 => WindowArg::Absent,
        1 => WindowArg::Null,
        2 => WindowArg::Int(a.integer),
        3 => WindowArg::Float(a.number),
        _ => WindowArg::Invalid,
    };
    let absent = hooksig_window_arg { kind: 0, integer: 0, number: 0.0 };
    let w = window.copied().unwrap_or(hooksig_window { tolerance: absent, past: absent, future: absent });
    Ok(Tolerance::from_args(arg(&w.tolerance), arg(&w.past), arg(&w.future))?)
}

/// The request line from optional method / path (`RequestLine::from_parts`: both or neither).
///
/// # Safety
/// As [`optional_text`] for each.
unsafe fn request_line<'a>(
    method: *const c_char,
    method_len: usize,
    path: *const c_char,
    path_len: usize,
) -> Result<Option<RequestLine<'a>>, hooksig_result> {
    // SAFETY: forwarded contract.
    let (method, path) = unsafe { (optional_text(method, method_len)?, optional_text(path, path_len)?) };
    Ok(RequestLine::from_parts(method, path)?)
}

/// # Safety
/// As [`slice`].
pub(crate) unsafe fn bytes<'a>(ptr: *const c_char, len: usize) -> Result<&'a [u8], hooksig_result> {
    // SAFETY: forwarded contract.
    unsafe { slice(ptr.cast::<u8>(), len) }
}

/// # Safety
/// As `slice` for the array and for each entry.
unsafe fn secret_list<'a>(secrets: *const hooksig_bytes, len: usize) -> Result<Vec<&'a [u8]>, hooksig_result> {
    // SAFETY: forwarded contract.
    let entries = unsafe { slice(secrets, len) }?;
    // SAFETY: forwarded contract.
    entries.iter().map(|s| unsafe { slice(s.ptr, s.len) }).collect()
}

pub(crate) type HeaderPair<'a> = (&'a [u8], &'a [u8]);

/// # Safety
/// As `slice` for the array and for each name and value.
pub(crate) unsafe fn header_list<'a>(
    headers: *const hooksig_header,
    len: usize,
) -> Result<Vec<HeaderPair<'a>>, hooksig_result> {
    // SAFETY: forwarded contract.
    let entries = unsafe { slice(headers, len) }?;
    entries
        .iter()
        // SAFETY: forwarded contract.
        .map(|h| unsafe { Ok((slice(h.name, h.name_len)?, slice(h.value, h.value_len)?)) })
        .collect()
}

/// `text` NUL-terminated in a fixed array (cut at `N - 1` bytes; scheme names and keys are shorter).
fn c_text<const N: usize>(text: &[u8]) -> [c_char; N] {
    let mut array = [0; N];
    for (slot, byte) in array.iter_mut().zip(text.iter().take(N - 1)) {
        *slot = *byte as c_char;
    }
    array
}

pub(crate) fn to_c(verified: &Verified<'_>) -> hooksig_verified {
    let (id, id_len) = verified.id.map_or((core::ptr::null(), 0), |id| (id.as_ptr(), id.len()));
    hooksig_verified {
        secret_index: verified.secret_index,
        has_timestamp: verified.timestamp.is_some(),
        timestamp: verified.timestamp.unwrap_or(0),
        id,
        id_len,
        id_signed: verified.id_signed,
        replay_key: c_text(&verified.replay_key.to_hex()),
        scheme: c_text(verified.scheme.as_bytes()),
    }
}
