//! dudect-style timing check of the signature comparison, through the full
//! `Verifier::verify` (header lookup, parse, hex decode, HMAC, compare).
//!
//! Two classes of forged GitHub deliveries, identical except for where the
//! signature differs from the right one: class Left flips a bit of the MAC's
//! first byte, class Right a bit of its last byte. An early-exit comparison
//! would take measurably longer for Right; with `subtle`'s constant-time
//! comparison Welch's t stays small. |t| < 5 is the usual "no evidence of a
//! leak" threshold; the result is reported (`make ct`), not asserted in CI,
//! because timing on a shared machine is noisy.

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
    let first = [("X-Hub-Signature-256", first)];
    let last = [("X-Hub-Signature-256", last)];
    let classes: Vec<Class> =
        (0..2 * SAMPLES).map(|_| if rng.r#gen::<bool>() { Class::Left } else { Class::Right }).collect();
    for class in classes {
        let headers = if matches!(class, Class::Left) { &first } else { &last };
        runner.run_one(class, || {
            let result = verifier.verify(core::hint::black_box(headers), BODY, 0);
            // Every sample must be the same outcome; only the timing may differ.
            core::hint::black_box(result.is_err())
        });
    }
}

ctbench_main!(first_vs_last_byte);
