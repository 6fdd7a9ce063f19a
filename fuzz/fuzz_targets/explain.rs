//! `explain` on any delivery: it never panics, its verdict is exactly
//! `verify`'s, `to_json` is valid JSON of the documented shape, and the
//! findings that can be checked directly are real (trimmed secrets, another
//! profile, the clock skew all verify).
//!
//! Input: byte 0 picks the profile (a built-in or a custom one), byte 1 the
//! number of secrets (low nibble) and of headers (high nibble), byte 2 the
//! options (request line, window, `now`); then the secrets and the headers
//! (`name:value`), each ended by 0xff; the rest is the body.
#![no_main]

use hooksig::{Finding, Profile, RequestLine, Tolerance, Verifier, explain};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const CUSTOM: [&str; 2] = [
    "custom;header=X-Sig;prefix=v1=;encoding=base64;format=timestamped;key=base64",
    "custom;header=hmac_signature;encoding=hex",
];

fn profile(byte: u8) -> Option<Profile> {
    let index = usize::from(byte) % (Profile::BUILTIN.len() + CUSTOM.len());
    match Profile::BUILTIN.get(index) {
        Some(profile) => Some(*profile),
        None => Profile::parse(CUSTOM.get(index - Profile::BUILTIN.len())?).ok(),
    }
}

/// The next item ended by 0xff, and the rest.
fn item(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = data.iter().position(|&b| b == 0xff)?;
    Some((data.get(..end)?, data.get(end + 1..)?))
}

fn verify(
    profile: Profile,
    secrets: &[&[u8]],
    headers: &[(&[u8], &[u8])],
    body: &[u8],
    request: Option<RequestLine<'_>>,
    now: u64,
) -> Result<(usize, Option<u64>), hooksig::Error> {
    Verifier::new(profile, secrets)
        .map(|v| v.with_tolerance(Tolerance::Disabled))
        .and_then(|v| v.verify_request(headers, body, request, now))
        .map(|v| (v.secret_index, v.timestamp))
}

fuzz_target!(|data: &[u8]| {
    let [p, counts, options, rest @ ..] = data else { return };
    let mut rest: &[u8] = rest;
    let Some(profile) = profile(*p) else { return };
    let mut secrets = Vec::new();
    for _ in 0..usize::from(counts & 0x0f) % 10 {
        let Some((secret, after)) = item(rest) else { break };
        secrets.push(secret);
        rest = after;
    }
    let mut headers = Vec::new();
    for _ in 0..usize::from(counts >> 4) {
        let Some((pair, after)) = item(rest) else { break };
        let colon = pair.iter().position(|&b| b == b':').unwrap_or(pair.len());
        headers.push((pair.get(..colon).unwrap_or_default(), pair.get(colon + 1..).unwrap_or_default()));
        rest = after;
    }
    let body = rest;
    let request = if options & 1 != 0 { RequestLine::new("POST", "/v1/deposits").ok() } else { None };
    let tolerance =
        if options & 2 != 0 { Tolerance::Disabled } else { Tolerance::symmetric(u64::from(options >> 4) * 60) };
    let now = if options & 4 != 0 { 1_700_000_000 } else { 0 };

    let e = explain(&profile, &secrets, tolerance, &headers, body, request, now);

    // The verdict is verify's.
    let verified = Verifier::new(profile, &secrets)
        .map(|v| v.with_tolerance(tolerance))
        .and_then(|v| v.verify_request(&headers, body, request, now).map(|v| v.secret_index));
    assert_eq!(e.verdict, verified);
    assert!(e.attempts >= 1 && e.attempts <= hooksig::MAX_ATTEMPTS, "{} attempts", e.attempts);
    if e.verdict.is_ok() {
        assert!(e.findings.is_empty() && e.skipped.is_empty());
    }

    // The one serialisation: valid JSON, the documented keys and types.
    let json: Value = serde_json::from_str(&e.to_json()).expect("to_json is JSON");
    assert_eq!(json["verdict"], e.verdict_code());
    assert_eq!(json["secret_index"], e.verdict.map_or(Value::Null, Value::from));
    assert_eq!(json["attempts"], e.attempts);
    let findings = json["findings"].as_array().expect("findings array");
    assert_eq!(findings.len(), e.findings.len());
    for (value, finding) in findings.iter().zip(&e.findings) {
        assert_eq!(value["code"], finding.code());
        assert!(Finding::CODES.contains(&finding.code()));
        let message = value["message"].as_str().expect("message");
        assert!(!message.is_empty() && !message.chars().any(char::is_control), "{message:?}");
        let fields = value["fields"].as_object().expect("fields object");
        assert_eq!(fields.len(), finding.fields().len());
    }
    let skipped = json["skipped"].as_array().expect("skipped array");
    assert_eq!(skipped.len(), e.skipped.len());
    assert!(e.skipped.iter().all(|code| Finding::CODES.contains(code)));

    // The findings that can be checked directly are real.
    for finding in &e.findings {
        match finding {
            Finding::SecretWhitespace { secret_index } => {
                let trimmed: Vec<&[u8]> = secrets.iter().map(|s| s.trim_ascii()).collect();
                assert_eq!(verify(profile, &trimmed, &headers, body, request, now).map(|v| v.0), Ok(*secret_index));
            }
            Finding::OtherProfile { name } => {
                let other = Profile::parse(name).expect("a built-in name");
                assert!(verify(other, &secrets, &headers, body, request, now).is_ok(), "{name}");
            }
            Finding::ClockSkew { seconds } => {
                let (_, ts) =
                    verify(profile, &secrets, &headers, body, request, now).expect("valid once the window is off");
                let ts = ts.expect("a timestamp");
                assert_eq!(i128::from(now) - i128::from(ts), i128::from(*seconds));
            }
            _ => {}
        }
    }
});
