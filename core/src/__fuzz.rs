//! The signature-header parsers, exposed for the fuzz targets in `fuzz/`,
//! which compare them with small reference parsers.
//!
//! Hidden from the documentation and not part of the API: no semver
//! promise. Every function here is a thin wrapper around the one the
//! verifier uses, so the fuzzers test the real code.

use core::fmt;

use crate::Error;
use crate::encoding::Encoding;
use crate::mac::TAG_LEN;
use crate::parse::{self, Candidates};

/// What a signature header parsed into.
#[derive(Clone)]
pub struct Parsed<'a> {
    /// The `t` text of a `t=…,v1=…` header, exactly as received.
    pub t_text: Option<&'a [u8]>,
    candidates: Candidates,
}

impl Parsed<'_> {
    /// The well-formed signatures found, in order.
    #[must_use]
    pub fn candidates(&self) -> &[[u8; TAG_LEN]] {
        self.candidates.as_slice()
    }
}

impl fmt::Debug for Parsed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parsed").field("t_text", &self.t_text).field("candidates", &self.candidates().len()).finish()
    }
}

/// A timestamp: 1 to 12 ASCII digits.
///
/// # Errors
/// `MALFORMED_HEADER` for anything else.
pub fn timestamp(text: &[u8]) -> Result<u64, Error> {
    parse::timestamp(text)
}

/// A `t=<ts>,v1=<sig>…` header (Stripe, Key2Pay with `v0_counts`, custom).
///
/// # Errors
/// `MALFORMED_HEADER` as the verifier reports it.
pub fn timestamped(value: &[u8], encoding: Encoding, v0_counts: bool) -> Result<Parsed<'_>, Error> {
    let mut candidates = Candidates::new();
    let t_text = parse::timestamped(value, encoding, v0_counts, &mut candidates)?;
    Ok(Parsed { t_text: Some(t_text), candidates })
}

/// Standard Webhooks' space-separated `v1,<base64>` list.
///
/// # Errors
/// `MALFORMED_HEADER` for more than 32 entries.
pub fn standard_list(value: &[u8]) -> Result<Parsed<'_>, Error> {
    let mut candidates = Candidates::new();
    parse::standard_list(value, &mut candidates)?;
    Ok(Parsed { t_text: None, candidates })
}

/// One signature after an exact `prefix`.
#[must_use]
pub fn single<'a>(value: &'a [u8], prefix: &str, encoding: Encoding) -> Parsed<'a> {
    let mut candidates = Candidates::new();
    parse::single(value, prefix, encoding, &mut candidates);
    Parsed { t_text: None, candidates }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrappers_return_what_the_parsers_find() {
        let hex = "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990";
        let header = std::format!("t=0042,v1={hex},v0={hex}");
        let parsed = timestamped(header.as_bytes(), Encoding::Hex, true);
        assert!(matches!(&parsed, Ok(p) if p.t_text == Some(&b"0042"[..]) && p.candidates().len() == 2));
        assert_eq!(timestamped(b"v1=00", Encoding::Hex, false).err(), Some(Error::MalformedHeader));
        assert_eq!(timestamp(b"0042"), Ok(42));
        let sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        assert_eq!(standard_list(sig.as_bytes()).map(|p| p.candidates().len()), Ok(1));
        assert_eq!(single(std::format!("sha256={hex}").as_bytes(), "sha256=", Encoding::Hex).candidates().len(), 1);
        assert!(single(hex.as_bytes(), "sha256=", Encoding::Hex).candidates().is_empty());
    }
}
