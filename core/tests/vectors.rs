//! Runs every case of `testdata/vectors.json` (the file every binding runs)
//! through the core, asserting the exact code, `secret_index`, id and
//! timestamp, and every sign case's exact headers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use hooksig::{Error, Profile, Tolerance, Verifier};
use serde_json::Value;
use subtle::ConstantTimeEq;

fn load() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/vectors.json");
    let text = std::fs::read_to_string(path).expect("testdata/vectors.json");
    serde_json::from_str(&text).expect("vectors.json is JSON")
}

/// A string, or `{"hex": "…"}` for bytes that are not UTF-8.
fn bytes(value: &Value) -> Vec<u8> {
    match value {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Object(o) => hex::decode(o["hex"].as_str().unwrap()).unwrap(),
        other => panic!("not a string or {{hex}}: {other}"),
    }
}

fn body(case: &Value) -> Vec<u8> {
    match (&case["body"], &case["body_hex"]) {
        (Value::String(s), Value::Null) => s.as_bytes().to_vec(),
        (Value::Null, Value::String(h)) => hex::decode(h).unwrap(),
        _ => panic!("{}: exactly one of body/body_hex", case["name"]),
    }
}

fn tolerance(case: &Value) -> Tolerance {
    match &case["tolerance"] {
        Value::Null => Tolerance::DEFAULT,
        Value::String(s) if s == "disabled" => Tolerance::Disabled,
        Value::Object(o) => {
            Tolerance::Window { past: o["past"].as_u64().unwrap(), future: o["future"].as_u64().unwrap() }
        }
        other => panic!("{}: bad tolerance {other}", case["name"]),
    }
}

fn code<T>(result: &Result<T, Error>) -> &'static str {
    result.as_ref().map_or_else(|e| e.code(), |_| "OK")
}

fn run_case(case: &Value) -> Result<(), String> {
    let secrets: Vec<String> =
        case["secrets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
    let headers: Vec<(Vec<u8>, Vec<u8>)> =
        case["headers"].as_array().unwrap().iter().map(|pair| (bytes(&pair[0]), bytes(&pair[1]))).collect();
    let body = body(case);
    let now = case["now"].as_u64().unwrap_or(0);
    let result = Profile::parse(case["scheme"].as_str().unwrap())
        .and_then(|profile| Verifier::new(profile, &secrets))
        .map(|v| v.with_tolerance(tolerance(case)))
        .and_then(|verifier| match &case["request"] {
            Value::Null => {
                verifier.verify(&headers, &body, now).map(|v| (v.secret_index, v.timestamp, v.id.map(str::to_owned)))
            }
            request => verifier
                .verify_request(
                    &headers,
                    &body,
                    request["method"].as_str().unwrap(),
                    request["path_and_query"].as_str().unwrap(),
                    now,
                )
                .map(|v| (v.secret_index, v.timestamp, v.id.map(str::to_owned))),
        });
    let expect = case["expect"].as_str().unwrap();
    if code(&result) != expect {
        return Err(format!("expected {expect}, got {}", code(&result)));
    }
    if let Ok((index, timestamp, id)) = result {
        if let Some(want) = case["matched_secret"].as_u64()
            && index as u64 != want
        {
            return Err(format!("secret_index {index}, expected {want}"));
        }
        if let Some(want) = case.get("expect_timestamp")
            && timestamp != want.as_u64()
        {
            return Err(format!("timestamp {timestamp:?}, expected {want}"));
        }
        if let Some(want) = case.get("expect_id")
            && id.as_deref() != want.as_str()
        {
            return Err(format!("id {id:?}, expected {want}"));
        }
    }
    Ok(())
}

fn run_sign_case(case: &Value) -> Result<(), String> {
    let secret = case["secret"].as_str().unwrap().as_bytes();
    let body = body(case);
    let timestamp = case["timestamp"].as_u64();
    let id = case["id"].as_str();
    let profile = Profile::parse(case["scheme"].as_str().unwrap());
    let result: Result<Vec<(String, String)>, Error> = match (&case["request"], &profile) {
        (Value::Null, Ok(profile)) => hooksig::sign(profile, secret, &body, timestamp, id)
            .map(|h| h.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect()),
        (Value::Null, Err(e)) => Err(*e),
        (request, _) => timestamp.ok_or(Error::InvalidArgument).and_then(|timestamp| {
            hooksig::sign_request(
                secret,
                request["method"].as_str().unwrap(),
                request["path_and_query"].as_str().unwrap(),
                &body,
                timestamp,
                request["key_id"].as_str(),
            )
            .map(|h| h.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect())
        }),
    };
    let expect = case["expect"].as_str().unwrap();
    if code(&result) != expect {
        return Err(format!("expected {expect}, got {}", code(&result)));
    }
    if let Ok(got) = result {
        let want: Vec<(String, String)> = case["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_str().unwrap().to_owned(), p[1].as_str().unwrap().to_owned()))
            .collect();
        // Names as text; values carry MACs, compared in constant time even here.
        if !same_headers(&got, &want) {
            return Err(format!("headers {got:?}, expected {want:?}"));
        }
    }
    Ok(())
}

fn run_all(section: &str, run: fn(&Value) -> Result<(), String>) -> usize {
    let vectors = load();
    let cases = vectors[section].as_array().unwrap_or_else(|| panic!("no {section}"));
    let failures: Vec<String> =
        cases.iter().filter_map(|case| run(case).err().map(|why| format!("{}: {why}", case["name"]))).collect();
    assert!(failures.is_empty(), "{} of {} {section} failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    cases.len()
}

#[test]
fn every_verify_case() {
    let n = run_all("cases", run_case);
    assert!(n >= 118, "expected the 58 provider cases plus at least 60 of our own, found {n}");
}

#[test]
fn every_sign_case() {
    let n = run_all("sign_cases", run_sign_case);
    assert!(n >= 20, "found only {n} sign cases");
}

#[test]
fn every_error_code_is_exercised_by_the_vectors() {
    let vectors = load();
    let expected: std::collections::BTreeSet<&str> =
        vectors["cases"].as_array().unwrap().iter().map(|c| c["expect"].as_str().unwrap()).collect();
    for error in Error::ALL {
        if error == Error::Internal {
            continue; // only a binding's panic boundary produces it
        }
        assert!(expected.contains(error.code()), "no vector expects {}", error.code());
    }
}

#[test]
fn every_profile_has_vectors() {
    let vectors = load();
    let schemes: std::collections::BTreeSet<String> = vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| Profile::parse(c["scheme"].as_str().unwrap()).ok())
        .map(|p| p.name().to_owned())
        .collect();
    for profile in Profile::BUILTIN.iter().map(Profile::name).chain(["custom"]) {
        assert!(schemes.contains(profile), "no vector for {profile}");
    }
}

/// The same headers in the same order: names compared as text, values
/// (signatures) with `subtle`, as every MAC comparison in this project is.
fn same_headers(got: &[(String, String)], want: &[(String, String)]) -> bool {
    got.len() == want.len()
        && got.iter().zip(want).all(|((got_name, got_value), (want_name, want_value))| {
            got_name == want_name && bool::from(got_value.as_bytes().ct_eq(want_value.as_bytes()))
        })
}
