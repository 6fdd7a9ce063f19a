//! Every case of `testdata/explain.json` through `hooksig_explain` (the C
//! ABI, not the Rust API): the verdict out-param and the JSON's verdict are
//! the case's `expect`, and the findings are exactly the case's (codes and
//! fields, in order). Plus the buffer protocol and the argument errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use core::ffi::{CStr, c_char};
use core::ptr;

use hooksig_ffi::*;
mod common;
use common::tolerance;
use hooksig_testdata::{Value, explain_cases};
use serde_json::Map;

fn code(result: hooksig_result) -> &'static str {
    // SAFETY: hooksig_result_code returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(hooksig_result_code(result as u32)) }.to_str().unwrap()
}

/// The raw arguments of one `hooksig_explain` call (copyable, so a test can change one field).
#[derive(Copy, Clone)]
struct Raw {
    profile: (*const c_char, usize),
    secrets: (*const hooksig_bytes, usize),
    tolerance: *const hooksig_tolerance,
    headers: (*const hooksig_header, usize),
    body: (*const u8, usize),
    method: (*const c_char, usize),
    path: (*const c_char, usize),
    now: Option<u64>,
    buf: (*mut c_char, usize),
    out_needed: *mut usize,
    out_verdict: *mut hooksig_result,
}

impl Raw {
    /// `github`, nothing else given, into `buf`.
    fn github(
        tolerance: &hooksig_tolerance,
        buf: &mut [c_char],
        needed: &mut usize,
        verdict: &mut hooksig_result,
    ) -> Raw {
        Raw {
            profile: (c"github".as_ptr(), 6),
            secrets: (ptr::null(), 0),
            tolerance,
            headers: (ptr::null(), 0),
            body: (ptr::null(), 0),
            method: (ptr::null(), 0),
            path: (ptr::null(), 0),
            now: Some(0),
            buf: (buf.as_mut_ptr(), buf.len()),
            out_needed: needed,
            out_verdict: verdict,
        }
    }

    /// # Safety
    /// Every pointer points to its length (or is NULL) and lives through the call.
    unsafe fn call(self) -> hooksig_result {
        // SAFETY: the caller's contract.
        unsafe {
            hooksig_explain(
                self.profile.0,
                self.profile.1,
                self.secrets.0,
                self.secrets.1,
                self.tolerance,
                self.headers.0,
                self.headers.1,
                self.body.0,
                self.body.1,
                self.method.0,
                self.method.1,
                self.path.0,
                self.path.1,
                self.now.is_some(),
                self.now.unwrap_or(0),
                self.buf.0,
                self.buf.1,
                self.out_needed,
                self.out_verdict,
            )
        }
    }
}

/// Owned inputs of one call.
struct Call {
    profile: Vec<u8>,
    secrets: Vec<Vec<u8>>,
    tolerance: hooksig_tolerance,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    body: Vec<u8>,
    request: Option<(String, String)>,
    now: Option<u64>,
}

impl Call {
    fn of(case: &Value) -> Call {
        let text = |v: &Value| v.as_str().unwrap().as_bytes().to_vec();
        Call {
            profile: text(&case["scheme"]),
            secrets: case["secrets"].as_array().unwrap().iter().map(text).collect(),
            tolerance: tolerance(case),
            headers: case["headers"].as_array().unwrap().iter().map(|p| (text(&p[0]), text(&p[1]))).collect(),
            body: text(&case["body"]),
            request: None,
            now: case["now"].as_u64(),
        }
    }

    /// Calls `hooksig_explain` with a `buf_len`-byte buffer (NULL when 0):
    /// (result, verdict, needed, NUL-terminated text in the buffer).
    fn run(&self, buf_len: usize) -> (hooksig_result, hooksig_result, usize, Option<String>) {
        let secrets: Vec<hooksig_bytes> =
            self.secrets.iter().map(|s| hooksig_bytes { ptr: s.as_ptr(), len: s.len() }).collect();
        let headers: Vec<hooksig_header> = self
            .headers
            .iter()
            .map(|(n, v)| hooksig_header { name: n.as_ptr(), name_len: n.len(), value: v.as_ptr(), value_len: v.len() })
            .collect();
        let (method, path) = match &self.request {
            Some((m, p)) => ((m.as_ptr().cast::<c_char>(), m.len()), (p.as_ptr().cast::<c_char>(), p.len())),
            None => ((ptr::null(), 0), (ptr::null(), 0)),
        };
        let mut buf = vec![0x55 as c_char; buf_len];
        let buf_ptr = if buf_len == 0 { ptr::null_mut() } else { buf.as_mut_ptr() };
        let (mut needed, mut verdict) = (0usize, hooksig_result::Panic);
        let raw = Raw {
            profile: (self.profile.as_ptr().cast(), self.profile.len()),
            secrets: (secrets.as_ptr(), secrets.len()),
            tolerance: &self.tolerance,
            headers: (headers.as_ptr(), headers.len()),
            body: (self.body.as_ptr(), self.body.len()),
            method,
            path,
            now: self.now,
            buf: (buf_ptr, buf_len),
            out_needed: &mut needed,
            out_verdict: &mut verdict,
        };
        // SAFETY: every pointer points to its length in this frame; outs are locals.
        let result = unsafe { raw.call() };
        let text = (result == hooksig_result::Ok).then(|| {
            let bytes: Vec<u8> = buf.iter().map(|&c| c as u8).collect();
            CStr::from_bytes_until_nul(&bytes).unwrap().to_str().unwrap().to_owned()
        });
        (result, verdict, needed, text)
    }
}

/// The JSON finding in the vectors' flat shape: `{"code", …fields}`.
fn flat(finding: &Value) -> Value {
    let mut object = Map::new();
    object.insert("code".into(), finding["code"].clone());
    for (name, value) in finding["fields"].as_object().unwrap() {
        object.insert(name.clone(), value.clone());
    }
    Value::Object(object)
}

fn run_case(case: &Value) -> Result<(), String> {
    let call = Call::of(case);
    let (result, verdict, needed, text) = call.run(64 * 1024);
    if result != hooksig_result::Ok {
        return Err(format!("hooksig_explain returned {}", code(result)));
    }
    let text = text.unwrap();
    if needed != text.len() + 1 {
        return Err(format!("needed {needed} for {} bytes", text.len()));
    }
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
    let expect = case["expect"].as_str().unwrap();
    if code(verdict) != expect || json["verdict"] != expect {
        return Err(format!("verdict {} / {}, expected {expect}", code(verdict), json["verdict"]));
    }
    if (expect == "OK") != json["secret_index"].is_u64() {
        return Err(format!("secret_index {}", json["secret_index"]));
    }
    let findings = json["findings"].as_array().ok_or("no findings array")?;
    let found: Vec<Value> = findings.iter().map(flat).collect();
    if Value::from(found.clone()) != case["findings"] {
        return Err(format!("findings {found:?}, expected {}", case["findings"]));
    }
    if findings.iter().any(|f| f["message"].as_str().is_none_or(str::is_empty)) {
        return Err(format!("a finding without a message: {text}"));
    }
    Ok(())
}

#[test]
fn every_explain_case_through_the_c_abi() {
    let cases = explain_cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run_case(case).err().map(|e| format!("{}: {e}", case["name"].as_str().unwrap_or("?"))))
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn buffer_protocol_and_the_system_clock() {
    let case = explain_cases().into_iter().find(|c| !c["findings"].as_array().unwrap().is_empty()).unwrap();
    let mut call = Call::of(&case);
    // Size query: NULL buffer, needed and verdict written.
    let (result, verdict, needed, _) = call.run(0);
    assert_eq!(result, hooksig_result::BufferTooSmall);
    assert_eq!(code(verdict), case["expect"].as_str().unwrap());
    let (result, _, again, _) = call.run(needed - 1);
    assert_eq!((result, again), (hooksig_result::BufferTooSmall, needed));
    let (result, _, _, text) = call.run(needed);
    assert_eq!(result, hooksig_result::Ok);
    assert_eq!(text.unwrap().len() + 1, needed);
    // has_now = false: the system clock, decades after the vectors' timestamps.
    call.now = None;
    call.tolerance = hooksig_tolerance_default();
    let (result, _, _, text) = call.run(64 * 1024);
    assert_eq!(result, hooksig_result::Ok);
    assert!(text.unwrap().starts_with("{\"verdict\":"));
}

#[test]
fn a_signed_request_is_explained() {
    let signed = hooksig::sign_request(b"s2s-secret", "POST", "/v1/deposits", b"{}", 1_700_000_000, Some("k")).unwrap();
    let mut call = Call {
        profile: b"unknownpay-s2s".to_vec(),
        secrets: vec![b"s2s-secret\n".to_vec()],
        tolerance: hooksig_tolerance_default(),
        headers: signed.iter().map(|h| (h.name().as_bytes().to_vec(), h.value().as_bytes().to_vec())).collect(),
        body: b"{}".to_vec(),
        request: Some(("POST".into(), "/v1/deposits".into())),
        now: Some(1_700_000_000),
    };
    let (result, verdict, _, text) = call.run(4096);
    assert_eq!((result, verdict), (hooksig_result::Ok, hooksig_result::SignatureMismatch));
    let json: Value = serde_json::from_str(&text.unwrap()).unwrap();
    assert_eq!(json["findings"][0]["code"], "SECRET_WHITESPACE");
    assert_eq!(json["findings"][0]["fields"]["secret_index"], 0);
    call.secrets = vec![b"s2s-secret".to_vec()];
    let (_, verdict, _, text) = call.run(4096);
    assert_eq!(verdict, hooksig_result::Ok);
    assert_eq!(text.unwrap(), r#"{"verdict":"OK","secret_index":0,"findings":[]}"#);
}

#[test]
fn wrong_arguments_are_errors_not_verdicts() {
    let case = &explain_cases()[0];
    for (profile, what) in [(b"\xff\xfe".to_vec(), "non-UTF-8 profile"), (b"no-such-provider".to_vec(), "unknown")] {
        let mut call = Call::of(case);
        call.profile = profile;
        let (result, verdict, needed, _) = call.run(4096);
        assert_eq!(result, hooksig_result::InvalidArgument, "{what}");
        assert_eq!((verdict, needed), (hooksig_result::Panic, 0), "{what}: outs untouched");
    }
    let mut call = Call::of(case);
    call.tolerance = hooksig_tolerance { disabled: true, past: 5, future: 0 };
    assert_eq!(call.run(4096).0, hooksig_result::InvalidArgument);
    // Only one of method / path; each required pointer NULL; no secrets is a verdict, not an error.
    let (mut needed, mut verdict) = (0usize, hooksig_result::Ok);
    let window = hooksig_tolerance_default();
    let mut buf = [0 as c_char; 256];
    let base = Raw::github(&window, &mut buf, &mut needed, &mut verdict);
    let cases = [
        (Raw { method: (c"POST".as_ptr(), 4), ..base }, hooksig_result::InvalidArgument),
        (Raw { path: (c"/".as_ptr(), 1), ..base }, hooksig_result::InvalidArgument),
        (Raw { profile: (ptr::null(), 6), ..base }, hooksig_result::NullArgument),
        (Raw { tolerance: ptr::null(), ..base }, hooksig_result::NullArgument),
        (Raw { out_needed: ptr::null_mut(), ..base }, hooksig_result::NullArgument),
        (Raw { out_verdict: ptr::null_mut(), ..base }, hooksig_result::NullArgument),
        (Raw { headers: (ptr::null(), 3), ..base }, hooksig_result::NullArgument),
        (Raw { buf: (ptr::null_mut(), 4096), ..base }, hooksig_result::NullArgument),
        (base, hooksig_result::Ok),
    ];
    for (i, (raw, expected)) in cases.into_iter().enumerate() {
        // SAFETY: valid pointers with their lengths; NULLs are checked before any use.
        assert_eq!(unsafe { raw.call() }, expected, "case {i}");
    }
    assert_eq!(verdict, hooksig_result::InvalidArgument, "no secrets: the verdict says so");
}
