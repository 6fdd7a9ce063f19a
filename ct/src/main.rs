//! dudect-style timing checks of the signature comparison, through the full
//! `Verifier::verify` (header lookup, parse, decode, HMAC, compare).
//!
//! Each check times two classes of forged deliveries that are identical
//! except for where the signature differs from the right one. An early-exit
//! comparison, or one that stopped at the first candidate, would take
//! measurably longer for one class; with `subtle`'s constant-time comparison
//! over every candidate Welch's t stays small. |t| < 5 is the usual "no
//! evidence of a leak" threshold; the result is reported (`make ct`), not
//! asserted in CI, because timing on a shared machine is noisy.
//!
//! - `first_vs_last_byte`: GitHub (hex), one bit flipped in the MAC's first
//!   vs last byte.
//! - `base64_first_vs_last_byte`: Shopify (base64), the same.
//! - `candidates32_first_vs_last_byte`: Standard Webhooks (base64), a header
//!   of 32 candidates (the most accepted), 31 wrong and the last one a near
//!   miss in its first vs last byte.
//! - `candidates32_first_vs_last_entry`: one fixed 32-entry header; the
//!   body decides whether its MAC's near miss is the first or the last entry.
//! - `calibration_no_mac_vs_mac`: two inputs whose timing really differs (no
//!   HMAC vs one HMAC); it must show a large |t|, or the harness sees nothing.
//!
//! In every check both classes are read from the same buffer at the same
//! address, filled before the timed call, so that memory layout cannot tell
//! them apart.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use dudect_bencher::rand::Rng;
use dudect_bencher::{BenchRng, Class, CtRunner, ctbench_main};
use hooksig::{Error, MAX_ENTRIES, MacKey, Profile, Tolerance, Verifier};

const SECRET: &[u8] = b"It's a Secret to Everybody";
const BODY: &[u8] = b"{\"action\":\"opened\",\"number\":1,\"amount\":\"100.00\"}";
/// Deliveries per class and run.
const SAMPLES: usize = 500_000;
/// Standard Webhooks: the raw key (base64 in the secret), id and timestamp.
const SW_KEY: &[u8] = b"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SW_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SW_TS: &str = "1614265330";

fn hex(tag: &[u8; 32]) -> String {
    tag.iter().map(|b| format!("{b:02x}")).collect()
}

fn setup_failed() -> ! {
    eprintln!("hooksig-ct: setup failed");
    std::process::exit(1);
}

/// `tag` with one bit of byte `at` flipped.
fn flipped(mut tag: [u8; 32], at: usize) -> [u8; 32] {
    if let Some(byte) = tag.get_mut(at) {
        *byte ^= 0x01;
    }
    tag
}

/// The right MAC of `parts` under `key`.
fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    match MacKey::new(key) {
        Ok(key) => key.mac(parts).to_bytes(),
        Err(_) => setup_failed(),
    }
}

/// The GitHub signature header value with one bit of the MAC's byte `at` flipped.
fn forged(at: usize) -> String {
    format!("sha256={}", hex(&flipped(mac(SECRET, &[BODY]), at)))
}

/// Times `verifier.verify` on `headers`, where the value of header `slot`
/// is `left` or `right` by class, written into one reused buffer.
fn time_two_values(
    runner: &mut CtRunner,
    rng: &mut BenchRng,
    verifier: &Verifier,
    mut headers: Vec<(&'static str, String)>,
    slot: usize,
    (left, right): (&str, &str),
) {
    if left.len() != right.len() || slot >= headers.len() {
        setup_failed();
    }
    // Both classes must be the same verdict, a mismatch (not, say, a
    // malformed header that skips the HMAC): only timing may differ.
    for value in [left, right] {
        let mut probe = headers.clone();
        if let Some((_, v)) = probe.get_mut(slot) {
            *v = value.to_owned();
        }
        if verifier.verify(&probe, BODY, 0).err() != Some(Error::SignatureMismatch) {
            setup_failed();
        }
    }
    let classes: Vec<Class> =
        (0..2 * SAMPLES).map(|_| if rng.r#gen::<bool>() { Class::Left } else { Class::Right }).collect();
    for class in classes {
        if let Some((_, value)) = headers.get_mut(slot) {
            value.clear();
            value.push_str(if matches!(class, Class::Left) { left } else { right });
        }
        runner.run_one(class, || {
            let result = verifier.verify(core::hint::black_box(&headers), BODY, 0);
            // Every sample must be the same outcome; only the timing may differ.
            core::hint::black_box(result.is_err())
        });
    }
}

fn first_vs_last_byte(runner: &mut CtRunner, rng: &mut BenchRng) {
    let Ok(verifier) = Verifier::new(Profile::GitHub, &[SECRET]) else { setup_failed() };
    let (first, last) = (forged(0), forged(31));
    let headers = vec![("X-Hub-Signature-256", String::with_capacity(first.len()))];
    time_two_values(runner, rng, &verifier, headers, 0, (&first, &last));
}

fn base64_first_vs_last_byte(runner: &mut CtRunner, rng: &mut BenchRng) {
    let Ok(verifier) = Verifier::new(Profile::Shopify, &[SECRET]) else { setup_failed() };
    let tag = mac(SECRET, &[BODY]);
    let (first, last) = (STANDARD.encode(flipped(tag, 0)), STANDARD.encode(flipped(tag, 31)));
    let headers = vec![("X-Shopify-Hmac-Sha256", String::with_capacity(first.len()))];
    time_two_values(runner, rng, &verifier, headers, 0, (&first, &last));
}

/// A Standard Webhooks verifier, its three headers (the signature empty),
/// and a `webhook-signature` value of 32 `v1,<base64>` entries: the same 31
/// wrong ones in the same order, and `near_miss` inserted at entry `at`.
fn standard_webhooks(near_miss: [u8; 32], at: usize) -> (Verifier, Vec<(&'static str, String)>, String) {
    let secret = format!("whsec_{}", STANDARD.encode(SW_KEY));
    let Ok(verifier) = Verifier::new(Profile::StandardWebhooks, &[secret]) else { setup_failed() };
    let verifier = verifier.with_tolerance(Tolerance::Disabled);
    let mut tags: Vec<[u8; 32]> = (1..MAX_ENTRIES).map(|i| mac(b"some other key", &[&i.to_le_bytes()])).collect();
    tags.insert(at.min(tags.len()), near_miss);
    let entries: Vec<String> = tags.iter().map(|tag| format!("v1,{}", STANDARD.encode(tag))).collect();
    let headers = vec![
        ("webhook-id", SW_ID.to_owned()),
        ("webhook-timestamp", SW_TS.to_owned()),
        ("webhook-signature", String::new()),
    ];
    (verifier, headers, entries.join(" "))
}

fn sw_tag() -> [u8; 32] {
    mac(SW_KEY, &[SW_ID.as_bytes(), b".", SW_TS.as_bytes(), b".", BODY])
}

fn candidates32_first_vs_last_byte(runner: &mut CtRunner, rng: &mut BenchRng) {
    let (verifier, headers, first) = standard_webhooks(flipped(sw_tag(), 0), MAX_ENTRIES - 1);
    let (_, _, last) = standard_webhooks(flipped(sw_tag(), 31), MAX_ENTRIES - 1);
    time_two_values(runner, rng, &verifier, headers, 2, (&first, &last));
}

/// The header is the same bytes for both classes; what differs is the body,
/// and so which entry is the near miss of the body's MAC: entry 0 for Left,
/// entry 31 for Right (the two bodies have the same length, in one buffer).
fn candidates32_first_vs_last_entry(runner: &mut CtRunner, rng: &mut BenchRng) {
    const LEFT_BODY: &[u8] = b"{\"action\":\"opened\",\"number\":1,\"amount\":\"100.00\"}";
    const RIGHT_BODY: &[u8] = b"{\"action\":\"opened\",\"number\":1,\"amount\":\"100.01\"}";
    let sw_mac = |body: &[u8]| mac(SW_KEY, &[SW_ID.as_bytes(), b".", SW_TS.as_bytes(), b".", body]);
    let (verifier, mut headers, value) = standard_webhooks(flipped(sw_mac(LEFT_BODY), 0), 0);
    // Entry 31 (the last wrong one) becomes the near miss of the right body.
    let last = format!("v1,{}", STANDARD.encode(flipped(sw_mac(RIGHT_BODY), 0)));
    let Some((head, _)) = value.rsplit_once(' ') else { setup_failed() };
    if let Some((_, v)) = headers.get_mut(2) {
        *v = format!("{head} {last}");
    }
    for body in [LEFT_BODY, RIGHT_BODY] {
        if verifier.verify(&headers, body, 0).err() != Some(Error::SignatureMismatch) {
            setup_failed();
        }
    }
    let classes: Vec<Class> =
        (0..2 * SAMPLES).map(|_| if rng.r#gen::<bool>() { Class::Left } else { Class::Right }).collect();
    let mut body = Vec::with_capacity(LEFT_BODY.len());
    for class in classes {
        body.clear();
        body.extend_from_slice(if matches!(class, Class::Left) { LEFT_BODY } else { RIGHT_BODY });
        runner.run_one(class, || {
            core::hint::black_box(verifier.verify(&headers, core::hint::black_box(&body), 0).is_err())
        });
    }
}

/// Calibration: shows the check can see a real difference. Left sends a
/// 31-byte signature (`NO_SIGNATURE`: no HMAC is computed), Right a wrong
/// 32-byte one (an HMAC is computed); |t| should be far above 5.
fn calibration_no_mac_vs_mac(runner: &mut CtRunner, rng: &mut BenchRng) {
    let Ok(verifier) = Verifier::new(Profile::GitHub, &[SECRET]) else { setup_failed() };
    let full = forged(0);
    let short = [("X-Hub-Signature-256", full.get(..full.len() - 2).unwrap_or_default().to_owned())];
    let full = [("X-Hub-Signature-256", full)];
    let classes: Vec<Class> =
        (0..SAMPLES / 5).map(|_| if rng.r#gen::<bool>() { Class::Left } else { Class::Right }).collect();
    for class in classes {
        let headers = if matches!(class, Class::Left) { &short } else { &full };
        runner.run_one(class, || {
            core::hint::black_box(verifier.verify(core::hint::black_box(headers), BODY, 0).is_err())
        });
    }
}

ctbench_main!(
    first_vs_last_byte,
    base64_first_vs_last_byte,
    candidates32_first_vs_last_byte,
    candidates32_first_vs_last_entry,
    calibration_no_mac_vs_mac
);
