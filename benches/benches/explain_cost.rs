//! The cost of `explain` (bounded in bytes hashed), measured against one `verify` of
//! the same delivery: explain is bounded in bytes hashed, not only in attempts.
//!
//! `cargo bench -p hooksig-benches --bench explain_cost`. Two worst cases:
//! - `deep-json-256KiB`: a 256 KiB JSON body nested 64 deep (the deepest
//!   accepted), whose pretty-printed re-encodings are ~130 times its size;
//! - `body-4MiB-every-header`: a 4 MiB body sent with a well-formed (wrong)
//!   signature header of every built-in profile, so every other-profile retry
//!   reaches the MAC.
//!
//! Each with 1 and 8 secrets; read `explain-…` against `verify-…` (the same
//! inputs): the ratio is bounded by `EXPLAIN_HASH_FACTOR`. The exact byte
//! bound is asserted by the core's unit test
//! `explain::search::tests::hashed_bytes_are_bounded`.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use core::hint::black_box;
use core::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use hooksig::{Error, Profile, SignOptions, Tolerance, Verifier, explain};

const NOW: u64 = 1_700_000_000;

/// A 256 KiB array of `1`s nested 64 deep: valid JSON, at the depth limit.
fn deep_json() -> Vec<u8> {
    let depth = hooksig::MAX_DEPTH;
    let items = (256 * 1024 - 2 * depth) / 2;
    let mut body = "[".repeat(depth - 1);
    body.push('[');
    body.push_str(&"1,".repeat(items - 1));
    body.push('1');
    body.push_str(&"]".repeat(depth));
    body.into_bytes()
}

/// Every built-in webhook profile's headers, signed with a secret the
/// verifier does not have: each is well formed and each reaches the MAC
/// (AkashicPay's too when the body is JSON).
fn every_header(body: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let mut headers = Vec::new();
    for profile in Profile::BUILTIN.iter().filter(|p| !p.signs_request()) {
        let secret: &[u8] = if *profile == Profile::StandardWebhooks { b"whsec_b3RoZXI=" } else { b"other" };
        let id = profile.id_header().map(|_| "msg_1");
        let options = SignOptions { timestamp: Some(NOW), id, ..SignOptions::default() };
        // AkashicPay signs JSON only: a body that is not JSON gets no header of it.
        let signed = match hooksig::sign(profile, secret, body, options) {
            Err(Error::MalformedBody) => continue,
            signed => signed?,
        };
        for header in signed.iter() {
            if !headers.iter().any(|(name, _): &(String, String)| name.eq_ignore_ascii_case(header.name())) {
                headers.push((header.name().to_owned(), header.value().to_owned()));
            }
        }
    }
    Ok(headers)
}

struct Case {
    name: &'static str,
    profile: Profile,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn cases() -> Result<Vec<Case>, Error> {
    let deep = deep_json();
    let wrong = format!("sha256={}", "00".repeat(32));
    let big: Vec<u8> = b"0123456789abcdef".iter().copied().cycle().take(4 << 20).collect();
    Ok(vec![
        Case {
            name: "deep-json-256KiB",
            profile: Profile::GitHub,
            headers: vec![("X-Hub-Signature-256".to_owned(), wrong)],
            body: deep,
        },
        Case { name: "body-4MiB-every-header", profile: Profile::GitHub, headers: every_header(&big)?, body: big },
    ])
}

fn explain_cost(c: &mut Criterion) {
    let cases = match cases() {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("explain_cost: setup failed: {}", e.code());
            std::process::exit(1);
        }
    };
    let mut group = c.benchmark_group("explain-cost");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    for case in &cases {
        group.throughput(Throughput::Bytes(case.body.len() as u64));
        for n in [1, 8] {
            let secrets: Vec<String> = (0..n).map(|i| format!("bench-secret-{i}\n")).collect();
            let Ok(verifier) = Verifier::new(case.profile, &secrets) else {
                eprintln!("explain_cost: verifier setup failed");
                std::process::exit(1);
            };
            let verifier = verifier.with_tolerance(Tolerance::DEFAULT);
            if verifier.verify(&case.headers, &case.body, NOW).err() != Some(Error::SignatureMismatch) {
                eprintln!("explain_cost: {} must be a signature mismatch", case.name);
                std::process::exit(1);
            }
            let once = explain(&case.profile, &secrets, Tolerance::DEFAULT, &case.headers, &case.body, None, NOW);
            eprintln!("explain_cost: {} x{n} secrets: {}", case.name, once.to_json());
            group.bench_function(format!("verify-{}-x{n}", case.name), |b| {
                b.iter(|| verifier.verify(black_box(&case.headers), black_box(&case.body), NOW).is_err())
            });
            group.bench_function(format!("explain-{}-x{n}", case.name), |b| {
                b.iter(|| {
                    let e = explain(
                        &case.profile,
                        &secrets,
                        Tolerance::DEFAULT,
                        black_box(&case.headers),
                        black_box(&case.body),
                        None,
                        NOW,
                    );
                    e.attempts
                })
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    targets = explain_cost
}
criterion_main!(benches);
