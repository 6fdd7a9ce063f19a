//! `verify_request` (with or without a request line) of any profile, built-in or custom, with
//! arbitrary secrets, headers, body, clock and window: never panics, always
//! returns OK or one of the documented codes, and an OK is consistent.
//!
//! Input (see `make_corpus.py`): secret count (u8), window mode (u8), now
//! (u64), past (u32), future (u32), then length-prefixed fields: profile
//! string, the secrets, body, method, path_and_query, then header name/value
//! pairs to the end.
#![no_main]

use hooksig::{Profile, RequestLine, Tolerance, Verifier};
use hooksig_fuzz::{Reader, assert_core_code};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut r = Reader::new(data);
    let n_secrets = usize::from(r.u8() % 10);
    let mode = r.u8();
    let now = r.u64();
    let (past, future) = (u64::from(r.u32()), u64::from(r.u32()));
    let Some(profile) = r.text() else { return };
    let secrets: Vec<&[u8]> = (0..n_secrets).map(|_| r.field().unwrap_or_default()).collect();
    let body = r.field().unwrap_or_default();
    let method = r.text().unwrap_or_default();
    let path = r.text().unwrap_or_default();
    let mut headers = Vec::new();
    while let (Some(name), Some(value)) = (r.field(), r.field()) {
        headers.push((name, value));
    }

    let profile = match Profile::parse(profile) {
        Ok(profile) => profile,
        Err(e) => return assert_eq!(e.code(), "INVALID_ARGUMENT"),
    };
    let tolerance = match mode % 3 {
        0 => Tolerance::DEFAULT,
        1 => Tolerance::Disabled,
        _ => Tolerance::Window { past, future },
    };
    let verifier = match Verifier::new(profile, &secrets) {
        Ok(v) => v.with_tolerance(tolerance),
        Err(e) => return assert!(matches!(e.code(), "INVALID_ARGUMENT" | "INVALID_SECRET"), "{e:?}"),
    };
    for (name, _) in &headers {
        let _ = verifier.wants_header(name);
    }
    let result = match RequestLine::from_parts(
        (!method.is_empty()).then_some(method),
        Some(path).filter(|_| !method.is_empty()),
    ) {
        Ok(line) => verifier.verify_request(&headers, body, line, now),
        Err(e) => Err(e),
    };
    match result {
        Err(e) => assert_core_code(e),
        Ok(verified) => {
            assert_eq!(verified.scheme, profile.name());
            assert!(verified.secret_index < secrets.len());
            assert_eq!(verified.timestamp.is_some(), profile.has_timestamp());
            if let (Some(ts), Tolerance::Window { past, future }) = (verified.timestamp, tolerance) {
                assert!(ts.saturating_add(past) >= now && ts <= now.saturating_add(future), "outside the window");
            }
            if let Some(id) = verified.id {
                assert!(id.is_empty() || headers.iter().any(|(_, v)| v.windows(id.len()).any(|w| w == id.as_bytes())));
            }
        }
    }
});
