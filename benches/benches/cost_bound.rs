//! The cost bound (SECURITY.md, "Bounded cost"), measured: a delivery whose header carries
//! 32 signature entries, checked against 8 secrets, costs about 8 HMACs of the
//! body, not 256; and a 65-deep JSON body, a 20 000-deep one or an 8 KiB + 1
//! header is rejected in time independent of what follows the limit.
//!
//! `make bench-cost`. Read the `hmac-x8` line against `verify-32-entries-x8`:
//! they should be within a few per cent, and `hmac-x1` an eighth of them.
//! The exact count (8 MACs) is asserted by the core's unit test
//! `verifier::tests::at_most_one_mac_per_secret`.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use core::hint::black_box;
use core::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hooksig::{Error, MAX_ENTRIES, MAX_HEADER_LEN, MAX_SECRETS, MacKey, Profile, Tolerance, Verifier};

/// A 64 KiB body: large enough that the HMACs dominate everything else.
const BODY_LEN: usize = 64 * 1024;
const TS: &str = "1700000000";

struct Setup {
    body: Vec<u8>,
    keys: Vec<MacKey>,
    verifier: Verifier,
    /// `t=…` and 31 wrong `v1=` entries: 32 items, the most accepted.
    header: String,
}

fn setup() -> Result<Setup, Error> {
    let body = b"{\"amount\":\"100.00\"}".iter().copied().cycle().take(BODY_LEN).collect();
    let secrets: Vec<String> = (0..MAX_SECRETS).map(|i| format!("whsec_bench_secret_{i}")).collect();
    let keys = secrets.iter().map(|s| MacKey::new(s.as_bytes())).collect::<Result<_, _>>()?;
    let verifier = Verifier::new(Profile::Key2Pay, &secrets)?.with_tolerance(Tolerance::Disabled);
    let mut items = vec![format!("t={TS}")];
    items.extend((1..MAX_ENTRIES).map(|i| format!("v1={:064x}", i)));
    Ok(Setup { body, keys, verifier, header: items.join(",") })
}

fn cost_bound(c: &mut Criterion) {
    let s = match setup() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cost_bound: setup failed: {}", e.code());
            std::process::exit(1);
        }
    };
    let headers = [("X-Key2Pay-Signature", s.header.as_str())];
    if s.verifier.verify(&headers, &s.body, 0).err() != Some(Error::SignatureMismatch) {
        eprintln!("cost_bound: the 32-entry header must be a mismatch");
        std::process::exit(1);
    }
    let mut group = c.benchmark_group("cost-bound");
    group.throughput(Throughput::Bytes(BODY_LEN as u64));
    group.bench_function("hmac-x1", |b| {
        b.iter(|| s.keys.iter().take(1).map(|k| k.mac(&[TS.as_bytes(), b".", black_box(&s.body)])).collect::<Vec<_>>())
    });
    group.bench_function("hmac-x8", |b| {
        b.iter(|| s.keys.iter().map(|k| k.mac(&[TS.as_bytes(), b".", black_box(&s.body)])).collect::<Vec<_>>())
    });
    group.bench_function("verify-32-entries-x8-secrets", |b| {
        b.iter(|| s.verifier.verify(black_box(&headers), black_box(&s.body), 0).is_err())
    });
    group.finish();
}

/// One rejection to time: returns the error.
type Rejection<'a> = Box<dyn Fn() -> Option<Error> + 'a>;

fn bounded_rejection(c: &mut Criterion) {
    let secrets = ["bench-secret"];
    let (Ok(akashic), Ok(stripe)) =
        (Verifier::new(Profile::AkashicPay, &secrets), Verifier::new(Profile::Stripe, &secrets))
    else {
        eprintln!("cost_bound: verifier setup failed");
        std::process::exit(1);
    };
    let sig = [("Signature", "00".repeat(32))];
    let depth_65 = "[".repeat(65) + &"]".repeat(65);
    let depth_20000 = "[".repeat(20_000);
    let long = [("Stripe-Signature", format!("t={TS},v1=") + &"0".repeat(MAX_HEADER_LEN))];
    let items_33 = [("Stripe-Signature", format!("t={TS}") + &",v1=00".repeat(MAX_ENTRIES))];
    let cases: [(&str, Rejection<'_>); 4] = [
        ("json-depth-65", Box::new(|| akashic.verify(&sig, depth_65.as_bytes(), 0).err())),
        ("json-depth-20000-unclosed", Box::new(|| akashic.verify(&sig, depth_20000.as_bytes(), 0).err())),
        ("header-8-KiB-plus-1", Box::new(|| stripe.verify(&long, b"{}", 1_700_000_000).err())),
        ("header-33-items", Box::new(|| stripe.verify(&items_33, b"{}", 1_700_000_000).err())),
    ];
    let mut group = c.benchmark_group("bounded-rejection");
    for (name, run) in &cases {
        if !matches!(run(), Some(Error::MalformedBody | Error::MalformedHeader)) {
            eprintln!("cost_bound: {name} must be rejected as malformed");
            std::process::exit(1);
        }
        group.bench_function(*name, |b| b.iter(run));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = cost_bound, bounded_rejection
}
criterion_main!(benches);
