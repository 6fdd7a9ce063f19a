//! Parsers for what arrives in signature headers: timestamps, `t=…,v1=…`
//! lists, Standard Webhooks' `v1,<b64>` lists and single prefixed values.
//!
//! Every parser is bounded: at most [`MAX_ENTRIES`] entries, each decoded at
//! most once, no allocation.

use crate::Error;
use crate::encoding::Encoding;
use crate::headers::trim_ows;
use crate::mac::TAG_LEN;

/// Most entries accepted in one signature header (items of `t=…,v1=…`, or
/// space-separated Standard Webhooks signatures). More is `MALFORMED_HEADER`.
pub const MAX_ENTRIES: usize = 32;

/// Most digits in a timestamp (Unix seconds up to the year 33658).
pub const MAX_TIMESTAMP_DIGITS: usize = 12;

/// The well-formed signatures found in a header, in order.
#[derive(Clone)]
pub(crate) struct Candidates {
    tags: [[u8; TAG_LEN]; MAX_ENTRIES],
    len: usize,
}

impl Candidates {
    pub(crate) const fn new() -> Self {
        Candidates { tags: [[0; TAG_LEN]; MAX_ENTRIES], len: 0 }
    }

    fn push(&mut self, tag: Option<[u8; TAG_LEN]>) {
        if let (Some(tag), Some(slot)) = (tag, self.tags.get_mut(self.len)) {
            *slot = tag;
            self.len += 1;
        }
    }

    pub(crate) fn as_slice(&self) -> &[[u8; TAG_LEN]] {
        self.tags.get(..self.len).unwrap_or_default()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A timestamp: 1 to 12 ASCII digits, Unix seconds. Leading zeros are
/// allowed (the text is MACed as received); signs, spaces and fractions are not.
pub(crate) fn timestamp(text: &[u8]) -> Result<u64, Error> {
    if text.is_empty() || text.len() > MAX_TIMESTAMP_DIGITS {
        return Err(Error::MalformedHeader);
    }
    text.iter().try_fold(0u64, |acc, &b| {
        if b.is_ascii_digit() { Ok(acc * 10 + u64::from(b - b'0')) } else { Err(Error::MalformedHeader) }
    })
}

/// A parsed `t=<ts>,v1=<sig>[,v1=…][,v0=…]` header.
pub(crate) struct Timestamped<'a> {
    /// The `t` text exactly as received (it is part of the MACed bytes),
    /// already checked to be a valid timestamp.
    pub(crate) t_text: &'a [u8],
    pub(crate) candidates: Candidates,
}

/// Parses a Stripe-style header. Items are separated by `,` and may have
/// spaces or tabs around them; each is `key=value`. Exactly one `t`. `v1`
/// entries are candidates, and `v0` entries too when `v0_counts` (Key2Pay's
/// rotation); other keys are ignored. A `v1`/`v0` whose value does not decode
/// to 32 bytes is not a candidate.
///
/// `MALFORMED_HEADER`: more than 32 items, an empty item, an item without
/// `=`, no `t`, several `t`, a bad `t`.
pub(crate) fn timestamped(value: &[u8], encoding: Encoding, v0_counts: bool) -> Result<Timestamped<'_>, Error> {
    let mut t_text = None;
    let mut candidates = Candidates::new();
    for (index, item) in value.split(|&b| b == b',').enumerate() {
        if index >= MAX_ENTRIES {
            return Err(Error::MalformedHeader);
        }
        let item = trim_ows(item);
        let eq = item.iter().position(|&b| b == b'=').ok_or(Error::MalformedHeader)?;
        let (key, rest) = item.split_at(eq);
        let sig = rest.get(1..).unwrap_or_default();
        match key {
            b"t" if t_text.replace(sig).is_some() => return Err(Error::MalformedHeader),
            b"t" => {}
            b"v1" => candidates.push(encoding.decode(sig)),
            b"v0" if v0_counts => candidates.push(encoding.decode(sig)),
            _ => {}
        }
    }
    let t_text = t_text.ok_or(Error::MalformedHeader)?;
    timestamp(t_text)?;
    Ok(Timestamped { t_text, candidates })
}

/// Parses Standard Webhooks' space-separated `v1,<base64>` list. Entries of
/// other versions (`v1a,…`, `v2,…`) or without a `,` are not candidates.
///
/// `MALFORMED_HEADER`: more than 32 entries.
pub(crate) fn standard_list(value: &[u8]) -> Result<Candidates, Error> {
    let mut candidates = Candidates::new();
    let entries = value.split(|&b| b == b' ' || b == b'\t').filter(|e| !e.is_empty());
    for (index, entry) in entries.enumerate() {
        if index >= MAX_ENTRIES {
            return Err(Error::MalformedHeader);
        }
        if let Some(sig) = entry.strip_prefix(b"v1,") {
            candidates.push(Encoding::Base64.decode(sig));
        }
    }
    Ok(candidates)
}

/// A single signature, after an exact `prefix` (which may be empty).
pub(crate) fn single(value: &[u8], prefix: &str, encoding: Encoding) -> Candidates {
    let mut candidates = Candidates::new();
    if let Some(sig) = value.strip_prefix(prefix.as_bytes()) {
        candidates.push(encoding.decode(sig));
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;

    const HEX: &str = "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990";

    #[test]
    fn timestamps_are_1_to_12_digits() {
        assert_eq!(timestamp(b"1700000000"), Ok(1_700_000_000));
        assert_eq!(timestamp(b"0001"), Ok(1));
        assert_eq!(timestamp(b"999999999999"), Ok(999_999_999_999));
        for bad in [&b""[..], b"1234567890123", b"+1", b"-1", b"1.5", b"1 2", b" 1", b"1e3", b"\xd9\xa1"] {
            assert_eq!(timestamp(bad), Err(Error::MalformedHeader), "{bad:?}");
        }
    }

    #[test]
    fn timestamped_header_rules() {
        let ok = ["t=1", &format_v("v1", HEX), &format_v("v0", HEX)].join(",");
        let parsed = timestamped(ok.as_bytes(), Encoding::Hex, false).map(|p| p.candidates.as_slice().len());
        assert_eq!(parsed.ok(), Some(1));
        let parsed = timestamped(ok.as_bytes(), Encoding::Hex, true).map(|p| p.candidates.as_slice().len());
        assert_eq!(parsed.ok(), Some(2));
        for bad in ["", "v1=00", "t=1,t=1", "t=1,,v1=00", "t=1,v1", "t=", "t=x", "t=1,"] {
            assert!(matches!(timestamped(bad.as_bytes(), Encoding::Hex, true), Err(Error::MalformedHeader)), "{bad:?}");
        }
        let spaced = timestamped(b" t=5 ,\tv1=zz ,x=y", Encoding::Hex, false);
        assert!(matches!(spaced, Ok(Timestamped { t_text: b"5", .. })));
    }

    #[test]
    fn entry_limits_are_32() {
        let mut items = std::vec![String::from("t=1")];
        items.extend((0..31).map(|_| format_v("v1", HEX)));
        assert!(timestamped(items.join(",").as_bytes(), Encoding::Hex, false).is_ok());
        items.push(format_v("v1", HEX));
        assert!(timestamped(items.join(",").as_bytes(), Encoding::Hex, false).is_err());
        let sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        assert!(standard_list(std::vec![sig; 32].join(" ").as_bytes()).is_ok());
        assert!(standard_list(std::vec![sig; 33].join(" ").as_bytes()).is_err());
    }

    fn format_v(key: &str, sig: &str) -> String {
        std::format!("{key}={sig}")
    }
}
