//! dudect-style timing check of the signature comparison, through the full
//! `Verifier::verify` (header lookup, parse, hex decode, HMAC, compare).
//!
//! Two classes of forged GitHub deliveries, identical except for where the
//! signature differs from the right one: class Left flips a bit of the MAC's
//! first byte, class Right a bit of its last byte. An early-exit comparison
//! would take measurably longer for Right; with `subtle`'s constant-time
//! comparison Welch's t stays small. |t| < 5 is the usual "no evidence of a
//! leak" threshold; the result is reported (`make ct`), not asserted in CI,
//! because timing on a shared machine is noisy. A second bench calibrates:
//! it compares two inputs whose timing really differs (no HMAC vs one HMAC)
//! and must show a large |t|.

use dudect_bencher::rand::Rng;
use dudect_bencher::{BenchRng, Class, CtRunner, ctbench_main};
use hooksig::{MacKey, Profile, Verifier};

const SECRET: &[u8] = b"It's a Secret to Everybody";
const BODY: &[u8] = b"{\"action\":\"opened\",\"number\":1,\"amount\":\"100.00\"}";
/// Deliveries per class and run.
const SAMPLES: usize = 500_000;

fn hex(tag: &[u8; 32]) -> String {
    tag.iter().map(|b| format!("{b:02x}")).collect()
}

/// The signature header value with one bit of the MAC's byte `at` flipped.
fn forged(at: usize) -> Option<String> {
    let mut tag = MacKey::new(SECRET).ok()?.mac(&[BODY]).to_bytes();
    *tag.get_mut(at)? ^= 0x01;
    Some(format!("sha256={}", hex(&tag)))
}

fn first_vs_last_byte(runner: &mut CtRunner, rng: &mut BenchRng) {
    let (Ok(verifier), Some(first), Some(last)) = (Verifier::new(Profile::GitHub, &[SECRET]), forged(0), forged(31))
    else {
        eprintln!("hooksig-ct: setup failed");
        std::process::exit(1);
    };
    let classes: Vec<Class> =
        (0..2 * SAMPLES).map(|_| if rng.r#gen::<bool>() { Class::Left } else { Class::Right }).collect();
    // Both classes are read from the same buffer at the same address, so
    // that memory layout cannot tell them apart; it is filled before the
    // timed call.
    let mut value = String::with_capacity(first.len());
    for class in classes {
        value.clear();
        value.push_str(if matches!(class, Class::Left) { &first } else { &last });
        let headers = [("X-Hub-Signature-256", value.as_str())];
        runner.run_one(class, || {
            let result = verifier.verify(core::hint::black_box(&headers), BODY, 0);
            // Every sample must be the same outcome; only the timing may differ.
            core::hint::black_box(result.is_err())
        });
    }
}

/// Calibration: shows the check can see a real difference. Left sends a
/// 31-byte signature (`NO_SIGNATURE`: no HMAC is computed), Right a wrong
/// 32-byte one (an HMAC is computed); |t| should be far above 5.
fn calibration_no_mac_vs_mac(runner: &mut CtRunner, rng: &mut BenchRng) {
    let (Ok(verifier), Some(full)) = (Verifier::new(Profile::GitHub, &[SECRET]), forged(0)) else {
        eprintln!("hooksig-ct: setup failed");
        std::process::exit(1);
    };
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

ctbench_main!(first_vs_last_byte, calibration_no_mac_vs_mac);
