//! The C ABI (crate `hooksig-ffi`) driven the way a C or PHP caller can
//! drive it: arbitrary profiles, secrets, window options (every kind value,
//! not only the named ones), headers, bodies, request lines, truncated packed
//! header strings, NULL pointers with and without lengths, short buffers and
//! inputs lying inside the output buffer. Every call must return a known
//! code (never a crash, never INTERNAL), outputs must be consistent with the
//! return value, and the compact fast path must agree with the struct path.
//!
//! Pointers are never invalid here except as NULL: a non-NULL pointer always
//! points to at least its length (passing a wild pointer is the caller's bug,
//! not the library's).
//!
//! Input: flags (u8), window kinds and values, now (u64), then
//! length-prefixed fields (the `Reader` framing): profile, secrets, body,
//! method, path, sign options, then header name/value pairs to the end.
#![no_main]
// This target calls `unsafe extern "C"` functions: the one file of the fuzz
// crate allowed unsafe code (the crate denies it).
#![allow(unsafe_code)]

use core::ffi::{CStr, c_char};
use core::ptr;

use hooksig_ffi::*;
use hooksig_fuzz::Reader;
use libfuzzer_sys::fuzz_target;

/// `(ptr, len)` for a field: absent is NULL/0; flag `null` makes it NULL with
/// the field's length (which the library must refuse when non-zero).
fn raw(field: Option<&[u8]>, null: bool) -> (*const u8, usize) {
    match field {
        None => (ptr::null(), 0),
        Some(f) if null => (ptr::null(), f.len()),
        Some(f) => (f.as_ptr(), f.len()),
    }
}

fn bytes(field: Option<&[u8]>, null: bool) -> hooksig_bytes {
    let (ptr, len) = raw(field, null);
    hooksig_bytes { ptr, len }
}

fn known(rc: hooksig_result) {
    assert_ne!(rc, hooksig_result::Internal, "a panic was caught");
    // SAFETY: returns a static NUL-terminated string for any value.
    let code = unsafe { CStr::from_ptr(hooksig_result_code(rc as u32)) }.to_str().unwrap_or("?");
    assert_ne!(code, "UNKNOWN", "{rc:?}");
}

fn window_arg(r: &mut Reader<'_>) -> hooksig_window_arg {
    let kind = u32::from(r.u8() % 7); // 5 and 6 are not kinds: INVALID_ARGUMENT
    let value = r.u64();
    hooksig_window_arg { kind, integer: value as i64, number: f64::from_bits(value) }
}

fuzz_target!(|data: &[u8]| {
    let mut r = Reader::new(data);
    let flags = r.u8();
    let window = hooksig_window { tolerance: window_arg(&mut r), past: window_arg(&mut r), future: window_arg(&mut r) };
    let now = r.u64();
    let buf_len = usize::from(r.u8()) * 2;
    let profile = r.field();
    let secrets: Vec<hooksig_bytes> = (0..r.u8() % 10).map(|i| bytes(r.field(), flags & 1 != 0 && i == 0)).collect();
    let body = r.field();
    let (method, path) = (r.field(), r.field());
    let (id, key_id) = (r.field(), r.field());
    let timestamp = r.u64();
    let packed_cut = usize::from(r.u8());
    let mut pairs = Vec::new();
    while let (Some(name), Some(value)) = (r.field(), r.field()) {
        pairs.push((name, value));
    }
    let headers: Vec<hooksig_header> = pairs
        .iter()
        .enumerate()
        .map(|(i, (n, v))| {
            let (value, value_len) = raw(Some(v), flags & 2 != 0 && i == 0);
            hooksig_header { name: n.as_ptr(), name_len: n.len(), value, value_len }
        })
        .collect();
    let (profile_ptr, profile_len) = raw(profile, flags & 4 != 0);
    let (body_ptr, body_len) = raw(body, flags & 8 != 0);
    let (method_ptr, method_len) = raw(method, flags & 16 != 0);
    let (path_ptr, path_len) = raw(path, false);
    let window_ptr: *const hooksig_window = if flags & 32 != 0 { ptr::null() } else { &window };

    // A verifier, then the struct path and the compact path on the same delivery.
    let mut verifier = ptr::null_mut();
    // SAFETY: every non-NULL pointer points to its length; outs are locals.
    let rc = unsafe {
        hooksig_verifier_new(
            profile_ptr.cast(),
            profile_len,
            secrets.as_ptr(),
            secrets.len(),
            window_ptr,
            &mut verifier,
        )
    };
    known(rc);
    assert_eq!(rc == hooksig_result::Ok, !verifier.is_null());
    if !verifier.is_null() {
        let mut out = core::mem::MaybeUninit::<hooksig_verified>::uninit();
        // SAFETY: as above.
        let rc = unsafe {
            hooksig_verifier_verify(
                verifier,
                headers.as_ptr(),
                headers.len(),
                body_ptr.cast(),
                body_len,
                method_ptr.cast(),
                method_len,
                path_ptr.cast(),
                path_len,
                now,
                out.as_mut_ptr(),
            )
        };
        known(rc);
        // The packed string of the same headers, cut short when `packed_cut` says so.
        let mut packed = Vec::new();
        for (name, value) in &pairs {
            for part in [name, value] {
                packed.extend_from_slice(&u32::try_from(part.len()).unwrap_or(0).to_le_bytes());
                packed.extend_from_slice(part);
            }
        }
        let cut = if packed_cut == 0 { packed.len() } else { packed.len().min(packed_cut) };
        let (packed_ptr, packed_len) = if flags & 64 != 0 { (ptr::null(), cut) } else { (packed.as_ptr(), cut) };
        // SAFETY: `packed` holds at least `cut` bytes.
        let compact = unsafe {
            hooksig_verifier_verify_compact(
                verifier,
                packed_ptr.cast(),
                packed_len,
                body_ptr.cast(),
                body_len,
                now,
                ptr::null_mut(),
            )
        };
        assert!(compact < hooksig::compact::COMPACT_LIMIT);
        let whole = cut == packed.len() && flags & 66 == 0 && method.is_none() && path.is_none();
        if whole {
            // No request line, all headers, no NULLs: both paths see the same delivery.
            match (rc, compact) {
                (hooksig_result::Ok, c) => assert!(c >= 0 || c == hooksig::compact::COMPACT_DOES_NOT_FIT, "{c}"),
                (error, c) => assert_eq!(c, -(error as i64)),
            }
        }
        let names: Vec<u8> = pairs.iter().flat_map(|(n, _)| n.iter().copied().chain([0])).collect();
        // SAFETY: `names` is live for its length.
        let _mask = unsafe { hooksig_verifier_wants_headers(verifier, names.as_ptr().cast(), names.len()) };
        // SAFETY: a live verifier.
        assert!(!unsafe { hooksig_verifier_scheme(verifier) }.is_null());
        // SAFETY: from hooksig_verifier_new, freed once.
        unsafe { hooksig_verifier_free(verifier) };
    }

    // Sign into a buffer that also holds the id (copied in first): inputs inside the output.
    let mut buf = vec![0u8; buf_len.max(id.map_or(0, <[u8]>::len))];
    let id_field = id.map(|id| {
        buf.get_mut(..id.len()).unwrap_or_default().copy_from_slice(id);
        hooksig_bytes { ptr: buf.as_ptr(), len: id.len() }
    });
    let options = hooksig_sign_options {
        has_timestamp: flags & 128 != 0,
        timestamp,
        id: id_field.unwrap_or(hooksig_bytes { ptr: ptr::null(), len: 0 }),
        method: bytes(method, false),
        path_and_query: bytes(path, false),
        key_id: bytes(key_id, false),
    };
    let secret = secrets.first().copied().unwrap_or(hooksig_bytes { ptr: ptr::null(), len: 0 });
    let (mut needed, mut signed) = (usize::MAX, core::mem::MaybeUninit::<hooksig_signed_headers>::uninit());
    let buf_ptr = if flags & 64 != 0 { ptr::null_mut() } else { buf.as_mut_ptr() };
    // SAFETY: as above; `buf` holds `buf.len()` bytes.
    let rc = unsafe {
        hooksig_sign(
            profile_ptr.cast(),
            profile_len,
            secret.ptr.cast(),
            secret.len,
            body_ptr.cast(),
            body_len,
            &options,
            buf_ptr,
            buf.len(),
            &mut needed,
            signed.as_mut_ptr(),
        )
    };
    known(rc);
    if rc == hooksig_result::Ok {
        // SAFETY: written on OK.
        let signed = unsafe { signed.assume_init() };
        assert!((1..=4).contains(&signed.len) && needed <= buf.len());
        for h in signed.headers.iter().take(signed.len) {
            let (name, value) = (h.name as usize - buf.as_ptr() as usize, h.value as usize - buf.as_ptr() as usize);
            assert!(name + h.name_len < needed && value + h.value_len < needed);
        }
    } else if rc == hooksig_result::BufferTooSmall {
        assert!(needed > buf.len());
    }

    // Explain, with the same inputs.
    let args = hooksig_explain_args {
        profile: hooksig_bytes { ptr: profile_ptr, len: profile_len },
        secrets: secrets.as_ptr(),
        secrets_len: secrets.len(),
        window,
        headers: headers.as_ptr(),
        headers_len: headers.len(),
        body: hooksig_bytes { ptr: body_ptr, len: body_len },
        method: hooksig_bytes { ptr: method_ptr, len: method_len },
        path_and_query: hooksig_bytes { ptr: path_ptr, len: path_len },
        now,
    };
    let mut text = vec![0 as c_char; buf_len * 8];
    let (mut needed, mut verdict) = (0usize, hooksig_result::Internal);
    // SAFETY: as above; `text` holds its length.
    let rc = unsafe { hooksig_explain(&args, text.as_mut_ptr(), text.len(), &mut needed, &mut verdict) };
    known(rc);
    if rc == hooksig_result::Ok {
        known(verdict);
        let json: Vec<u8> = text.iter().take(needed).map(|c| *c as u8).collect();
        assert_eq!(json.last(), Some(&0));
        assert!(json.starts_with(b"{\"verdict\":"));
    }
});
