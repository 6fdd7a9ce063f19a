//! Every case of `testdata/vectors.json` through the extern "C" functions
//! (not the Rust API): the exact code, secret_index, timestamp and id of
//! each verify case, and the exact headers of each sign case.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]
#![allow(unsafe_code, reason = "these tests call the C ABI's extern fns, as C does")]

use core::ffi::CStr;
use core::ptr;

use hooksig_ffi::*;
mod common;
use common::tolerance;
use hooksig_testdata::{
    Value, body, check_replay, check_verified, expected_headers, headers, run_all, same_headers, vectors,
};

fn code(result: hooksig_result) -> String {
    // SAFETY: hooksig_result_code returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(hooksig_result_code(result as u32)) }.to_str().unwrap().to_owned()
}

fn header_structs(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<hooksig_header> {
    pairs
        .iter()
        .map(|(n, v)| hooksig_header { name: n.as_ptr(), name_len: n.len(), value: v.as_ptr(), value_len: v.len() })
        .collect()
}

fn verified_fields(v: &hooksig_verified) -> (usize, Option<u64>, Option<String>) {
    let id = (!v.id.is_null()).then(|| {
        // SAFETY: id points into the header values, which are alive here.
        let id = unsafe { core::slice::from_raw_parts(v.id, v.id_len) };
        String::from_utf8(id.to_vec()).unwrap()
    });
    (v.secret_index, v.has_timestamp.then_some(v.timestamp), id)
}

/// `(ptr, len)` of an optional text: NULL for none.
fn opt(text: Option<&str>) -> (*const core::ffi::c_char, usize) {
    text.map_or((ptr::null(), 0), |t| (t.as_ptr().cast(), t.len()))
}

fn run_case(case: &Value) -> Result<(), String> {
    let profile = case["scheme"].as_str().unwrap();
    let secrets: Vec<&str> = case["secrets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    let secret_structs: Vec<hooksig_bytes> =
        secrets.iter().map(|s| hooksig_bytes { ptr: s.as_ptr(), len: s.len() }).collect();
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = headers(case);
    let headers = header_structs(&pairs);
    let body = body(case);
    let now = case["now"].as_u64().unwrap_or(0);
    let window = tolerance(case);
    let (method, path) = (opt(case["request"]["method"].as_str()), opt(case["request"]["path_and_query"].as_str()));

    let mut verifier: *mut hooksig_verifier = ptr::null_mut();
    let mut out = core::mem::MaybeUninit::<hooksig_verified>::uninit();
    // SAFETY: every pointer below points to live data of the stated length.
    let result = unsafe {
        match hooksig_verifier_new(
            profile.as_ptr().cast(),
            profile.len(),
            secret_structs.as_ptr(),
            secret_structs.len(),
            &window,
            &mut verifier,
        ) {
            hooksig_result::Ok => hooksig_verifier_verify(
                verifier,
                headers.as_ptr(),
                headers.len(),
                body.as_ptr().cast(),
                body.len(),
                method.0,
                method.1,
                path.0,
                path.1,
                now,
                out.as_mut_ptr(),
            ),
            error => error,
        }
    };
    let scheme = (!verifier.is_null()).then(|| {
        // SAFETY: a live verifier; the scheme is NUL-terminated.
        unsafe { CStr::from_ptr(hooksig_verifier_scheme(verifier)) }.to_str().unwrap().to_owned()
    });
    // SAFETY: NULL (on failure) or from hooksig_verifier_new.
    unsafe { hooksig_verifier_free(verifier) };

    let expect = case["expect"].as_str().unwrap();
    if code(result) != expect {
        return Err(format!("expected {expect}, got {}", code(result)));
    }
    if result == hooksig_result::Ok {
        // SAFETY: written on OK.
        let verified = unsafe { out.assume_init_ref() };
        // SAFETY: NUL-terminated within the array.
        let name = unsafe { CStr::from_ptr(verified.scheme.as_ptr()) }.to_str().unwrap();
        if Some(name) != scheme.as_deref() {
            return Err(format!("scheme {name}, verifier says {scheme:?}"));
        }
        let (index, timestamp, id) = verified_fields(verified);
        check_verified(case, index, timestamp, id.as_deref())?;
        // SAFETY: NUL-terminated within the array.
        let key = unsafe { CStr::from_ptr(verified.replay_key.as_ptr()) }.to_str().unwrap();
        check_replay(case, key, verified.id_signed)?;
    }
    Ok(())
}

fn signed_pairs(out: &hooksig_signed_headers) -> Vec<(String, String)> {
    out.headers[..out.len]
        .iter()
        .map(|h| {
            // SAFETY: the pointers point into the caller's buffer, alive here.
            let (name, value) = unsafe {
                (core::slice::from_raw_parts(h.name, h.name_len), core::slice::from_raw_parts(h.value, h.value_len))
            };
            // Each is followed by a NUL in the buffer.
            // SAFETY: the NUL byte is inside the buffer, right after each text.
            assert_eq!(unsafe { (*h.name.add(h.name_len), *h.value.add(h.value_len)) }, (0, 0));
            (String::from_utf8(name.to_vec()).unwrap(), String::from_utf8(value.to_vec()).unwrap())
        })
        .collect()
}

/// Calls `sign` once to learn the size (NULL buffer), then with exactly that size.
fn sign_twice(
    mut sign: impl FnMut(*mut u8, usize, *mut usize, *mut hooksig_signed_headers) -> hooksig_result,
) -> Result<Vec<(String, String)>, String> {
    let mut needed = 0usize;
    let mut out = core::mem::MaybeUninit::<hooksig_signed_headers>::uninit();
    let first = sign(ptr::null_mut(), 0, &mut needed, out.as_mut_ptr());
    if first != hooksig_result::BufferTooSmall {
        return Err(code(first));
    }
    let mut too_small = vec![0u8; needed - 1];
    let second = sign(too_small.as_mut_ptr(), too_small.len(), &mut needed, out.as_mut_ptr());
    if second != hooksig_result::BufferTooSmall {
        return Err(format!("one byte short gave {}", code(second)));
    }
    let mut buf = vec![0u8; needed];
    match sign(buf.as_mut_ptr(), buf.len(), &mut needed, out.as_mut_ptr()) {
        // SAFETY: written on OK.
        hooksig_result::Ok => Ok(signed_pairs(unsafe { out.assume_init_ref() })),
        other => Err(code(other)),
    }
}

fn run_sign_case(case: &Value) -> Result<(), String> {
    let secret = case["secret"].as_str().unwrap();
    let body = body(case);
    let profile = case["scheme"].as_str().unwrap();
    let text = |t: Option<&str>| {
        t.map_or(hooksig_bytes { ptr: ptr::null(), len: 0 }, |t| hooksig_bytes { ptr: t.as_ptr(), len: t.len() })
    };
    let request = &case["request"];
    let options = hooksig_sign_options {
        has_timestamp: case["timestamp"].is_u64(),
        timestamp: case["timestamp"].as_u64().unwrap_or(0),
        id: text(case["id"].as_str()),
        method: text(request["method"].as_str()),
        path_and_query: text(request["path_and_query"].as_str()),
        key_id: text(request["key_id"].as_str()),
    };
    // SAFETY: every pointer points to live data of the stated length.
    let result = sign_twice(|buf, len, needed, out| unsafe {
        hooksig_sign(
            profile.as_ptr().cast(),
            profile.len(),
            secret.as_ptr().cast(),
            secret.len(),
            body.as_ptr().cast(),
            body.len(),
            &options,
            buf,
            len,
            needed,
            out,
        )
    });
    let expect = case["expect"].as_str().unwrap();
    match result {
        Ok(got) => {
            if expect != "OK" {
                return Err(format!("expected {expect}, got OK"));
            }
            let want = expected_headers(case);
            // Names as text; values carry MACs, compared in constant time even here.
            if !same_headers(&got, &want) {
                return Err(format!("headers {got:?}, expected {want:?}"));
            }
        }
        Err(got) if got == expect => {}
        Err(got) => return Err(format!("expected {expect}, got {got}")),
    }
    Ok(())
}

#[test]
fn every_verify_case_through_the_c_abi() {
    let n = run_all(&vectors(), "cases", run_case);
    assert!(n >= 400, "only {n} verify cases");
}

#[test]
fn every_sign_case_through_the_c_abi() {
    let n = run_all(&vectors(), "sign_cases", run_sign_case);
    assert!(n >= 50, "only {n} sign cases");
}
