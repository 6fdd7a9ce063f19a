//! Shared inputs for every benchmark: the bodies, secrets and signed
//! headers. The Rust benches call [`case`] directly; the other languages read
//! the same cases from the fixture file that `hooksig-bench-fixtures`
//! writes (`make bench` does it first), so every language verifies the very
//! same bytes.

use hooksig::{Error, Profile, SignOptions, sign};

/// The body sizes every benchmark uses: 300 B, 2 KiB, 64 KiB, 1 MiB.
pub const SIZES: [usize; 4] = [300, 2 << 10, 64 << 10, 1 << 20];

/// The clock every benchmark passes as `now`, and the signed timestamp.
pub const NOW: u64 = 1_700_000_000;

/// The delivery id for schemes that sign one.
pub const ID: &str = "msg_2bench0000000000000000001";

/// The profiles compared, in report order.
pub const PROFILES: [&str; 7] =
    ["unknownpay", "key2pay", "unipayment", "standard-webhooks", "akashicpay", "stripe", "github"];

/// The secrets a profile's verifier holds: the current one and, for
/// rotation, an old one. Standard Webhooks secrets are `whsec_` + base64.
#[must_use]
pub fn secrets(profile: &str) -> [&'static str; 2] {
    match profile {
        "standard-webhooks" | "svix" => {
            ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZA=="]
        }
        _ => ["bench_secret_0123456789abcdef0123", "bench_secret_old_fedcba9876543210"],
    }
}

/// A realistic JSON webhook body of exactly `len` bytes (an event with a
/// list of line items, padded with a note). The same for every profile;
/// AkashicPay's canonical JSON re-serialises it unchanged in length.
#[must_use]
pub fn body(len: usize) -> Vec<u8> {
    let prefix = r#"{"id":"evt_bench_0001","type":"payment.completed","created":1700000000,"data":{"items":["#;
    let middle = r#"],"note":""#;
    let suffix = r#""}}"#;
    let fixed = prefix.len() + middle.len() + suffix.len();
    let mut items = String::new();
    let mut n = 0_usize;
    loop {
        let item = format!(r#"{{"price":"{}.{:02}","qty":{},"sku":"item-{n:06}"}}"#, 10 + n % 90, n % 100, 1 + n % 9);
        let extra = item.len() + usize::from(n > 0);
        if fixed + items.len() + extra > len {
            break;
        }
        if n > 0 {
            items.push(',');
        }
        items.push_str(&item);
        n += 1;
    }
    let pad = len.saturating_sub(fixed + items.len());
    let mut out = String::with_capacity(len);
    out.push_str(prefix);
    out.push_str(&items);
    out.push_str(middle);
    out.extend(core::iter::repeat_n('x', pad));
    out.push_str(suffix);
    out.into_bytes()
}

/// One benchmark input: a delivery signed with `secrets(profile)[signer]`.
#[derive(Debug, Clone)]
pub struct Case {
    /// The parsed profile.
    pub profile: Profile,
    /// The body.
    pub body: Vec<u8>,
    /// The headers as a provider sends them.
    pub headers: Vec<(String, String)>,
}

/// Builds the delivery for `profile` and `size`, signed by secret `signer`
/// (0 = current, 1 = old: the rotation case where the second key matches).
///
/// # Errors
/// A profile name or signer the core rejects.
pub fn case(profile: &str, size: usize, signer: usize) -> Result<Case, Error> {
    case_at(profile, size, signer, NOW)
}

/// As [`case`], signed at `timestamp` (the other languages' peers read the
/// real clock, so their fixtures are signed at the time of each round).
///
/// # Errors
/// A profile name or signer the core rejects.
pub fn case_at(profile: &str, size: usize, signer: usize, timestamp: u64) -> Result<Case, Error> {
    let parsed = Profile::parse(profile)?;
    let secret = secrets(profile).get(signer).copied().ok_or(Error::InvalidArgument)?;
    let body = body(size);
    let id = parsed.id_header().map(|_| ID);
    let options = SignOptions { timestamp: Some(timestamp), id, ..SignOptions::default() };
    let signed = sign(&parsed, secret.as_bytes(), &body, options)?;
    let headers = signed.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect();
    Ok(Case { profile: parsed, body, headers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hooksig::Verifier;

    #[test]
    fn bodies_have_the_exact_size_and_are_json() {
        for size in SIZES {
            let b = body(size);
            assert_eq!(b.len(), size);
            assert!(serde_json::from_slice::<serde_json::Value>(&b).is_ok(), "{size}");
        }
    }

    #[test]
    fn every_case_verifies_with_one_and_two_secrets() -> Result<(), Error> {
        for profile in PROFILES {
            let c = case(profile, 300, 0)?;
            let one = Verifier::new(c.profile, &secrets(profile)[..1])?;
            assert_eq!(one.verify(&c.headers, &c.body, NOW)?.secret_index, 0, "{profile}");
            let old = case(profile, 300, 1)?;
            let two = Verifier::new(old.profile, &secrets(profile))?;
            assert_eq!(two.verify(&old.headers, &old.body, NOW)?.secret_index, 1, "{profile}");
            assert_eq!(one.verify(&old.headers, &old.body, NOW).err(), Some(Error::SignatureMismatch));
        }
        Ok(())
    }
}
