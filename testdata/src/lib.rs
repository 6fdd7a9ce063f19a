//! The test data every hooksig language runs (`vectors.json`, `explain.json`)
//! and the helpers the Rust tests (core, C ABI) share to read it.
//!
//! Test support only: a malformed case file is a broken test suite, so the
//! readers panic with the case and field rather than return errors.

#![allow(clippy::panic, clippy::expect_used, reason = "test support: bad test data must stop the test run loudly")]

pub use serde_json::Value;
use subtle::ConstantTimeEq;

/// `testdata/vectors.json`: `cases` (verify) and `sign_cases`.
#[must_use]
pub fn vectors() -> Value {
    load("vectors.json")
}

/// The `cases` of `testdata/explain.json`.
#[must_use]
pub fn explain_cases() -> Vec<Value> {
    section(&load("explain.json"), "cases").to_vec()
}

fn load(file: &str) -> Value {
    let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// The array `name` of a case file.
#[must_use]
pub fn section<'v>(file: &'v Value, name: &str) -> &'v [Value] {
    file.get(name).and_then(Value::as_array).unwrap_or_else(|| panic!("no {name} array"))
}

/// A string, or `{"hex": "…"}` for bytes that are not UTF-8.
#[must_use]
pub fn bytes(value: &Value) -> Vec<u8> {
    match value {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Object(o) => o
            .get("hex")
            .and_then(Value::as_str)
            .and_then(|h| hex::decode(h).ok())
            .unwrap_or_else(|| panic!("bad {{hex}}: {value}")),
        other => panic!("not a string or {{hex}}: {other}"),
    }
}

/// A case's body: exactly one of `body` (text) and `body_hex`.
#[must_use]
pub fn body(case: &Value) -> Vec<u8> {
    match (&case["body"], &case["body_hex"]) {
        (Value::String(s), Value::Null) => s.as_bytes().to_vec(),
        (Value::Null, Value::String(h)) => hex::decode(h).unwrap_or_else(|e| panic!("{}: body_hex: {e}", case["name"])),
        _ => panic!("{}: exactly one of body/body_hex", case["name"]),
    }
}

/// A case's `headers` as byte pairs.
#[must_use]
pub fn headers(case: &Value) -> Vec<(Vec<u8>, Vec<u8>)> {
    section(case, "headers")
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([name, value]) => (bytes(name), bytes(value)),
            _ => panic!("{}: a header is a [name, value] pair, not {pair}", case["name"]),
        })
        .collect()
}

/// The `tolerance` of a case, as every binding's window options express it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Window {
    /// Absent: the library's default window.
    Default,
    /// `"disabled"`.
    Disabled,
    /// `{"past": …, "future": …}` seconds.
    Window {
        /// Seconds in the past.
        past: u64,
        /// Seconds in the future.
        future: u64,
    },
}

/// A case's `tolerance`.
#[must_use]
pub fn window(case: &Value) -> Window {
    let seconds = |o: &serde_json::Map<String, Value>, side: &str| {
        o.get(side).and_then(Value::as_u64).unwrap_or_else(|| panic!("{}: tolerance.{side}", case["name"]))
    };
    match &case["tolerance"] {
        Value::Null => Window::Default,
        Value::String(s) if s == "disabled" => Window::Disabled,
        Value::Object(o) => Window::Window { past: seconds(o, "past"), future: seconds(o, "future") },
        other => panic!("{}: bad tolerance {other}", case["name"]),
    }
}

/// A sign case's expected `headers`, as text.
#[must_use]
pub fn expected_headers(case: &Value) -> Vec<(String, String)> {
    headers(case)
        .into_iter()
        .map(|(name, value)| {
            let text = |b: Vec<u8>| String::from_utf8(b).unwrap_or_else(|e| panic!("{}: {e}", case["name"]));
            (text(name), text(value))
        })
        .collect()
}

/// Checks a successful verification against the case's optional
/// `matched_secret`, `expect_timestamp` and `expect_id`.
///
/// # Errors
/// What differs, for the failure list.
pub fn check_verified(
    case: &Value,
    secret_index: usize,
    timestamp: Option<u64>,
    id: Option<&str>,
) -> Result<(), String> {
    if let Some(want) = case["matched_secret"].as_u64()
        && u64::try_from(secret_index).ok() != Some(want)
    {
        return Err(format!("secret_index {secret_index}, expected {want}"));
    }
    if let Some(want) = case.get("expect_timestamp")
        && timestamp != want.as_u64()
    {
        return Err(format!("timestamp {timestamp:?}, expected {want}"));
    }
    if let Some(want) = case.get("expect_id")
        && id != want.as_str()
    {
        return Err(format!("id {id:?}, expected {want}"));
    }
    Ok(())
}

/// Checks a result's replay key (lowercase hex) and `id_signed` against the
/// case's `expect_replay_key` / `expect_id_signed`, when the case has them.
/// The replay key is a hash of a tag, not a tag: plain comparison is fine.
///
/// # Errors
/// A message saying which field differs.
pub fn check_replay(case: &Value, replay_key_hex: &str, id_signed: bool) -> Result<(), String> {
    if let Some(want) = case.get("expect_replay_key")
        && want.as_str() != Some(replay_key_hex)
    {
        return Err(format!("replay_key {replay_key_hex}, expected {want}"));
    }
    if let Some(want) = case.get("expect_id_signed")
        && want.as_bool() != Some(id_signed)
    {
        return Err(format!("id_signed {id_signed}, expected {want}"));
    }
    Ok(())
}

/// The same headers in the same order: names compared as text, values
/// (signatures) with `subtle`, as every MAC comparison in this project is.
#[must_use]
pub fn same_headers(got: &[(String, String)], want: &[(String, String)]) -> bool {
    got.len() == want.len()
        && got.iter().zip(want).all(|((got_name, got_value), (want_name, want_value))| {
            got_name == want_name && bool::from(got_value.as_bytes().ct_eq(want_value.as_bytes()))
        })
}

/// Runs `run` on every case of `section` of `file` and fails with every
/// failing case's name and reason; returns how many cases ran.
///
/// # Panics
/// If any case fails.
pub fn run_all(file: &Value, name: &str, run: impl Fn(&Value) -> Result<(), String>) -> usize {
    let cases = section(file, name);
    let failures: Vec<String> =
        cases.iter().filter_map(|case| run(case).err().map(|why| format!("{}: {why}", case["name"]))).collect();
    assert!(failures.is_empty(), "{} of {} {name} failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    cases.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_parse_and_the_readers_agree_with_them() {
        let vectors = vectors();
        assert!(section(&vectors, "cases").len() >= 400);
        assert!(section(&vectors, "sign_cases").len() >= 50);
        assert!(explain_cases().len() >= 20);
        let case = serde_json::json!({"name": "x", "headers": [["a", {"hex": "00ff"}]], "body_hex": "41",
            "tolerance": {"past": 1, "future": 2}});
        assert_eq!(headers(&case), vec![(b"a".to_vec(), vec![0, 0xff])]);
        assert_eq!(body(&case), b"A");
        assert_eq!(window(&case), Window::Window { past: 1, future: 2 });
        let a = vec![("n".to_owned(), "v1=ab".to_owned())];
        assert!(same_headers(&a, &a.clone()));
        assert!(!same_headers(&a, &[("n".to_owned(), "v1=ac".to_owned())]));
        assert!(!same_headers(&a, &[]));
    }
}
