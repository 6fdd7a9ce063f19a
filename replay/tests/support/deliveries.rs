//! Signed deliveries for the tests, the worker and the benchmark (all made
//! with `hooksig::sign`), shared by `#[path]` so that every process builds
//! the same ones.
#![allow(dead_code, reason = "each test crate, the worker and the bench use a different part")]
#![allow(clippy::expect_used, reason = "test fixtures: a delivery that cannot be signed is a broken test")]

use hooksig::{Profile, SignOptions, Verifier, sign};

/// The Stripe secret every delivery here is signed with.
pub const SECRET: &str = "whsec_replay_test_secret";
/// The delivery time (Unix seconds) and the verifier's `now`.
pub const NOW: u64 = 1_700_000_000;

/// Headers and body of one delivery, owned.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The Stripe verifier for [`stripe`] deliveries.
pub fn verifier() -> Verifier {
    Verifier::new(Profile::Stripe, &[SECRET]).expect("verifier")
}

/// A JSON body of exactly `len` bytes (at least 40) naming `salt` and `n`.
pub fn body(salt: &str, n: usize, len: usize) -> Vec<u8> {
    let head = format!(r#"{{"salt":"{salt}","n":{n},"pad":""#);
    let pad = len.saturating_sub(head.len() + 2);
    format!("{head}{}\"}}", "x".repeat(pad)).into_bytes()
}

/// Signs `body` as `profile` would send it.
pub fn signed(profile: &Profile, secret: &str, body: &[u8], options: SignOptions<'_>) -> Delivery {
    let headers = sign(profile, secret.as_bytes(), body, options).expect("sign");
    Delivery {
        headers: headers.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect(),
        body: body.to_vec(),
    }
}

/// Stripe delivery number `n` of a run named `salt`, `len` bytes of body.
pub fn stripe(salt: &str, n: usize, len: usize) -> Delivery {
    let options = SignOptions { timestamp: Some(NOW), ..SignOptions::default() };
    signed(&Profile::Stripe, SECRET, &body(salt, n, len), options)
}
