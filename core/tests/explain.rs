//! Runs every case of `testdata/explain.json` through `hooksig::explain`:
//! the verdict must be the case's `expect` and the findings of
//! `Explanation::to_json` (the one serialisation) exactly the case's
//! `findings` (code and fields, in order), each with a one-line message. A
//! case with `raises` is bad input: the call cannot even be made.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use hooksig::{Finding, Profile, Tolerance, Verifier, explain};
use hooksig_testdata::{Value, body, bytes, explain_cases, headers, section, vectors};

mod common;
use common::tolerance;

fn run(case: &Value) -> Result<(), String> {
    let parsed = Profile::parse(case["scheme"].as_str().unwrap());
    if let Some(code) = case.get("raises") {
        // The one bad-input rule: an unknown profile is refused before explain runs.
        return match parsed {
            Err(e) if code.as_str() == Some(e.code()) => Ok(()),
            other => Err(format!("expected {code} from Profile::parse, got {other:?}")),
        };
    }
    let profile = parsed.map_err(|e| e.code().to_owned())?;
    let secrets: Vec<&str> = case["secrets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    let headers: Vec<(&str, &str)> = case["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap(), pair[1].as_str().unwrap()))
        .collect();
    let body = case["body"].as_str().unwrap().as_bytes();
    let now = case["now"].as_u64().unwrap_or(0);
    let explanation = explain(&profile, &secrets, tolerance(case), &headers, body, None, now);

    // The verdict is exactly what `verify` says.
    let verified = Verifier::new(profile, &secrets)
        .map(|v| v.with_tolerance(tolerance(case)))
        .and_then(|v| v.verify(&headers, body, now).map(|ok| ok.secret_index));
    if verified != explanation.verdict {
        return Err(format!("verdict {:?} but verify gives {verified:?}", explanation.verdict));
    }
    let json: Value = serde_json::from_str(&explanation.to_json()).map_err(|e| format!("to_json: {e}"))?;
    let expect = &case["expect"];
    if json["verdict"] != *expect || explanation.verdict_code() != expect.as_str().unwrap() {
        return Err(format!("verdict {}, expected {expect}", json["verdict"]));
    }
    let secret_index = explanation.verdict.map_or(Value::Null, Value::from);
    if json["secret_index"] != secret_index {
        return Err(format!("secret_index {}, expected {secret_index}", json["secret_index"]));
    }
    let findings = json["findings"].as_array().ok_or("no findings array")?;
    let found: Vec<Value> =
        findings.iter().map(|f| serde_json::json!({"code": f["code"], "fields": f["fields"]})).collect();
    if Value::from(found.clone()) != case["findings"] {
        return Err(format!("findings {found:?}, expected {}", case["findings"]));
    }
    // Every finding has a one-line message.
    for finding in findings {
        let message = finding["message"].as_str().unwrap_or_default();
        if message.is_empty() || message.contains('\n') {
            return Err(format!("{}: bad message {message:?}", finding["code"]));
        }
    }
    // Small deliveries are searched in full, within the attempt bound.
    let attempts = json["attempts"].as_u64().ok_or("no attempts")?;
    if attempts != explanation.attempts as u64 || explanation.attempts > hooksig::MAX_ATTEMPTS {
        return Err(format!("{attempts} attempts"));
    }
    if json["skipped"] != serde_json::json!([]) || !explanation.skipped.is_empty() {
        return Err(format!("skipped {}", json["skipped"]));
    }
    Ok(())
}

#[test]
fn every_explain_case() {
    let cases = explain_cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run(case).err().map(|e| format!("{}: {e}", case["name"].as_str().unwrap_or("?"))))
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn every_finding_code_has_a_case() {
    let cases = explain_cases();
    let codes: std::collections::BTreeSet<String> = cases
        .iter()
        .filter_map(|c| c["findings"].as_array())
        .flatten()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    for code in Finding::CODES {
        assert!(codes.contains(code), "no case for {code}");
    }
    // The shared bad-input case, and every case is either one or the other.
    assert!(cases.iter().any(|c| c["raises"] == "INVALID_ARGUMENT"), "no raises case");
    for case in &cases {
        let raises = case.get("raises").is_some();
        assert_eq!(raises, case.get("expect").is_none() && case.get("findings").is_none(), "{}", case["name"]);
    }
}

#[test]
fn explain_on_a_signed_request_and_bad_arguments() {
    // UnknownPay S2S: the request line is part of the MAC; a trailing-newline secret is found.
    let request = Some(hooksig::RequestLine::new("POST", "/v1/deposits").unwrap());
    let options =
        hooksig::SignOptions { timestamp: Some(1_700_000_000), request, key_id: Some("k"), ..Default::default() };
    let signed = hooksig::sign(&Profile::UnknownPayS2s, b"s2s-secret", b"{}", options).unwrap();
    let headers: Vec<(&str, &str)> = signed.iter().map(|h| (h.name(), h.value())).collect();
    let e = explain(
        &Profile::UnknownPayS2s,
        &["s2s-secret\n"],
        Tolerance::DEFAULT,
        &headers,
        b"{}",
        request,
        1_700_000_000,
    );
    assert_eq!(e.verdict_code(), "SIGNATURE_MISMATCH");
    assert_eq!(e.findings, vec![Finding::SecretWhitespace { secret_index: 0 }]);
    // No secrets at all: the verdict says so and nothing is attempted beyond it.
    let none: [&str; 0] = [];
    let e = explain(&Profile::GitHub, &none, Tolerance::DEFAULT, &headers, b"{}", None, 0);
    assert_eq!(e.verdict_code(), "INVALID_ARGUMENT");
    assert!(e.findings.is_empty());
    assert!(e.attempts <= 1);
}

#[test]
fn work_is_bounded_by_max_attempts() {
    // 500 quoted, conflicting signature headers: each one is a candidate alteration.
    let values: Vec<String> = (0..500).map(|i| format!("\"sha256={i:064x}\"")).collect();
    let headers: Vec<(&str, &str)> = values.iter().map(|v| ("X-Hub-Signature-256", v.as_str())).collect();
    let e = explain(&Profile::GitHub, &["s\n"], Tolerance::DEFAULT, &headers, b"{\"a\": 1}\n", None, 0);
    assert_eq!(e.verdict_code(), "MALFORMED_HEADER");
    assert!(e.findings.is_empty());
    assert_eq!(e.attempts, hooksig::MAX_ATTEMPTS);
    // And it says what it could not try.
    assert_eq!(e.skipped, ["HEADER_VALUE_QUOTED"]);
    let json: Value = serde_json::from_str(&e.to_json()).unwrap();
    assert_eq!(json["skipped"], serde_json::json!(["HEADER_VALUE_QUOTED"]));
}

/// Over every verify case of `testdata/vectors.json`: explain's verdict is the
/// case's expected code, nothing is found for a delivery that verifies, and
/// the work stays bounded.
#[test]
fn verdict_matches_every_vectors_case() {
    let doc = vectors();
    let mut explained = 0;
    for case in section(&doc, "cases") {
        let Ok(profile) = Profile::parse(case["scheme"].as_str().unwrap()) else { continue };
        let secrets: Vec<Vec<u8>> = section(case, "secrets").iter().map(bytes).collect();
        let headers = headers(case);
        let body = body(case);
        let r = &case["request"];
        let Ok(request) = hooksig::RequestLine::from_parts(r["method"].as_str(), r["path_and_query"].as_str()) else {
            // A bad request line never reaches explain (the binding's conversion refuses it).
            assert_eq!(case["expect"], "INVALID_ARGUMENT");
            continue;
        };
        let now = case["now"].as_u64().unwrap_or(0);
        let e = explain(&profile, &secrets, tolerance(case), &headers, &body, request, now);
        let name = case["name"].as_str().unwrap();
        assert_eq!(e.verdict_code(), case["expect"].as_str().unwrap(), "{name}");
        assert!(e.attempts <= hooksig::MAX_ATTEMPTS, "{name}");
        if e.verdict.is_ok() {
            assert!(e.findings.is_empty(), "{name}");
        }
        explained += 1;
    }
    assert!(explained > 400, "{explained}");
}
