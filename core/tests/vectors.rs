//! Runs every case of `testdata/vectors.json` (the file every binding runs)
//! through the core, asserting the exact code, `secret_index`, id and
//! timestamp, and every sign case's exact headers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use hooksig::{Error, Profile, RequestLine, SignOptions, Verifier};
use hooksig_testdata::{
    Value, body, check_replay, check_verified, expected_headers, headers, run_all, same_headers, section, vectors,
};

mod common;
use common::tolerance;

fn code<T>(result: &Result<T, Error>) -> &'static str {
    result.as_ref().map_or_else(|e| e.code(), |_| "OK")
}

fn run_case(case: &Value) -> Result<(), String> {
    let secrets: Vec<String> =
        case["secrets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
    let headers = headers(case);
    let body = body(case);
    let now = case["now"].as_u64().unwrap_or(0);
    let result = Profile::parse(case["scheme"].as_str().unwrap())
        .and_then(|profile| Verifier::new(profile, &secrets))
        .map(|v| v.with_tolerance(tolerance(case)))
        .and_then(|verifier| {
            let request = &case["request"];
            let line = RequestLine::from_parts(request["method"].as_str(), request["path_and_query"].as_str())?;
            verifier
                .verify_request(&headers, &body, line, now)
                .map(|v| (v.secret_index, v.timestamp, v.id.map(str::to_owned), v.replay_key.to_hex(), v.id_signed))
        });
    let expect = case["expect"].as_str().unwrap();
    if code(&result) != expect {
        return Err(format!("expected {expect}, got {}", code(&result)));
    }
    if let Ok((index, timestamp, id, replay_key, id_signed)) = result {
        check_verified(case, index, timestamp, id.as_deref())?;
        check_replay(case, core::str::from_utf8(&replay_key).unwrap(), id_signed)?;
    }
    Ok(())
}

fn run_sign_case(case: &Value) -> Result<(), String> {
    let secret = case["secret"].as_str().unwrap().as_bytes();
    let body = body(case);
    let timestamp = case["timestamp"].as_u64();
    let id = case["id"].as_str();
    let profile = Profile::parse(case["scheme"].as_str().unwrap());
    let request = &case["request"];
    let result: Result<Vec<(String, String)>, Error> = profile.and_then(|profile| {
        let options = SignOptions {
            timestamp,
            id,
            request: RequestLine::from_parts(request["method"].as_str(), request["path_and_query"].as_str())?,
            key_id: request["key_id"].as_str(),
        };
        hooksig::sign(&profile, secret, &body, options)
            .map(|h| h.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect())
    });
    let expect = case["expect"].as_str().unwrap();
    if code(&result) != expect {
        return Err(format!("expected {expect}, got {}", code(&result)));
    }
    if let Ok(got) = result {
        let want = expected_headers(case);
        // Names as text; values carry MACs, compared in constant time even here.
        if !same_headers(&got, &want) {
            return Err(format!("headers {got:?}, expected {want:?}"));
        }
    }
    Ok(())
}

#[test]
fn every_verify_case() {
    let n = run_all(&vectors(), "cases", run_case);
    assert!(n >= 118, "expected the 58 provider cases plus at least 60 of our own, found {n}");
}

#[test]
fn every_sign_case() {
    let n = run_all(&vectors(), "sign_cases", run_sign_case);
    assert!(n >= 20, "found only {n} sign cases");
}

#[test]
fn every_error_code_is_exercised_by_the_vectors() {
    let vectors = vectors();
    let expected: std::collections::BTreeSet<&str> =
        section(&vectors, "cases").iter().map(|c| c["expect"].as_str().unwrap()).collect();
    for error in Error::ALL {
        if matches!(
            error,
            Error::Internal
                | Error::DuplicateDelivery
                | Error::ReplayStoreUnavailable
                | Error::PayloadTooLarge
                | Error::RawBodyUnavailable
        ) {
            continue; // a binding's panic boundary, and a replay store, produce these; verify never does
        }
        assert!(expected.contains(error.code()), "no vector expects {}", error.code());
    }
}

#[test]
fn every_profile_has_vectors() {
    let vectors = vectors();
    let schemes: std::collections::BTreeSet<String> = section(&vectors, "cases")
        .iter()
        .filter_map(|c| Profile::parse(c["scheme"].as_str().unwrap()).ok())
        .map(|p| p.name().to_owned())
        .collect();
    for profile in Profile::BUILTIN.iter().map(Profile::name).chain(["custom"]) {
        assert!(schemes.contains(profile), "no vector for {profile}");
    }
}
