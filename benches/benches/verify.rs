//! The Rust side of `make bench`: hooksig's full verify (header lookup and
//! parse, window check, HMAC, decode, constant-time compare) for each
//! profile and body size, with one secret and with two (rotation, the old
//! secret matching, so both MACs run), against what a Rust user would write
//! instead:
//! - `hmac-rekey`: the `hmac` crate keyed on every call, hex-decoded
//!   header, `verify_slice` (what most hand-written handlers do);
//! - `ring`: a `ring::hmac::Key` built once, hex-decoded header,
//!   `ring::hmac::verify`.
//!
//! Both baselines verify the UnknownPay shape (raw hex HMAC of the body),
//! the same work as `hooksig.unknownpay`. Results land in
//! `target/criterion/<size>/<name>/new/estimates.json`, which `run.py` reads.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use core::hint::black_box;
use core::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use hmac::{KeyInit, Mac};
use hooksig::{Error, Verifier};
use hooksig_benches::{NOW, PROFILES, SIZES, case, secrets};

/// Profiles benched with two secrets (one per header syntax family).
const ROTATION: [&str; 2] = ["key2pay", "standard-webhooks"];

fn hex_tag(header: &str) -> Option<[u8; 32]> {
    let mut tag = [0_u8; 32];
    hex::decode_to_slice(header, &mut tag).ok()?;
    Some(tag)
}

/// The hand-written verify most users write: re-key, MAC, compare.
fn hmac_rekey(secret: &[u8], header: &str, body: &[u8]) -> bool {
    let Some(tag) = hex_tag(header) else { return false };
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) else { return false };
    mac.update(body);
    mac.verify_slice(&tag).is_ok()
}

/// `ring` with the key built once.
fn ring_verify(key: &ring::hmac::Key, header: &str, body: &[u8]) -> bool {
    let Some(tag) = hex_tag(header) else { return false };
    ring::hmac::verify(key, body, &tag).is_ok()
}

fn bench_size(c: &mut Criterion, size: usize) -> Result<(), Error> {
    let mut group = c.benchmark_group(size.to_string());
    group.throughput(Throughput::Bytes(u64::try_from(size).unwrap_or(u64::MAX)));
    if size >= 64 << 10 {
        group.sampling_mode(SamplingMode::Flat);
    }
    for profile in PROFILES {
        let one = case(profile, size, 0)?;
        let keys = secrets(profile);
        let verifier = Verifier::new(one.profile, keys.get(..1).unwrap_or_default())?;
        verifier.verify(&one.headers, &one.body, NOW)?; // a bench of a failing verify would be meaningless
        group.bench_function(format!("hooksig.{profile}.1"), |b| {
            b.iter(|| black_box(verifier.verify(black_box(&one.headers), black_box(&one.body), NOW).is_ok()));
        });
        if ROTATION.contains(&profile) {
            let old = case(profile, size, 1)?;
            let verifier = Verifier::new(old.profile, &keys)?;
            if verifier.verify(&old.headers, &old.body, NOW)?.secret_index != 1 {
                return Err(Error::Internal);
            }
            group.bench_function(format!("hooksig.{profile}.2"), |b| {
                b.iter(|| black_box(verifier.verify(black_box(&old.headers), black_box(&old.body), NOW).is_ok()));
            });
        }
    }

    let raw = case("unknownpay", size, 0)?;
    let header = raw.headers.first().map(|(_, v)| v.clone()).unwrap_or_default();
    let secret = secrets("unknownpay")[0].as_bytes();
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    if !(hmac_rekey(secret, &header, &raw.body) && ring_verify(&key, &header, &raw.body)) {
        return Err(Error::SignatureMismatch);
    }
    group.bench_function("hmac-rekey", |b| {
        b.iter(|| black_box(hmac_rekey(black_box(secret), black_box(&header), black_box(&raw.body))));
    });
    group.bench_function("ring", |b| {
        b.iter(|| black_box(ring_verify(&key, black_box(&header), black_box(&raw.body))));
    });
    group.finish();
    Ok(())
}

fn verify(c: &mut Criterion) {
    for size in SIZES {
        if let Err(error) = bench_size(c, size) {
            eprintln!("bench setup failed at {size} B: {}", error.code());
            std::process::exit(1);
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = verify
}
criterion_main!(benches);
