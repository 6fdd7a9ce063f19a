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

/// The well-formed signatures found in a header, in order. 1 KiB: the
/// verifier owns one and the parsers fill it in place (no moves of it).
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

/// The items of a header between `separator` bytes (as `split`, so an
/// empty header is one empty item), found eight bytes at a time: the
/// byte-at-a-time scan was the largest cost of a verify after SHA-256.
struct Items<'a> {
    rest: Option<&'a [u8]>,
    separator: u8,
}

impl<'a> Items<'a> {
    fn new(value: &'a [u8], separator: u8) -> Self {
        Items { rest: Some(value), separator }
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest?;
        match find_byte(rest, self.separator) {
            Some(at) => {
                let (item, after) = rest.split_at_checked(at)?;
                self.rest = after.get(1..);
                Some(item)
            }
            None => self.rest.take(),
        }
    }
}

/// The index of the first `needle` in `haystack`. Each 8-byte word is
/// XORed with the needle and tested for a zero byte (`(x - 0x01…) & !x &
/// 0x80…`: the lowest flagged byte is always a real zero, so its position is
/// exact); the tail goes byte by byte.
fn find_byte(haystack: &[u8], needle: u8) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let pattern = ONES * u64::from(needle);
    let (words, tail) = haystack.as_chunks::<8>();
    for (index, word) in words.iter().enumerate() {
        let x = u64::from_le_bytes(*word) ^ pattern;
        let zeros = x.wrapping_sub(ONES) & !x & HIGHS;
        if zeros != 0 {
            return Some(index * 8 + (zeros.trailing_zeros() / 8) as usize);
        }
    }
    tail.iter().position(|&b| b == needle).map(|at| words.len() * 8 + at)
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

/// Parses a Stripe-style header. Items are separated by `,` and may have
/// spaces or tabs around them; each is `key=value`. Exactly one `t`. `v1`
/// entries are candidates, and `v0` entries too when `v0_counts` (Key2Pay's
/// rotation); other keys are ignored. A `v1`/`v0` whose value does not decode
/// to 32 bytes is not a candidate. Returns the `t` text exactly as received
/// (it is part of the MACed bytes), checked to be a valid timestamp.
///
/// `MALFORMED_HEADER`: more than 32 items, an empty item, an item without
/// `=`, no `t`, several `t`, a bad `t`.
pub(crate) fn timestamped<'a>(
    value: &'a [u8],
    encoding: Encoding,
    v0_counts: bool,
    candidates: &mut Candidates,
) -> Result<&'a [u8], Error> {
    let mut t_text = None;
    for (index, item) in Items::new(value, b',').enumerate() {
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
    Ok(t_text)
}

/// Parses Standard Webhooks' space-separated `v1,<base64>` list. Entries of
/// other versions (`v1a,…`, `v2,…`) or without a `,` are not candidates.
///
/// `MALFORMED_HEADER`: more than 32 entries.
pub(crate) fn standard_list(value: &[u8], candidates: &mut Candidates) -> Result<(), Error> {
    standard_list_as(value, Encoding::Base64, candidates)
}

/// [`standard_list`] with the signatures decoded as `encoding` (`explain`
/// reads hex written where base64 belongs).
pub(crate) fn standard_list_as(value: &[u8], encoding: Encoding, candidates: &mut Candidates) -> Result<(), Error> {
    let entries = value.split(|&b| b == b' ' || b == b'\t').filter(|e| !e.is_empty());
    for (index, entry) in entries.enumerate() {
        if index >= MAX_ENTRIES {
            return Err(Error::MalformedHeader);
        }
        if let Some(sig) = entry.strip_prefix(b"v1,") {
            candidates.push(encoding.decode(sig));
        }
    }
    Ok(())
}

/// A single signature, after an exact `prefix` (which may be empty).
pub(crate) fn single(value: &[u8], prefix: &str, encoding: Encoding, candidates: &mut Candidates) {
    if let Some(sig) = value.strip_prefix(prefix.as_bytes()) {
        candidates.push(encoding.decode(sig));
    }
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
        assert_eq!(count(|c| timestamped(ok.as_bytes(), Encoding::Hex, false, c).map(drop)), Ok(1));
        assert_eq!(count(|c| timestamped(ok.as_bytes(), Encoding::Hex, true, c).map(drop)), Ok(2));
        for bad in ["", "v1=00", "t=1,t=1", "t=1,,v1=00", "t=1,v1", "t=", "t=x", "t=1,"] {
            let parsed = timestamped(bad.as_bytes(), Encoding::Hex, true, &mut Candidates::new());
            assert_eq!(parsed, Err(Error::MalformedHeader), "{bad:?}");
        }
        let spaced = timestamped(b" t=5 ,\tv1=zz ,x=y", Encoding::Hex, false, &mut Candidates::new());
        assert_eq!(spaced, Ok(&b"5"[..]));
    }

    #[test]
    fn entry_limits_are_32() {
        let mut items = std::vec![String::from("t=1")];
        items.extend((0..31).map(|_| format_v("v1", HEX)));
        assert_eq!(count(|c| timestamped(items.join(",").as_bytes(), Encoding::Hex, false, c).map(drop)), Ok(31));
        items.push(format_v("v1", HEX));
        assert!(count(|c| timestamped(items.join(",").as_bytes(), Encoding::Hex, false, c).map(drop)).is_err());
        let sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        assert_eq!(count(|c| standard_list(std::vec![sig; 32].join(" ").as_bytes(), c)), Ok(32));
        assert!(count(|c| standard_list(std::vec![sig; 33].join(" ").as_bytes(), c)).is_err());
    }

    /// Runs a parser on a fresh `Candidates` and counts what it found.
    fn count(parse: impl FnOnce(&mut Candidates) -> Result<(), Error>) -> Result<usize, Error> {
        let mut candidates = Candidates::new();
        parse(&mut candidates).map(|()| candidates.as_slice().len())
    }

    #[test]
    fn items_split_like_the_standard_split() {
        let mut texts = std::vec![String::new(), String::from(","), String::from(",,"), String::from("a,")];
        for len in 0..40 {
            for comma in [0, 1, 7, 8, 9, 15, 16, 17, 31] {
                let mut text: std::vec::Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                if let Some(byte) = text.get_mut(comma) {
                    *byte = b',';
                }
                text.push(0xff);
                texts.push(String::from_utf8_lossy(&text).into_owned());
            }
        }
        for text in &texts {
            let ours: std::vec::Vec<&[u8]> = Items::new(text.as_bytes(), b',').collect();
            let std_split: std::vec::Vec<&[u8]> = text.as_bytes().split(|&b| b == b',').collect();
            assert_eq!(ours, std_split, "{text:?}");
        }
    }

    fn format_v(key: &str, sig: &str) -> String {
        std::format!("{key}={sig}")
    }
}
