//! Every case of `testdata/explain.json` through `hooksig_explain` (the C
//! ABI, not the Rust API): the verdict out-param and the JSON's verdict are
//! the case's `expect`, and the findings are exactly the case's (codes and
//! fields, in order); a case with `raises` is that error. Plus the buffer
//! protocol and the argument errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]
#![allow(unsafe_code, reason = "these tests call the C ABI's extern fns, as C does")]

use core::ffi::{CStr, c_char};
use core::ptr;

use hooksig_ffi::*;
mod common;
use common::{arg, tolerance};
use hooksig_testdata::{Value, explain_cases};

fn code(result: hooksig_result) -> &'static str {
    // SAFETY: hooksig_result_code returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(hooksig_result_code(result as u32)) }.to_str().unwrap()
}

fn bytes(data: &[u8]) -> hooksig_bytes {
    hooksig_bytes { ptr: data.as_ptr(), len: data.len() }
}

const NONE: hooksig_bytes = hooksig_bytes { ptr: ptr::null(), len: 0 };

/// Owned inputs of one call.
struct Call {
    profile: Vec<u8>,
    secrets: Vec<Vec<u8>>,
    window: hooksig_window,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    body: Vec<u8>,
    request: Option<(String, String)>,
    now: u64,
}

impl Call {
    fn of(case: &Value) -> Call {
        let text = |v: &Value| v.as_str().unwrap().as_bytes().to_vec();
        Call {
            profile: text(&case["scheme"]),
            secrets: case["secrets"].as_array().unwrap().iter().map(text).collect(),
            window: tolerance(case),
            headers: case["headers"].as_array().unwrap().iter().map(|p| (text(&p[0]), text(&p[1]))).collect(),
            body: text(&case["body"]),
            request: None,
            now: case["now"].as_u64().unwrap(),
        }
    }

    /// Calls `hooksig_explain` with a `buf_len`-byte buffer (NULL when 0):
    /// (result, verdict, needed, NUL-terminated text in the buffer).
    fn run(&self, buf_len: usize) -> (hooksig_result, hooksig_result, usize, Option<String>) {
        let secrets: Vec<hooksig_bytes> = self.secrets.iter().map(|s| bytes(s)).collect();
        let headers: Vec<hooksig_header> = self
            .headers
            .iter()
            .map(|(n, v)| hooksig_header { name: n.as_ptr(), name_len: n.len(), value: v.as_ptr(), value_len: v.len() })
            .collect();
        let (method, path_and_query) =
            self.request.as_ref().map_or((NONE, NONE), |(m, p)| (bytes(m.as_bytes()), bytes(p.as_bytes())));
        let args = hooksig_explain_args {
            profile: bytes(&self.profile),
            secrets: secrets.as_ptr(),
            secrets_len: secrets.len(),
            window: self.window,
            headers: headers.as_ptr(),
            headers_len: headers.len(),
            body: bytes(&self.body),
            method,
            path_and_query,
            now: self.now,
        };
        let mut buf = vec![0x55 as c_char; buf_len];
        let buf_ptr = if buf_len == 0 { ptr::null_mut() } else { buf.as_mut_ptr() };
        let (mut needed, mut verdict) = (0usize, hooksig_result::Internal);
        // SAFETY: every pointer points to its length in this frame; outs are locals.
        let result = unsafe { hooksig_explain(&args, buf_ptr, buf_len, &mut needed, &mut verdict) };
        let text = (result == hooksig_result::Ok).then(|| {
            let bytes: Vec<u8> = buf.iter().map(|&c| c as u8).collect();
            CStr::from_bytes_until_nul(&bytes).unwrap().to_str().unwrap().to_owned()
        });
        (result, verdict, needed, text)
    }
}

/// The JSON finding in the vectors' flat shape: `{"code", …fields}`.
/// A finding as the vectors write it: the core's JSON without the message.
fn without_message(finding: &Value) -> Value {
    serde_json::json!({"code": finding["code"], "fields": finding["fields"]})
}

fn run_case(case: &Value) -> Result<(), String> {
    let (result, verdict, needed, text) = Call::of(case).run(64 * 1024);
    if let Some(raises) = case["raises"].as_str() {
        return if code(result) == raises { Ok(()) } else { Err(format!("expected {raises}, got {}", code(result))) };
    }
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
    let found: Vec<Value> = findings.iter().map(without_message).collect();
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
fn buffer_protocol() {
    let case = explain_cases().into_iter().find(|c| !c["findings"].as_array().unwrap().is_empty()).unwrap();
    let call = Call::of(&case);
    // Size query: NULL buffer, needed and verdict written.
    let (result, verdict, needed, _) = call.run(0);
    assert_eq!(result, hooksig_result::BufferTooSmall);
    assert_eq!(code(verdict), case["expect"].as_str().unwrap());
    let (result, _, again, _) = call.run(needed - 1);
    assert_eq!((result, again), (hooksig_result::BufferTooSmall, needed));
    let (result, _, _, text) = call.run(needed);
    assert_eq!(result, hooksig_result::Ok);
    let text = text.unwrap();
    assert_eq!(text.len() + 1, needed);
    // The JSON is the core's, byte for byte.
    let secrets: Vec<&[u8]> = call.secrets.iter().map(Vec::as_slice).collect();
    let profile = hooksig::Profile::parse(core::str::from_utf8(&call.profile).unwrap()).unwrap();
    let tolerance = match hooksig_testdata::window(&case) {
        hooksig_testdata::Window::Default => hooksig::Tolerance::DEFAULT,
        hooksig_testdata::Window::Disabled => hooksig::Tolerance::Disabled,
        hooksig_testdata::Window::Window { past, future } => hooksig::Tolerance::Window { past, future },
    };
    let core = hooksig::explain(&profile, &secrets, tolerance, &call.headers, &call.body, None, call.now);
    assert_eq!(text, core.to_json());
}

#[test]
fn a_signed_request_is_explained() {
    let options = hooksig::SignOptions {
        timestamp: Some(1_700_000_000),
        request: Some(hooksig::RequestLine::new("POST", "/v1/deposits").unwrap()),
        key_id: Some("k"),
        ..hooksig::SignOptions::default()
    };
    let profile = hooksig::Profile::parse("unknownpay-s2s").unwrap();
    let signed = hooksig::sign(&profile, b"s2s-secret", b"{}", options);
    let mut call = Call {
        profile: b"unknownpay-s2s".to_vec(),
        secrets: vec![b"s2s-secret\n".to_vec()],
        window: tolerance(&Value::Null),
        headers: signed
            .unwrap()
            .iter()
            .map(|h| (h.name().as_bytes().to_vec(), h.value().as_bytes().to_vec()))
            .collect(),
        body: b"{}".to_vec(),
        request: Some(("POST".into(), "/v1/deposits".into())),
        now: 1_700_000_000,
    };
    let (result, verdict, _, text) = call.run(4096);
    assert_eq!((result, verdict), (hooksig_result::Ok, hooksig_result::SignatureMismatch));
    let json: Value = serde_json::from_str(&text.unwrap()).unwrap();
    assert_eq!(json["findings"][0]["code"], "SECRET_WHITESPACE");
    assert_eq!(json["findings"][0]["fields"]["secret_index"], 0);
    call.secrets = vec![b"s2s-secret".to_vec()];
    let (_, verdict, _, text) = call.run(4096);
    assert_eq!(verdict, hooksig_result::Ok);
    let json: Value = serde_json::from_str(&text.unwrap()).unwrap();
    assert_eq!(
        (&json["verdict"], &json["secret_index"], &json["findings"]),
        (&"OK".into(), &0.into(), &Value::Array(vec![]))
    );
}

#[test]
fn wrong_arguments_are_errors_not_verdicts() {
    let case = &explain_cases()[0];
    let mut wrong: Vec<(&str, Call)> = Vec::new();
    for (what, profile) in [("non-UTF-8 profile", &b"\xff\xfe"[..]), ("unknown profile", b"no-such-provider")] {
        wrong.push((what, Call { profile: profile.to_vec(), ..Call::of(case) }));
    }
    let disabled_with_past = hooksig_window {
        tolerance: arg(hooksig_window_kind::Null, 0),
        past: arg(hooksig_window_kind::Int, 5),
        future: arg(hooksig_window_kind::Absent, 0),
    };
    wrong.push(("disabled window with a side", Call { window: disabled_with_past, ..Call::of(case) }));
    let negative = hooksig_window { tolerance: arg(hooksig_window_kind::Int, -1), ..tolerance(&Value::Null) };
    wrong.push(("negative tolerance", Call { window: negative, ..Call::of(case) }));
    wrong.push(("bad method", Call { request: Some(("BAD METHOD".into(), "/".into())), ..Call::of(case) }));
    for (what, call) in wrong {
        let (result, verdict, needed, _) = call.run(4096);
        assert_eq!(result, hooksig_result::InvalidArgument, "{what}");
        assert_eq!((verdict, needed), (hooksig_result::Internal, 0), "{what}: outs untouched");
    }

    // Only one of method / path; each required pointer NULL; no secrets is a verdict, not an error.
    let base = hooksig_explain_args {
        profile: bytes(b"github"),
        secrets: ptr::null(),
        secrets_len: 0,
        window: tolerance(&Value::Null),
        headers: ptr::null(),
        headers_len: 0,
        body: NONE,
        method: NONE,
        path_and_query: NONE,
        now: 0,
    };
    let (mut needed, mut verdict) = (0usize, hooksig_result::Ok);
    let mut buf = [0 as c_char; 256];
    let (b, n, v): (*mut c_char, *mut usize, *mut hooksig_result) = (buf.as_mut_ptr(), &mut needed, &mut verdict);
    let cases = [
        (Some(hooksig_explain_args { method: bytes(b"POST"), ..base }), b, 256, n, v, hooksig_result::InvalidArgument),
        (
            Some(hooksig_explain_args { path_and_query: bytes(b"/"), ..base }),
            b,
            256,
            n,
            v,
            hooksig_result::InvalidArgument,
        ),
        (
            Some(hooksig_explain_args { profile: hooksig_bytes { ptr: ptr::null(), len: 6 }, ..base }),
            b,
            256,
            n,
            v,
            hooksig_result::NullArgument,
        ),
        (Some(hooksig_explain_args { headers_len: 3, ..base }), b, 256, n, v, hooksig_result::NullArgument),
        (None, b, 256, n, v, hooksig_result::NullArgument),
        (Some(base), b, 256, ptr::null_mut(), v, hooksig_result::NullArgument),
        (Some(base), b, 256, n, ptr::null_mut(), hooksig_result::NullArgument),
        (Some(base), ptr::null_mut(), 4096, n, v, hooksig_result::NullArgument),
        (Some(base), b, 256, n, v, hooksig_result::Ok),
    ];
    for (i, (args, buf, len, needed, verdict, expected)) in cases.into_iter().enumerate() {
        let args = args.as_ref().map_or(ptr::null(), ptr::from_ref);
        // SAFETY: valid pointers with their lengths; NULLs are checked before any use.
        assert_eq!(unsafe { hooksig_explain(args, buf, len, needed, verdict) }, expected, "case {i}");
    }
    assert_eq!(verdict, hooksig_result::InvalidArgument, "no secrets: the verdict says so");
    // The NULL buffer of a big enough size still got the size (the buffer protocol).
    assert!(needed > 2);
}
