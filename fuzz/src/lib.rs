//! Shared pieces of the hooksig fuzz targets: the input framing (which
//! `make_corpus.py` writes too), small reference parsers written for
//! obviousness rather than speed, and a strict-JSON oracle built on
//! `serde_json`.
//!
//! A fuzz target fails by panicking, so the assertions here panic.

#![forbid(unsafe_code)]

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Reads a fuzz input: fixed-size integers (little endian, zero when the
/// input runs out) and fields framed as a 2-byte little-endian length and
/// that many bytes (cut short at the end of the input).
#[derive(Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Starts reading `data`.
    #[must_use]
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }

    /// One byte.
    pub fn u8(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    /// A little-endian u32.
    pub fn u32(&mut self) -> u32 {
        let mut buf = [0u8; 4];
        let head = self.take(4);
        buf[..head.len()].copy_from_slice(head);
        u32::from_le_bytes(buf)
    }

    /// A little-endian u64.
    pub fn u64(&mut self) -> u64 {
        let mut buf = [0u8; 8];
        let head = self.take(8);
        buf[..head.len()].copy_from_slice(head);
        u64::from_le_bytes(buf)
    }

    /// A length-prefixed field, or `None` once fewer than 2 bytes are left.
    pub fn field(&mut self) -> Option<&'a [u8]> {
        if self.data.len() < 2 {
            self.data = &[];
            return None;
        }
        let len = usize::from(u16::from_le_bytes([self.data[0], self.data[1]]));
        self.data = &self.data[2..];
        Some(self.take(len))
    }

    /// A field as text (`None` if absent or not UTF-8).
    pub fn text(&mut self) -> Option<&'a str> {
        self.field().and_then(|f| std::str::from_utf8(f).ok())
    }
}

/// Reference implementations of the signature-header rules, written from
/// the documented contract (testdata/vectors.json `_comment`, README "Errors"),
/// as plainly as possible. They allocate freely.
pub mod reference {
    /// The 32 bytes of an HMAC-SHA256 tag.
    pub type Tag = [u8; 32];

    /// A parsed header: the `t` text (for `t=` headers) and the candidates.
    pub type Parsed = (Option<Vec<u8>>, Vec<Tag>);

    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// 1 to 12 ASCII digits.
    #[must_use]
    pub fn timestamp(text: &[u8]) -> Option<u64> {
        if text.is_empty() || text.len() > 12 || !text.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(text).ok()?.parse().ok()
    }

    fn hex_digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }

    /// Exactly 64 hex digits, either case.
    #[must_use]
    pub fn decode_hex(text: &[u8]) -> Option<Tag> {
        if text.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in text.chunks(2).enumerate() {
            out[i] = hex_digit(pair[0])? * 16 + hex_digit(pair[1])?;
        }
        Some(out)
    }

    /// Standard-alphabet base64 of 32 bytes: 43 digits, optionally followed
    /// by one `=`; the 2 unused low bits of the last digit must be zero.
    #[must_use]
    pub fn decode_base64(text: &[u8]) -> Option<Tag> {
        let digits = match text.len() {
            43 => text,
            44 if text[43] == b'=' => &text[..43],
            _ => return None,
        };
        let mut bits: u32 = 0;
        let mut nbits = 0;
        let mut out = Vec::new();
        for &c in digits {
            let v = B64.iter().position(|&a| a == c)?;
            bits = (bits << 6) | v as u32;
            nbits += 6;
            if nbits >= 8 {
                nbits -= 8;
                out.push((bits >> nbits) as u8);
                bits &= (1 << nbits) - 1;
            }
        }
        if bits != 0 {
            return None;
        }
        out.try_into().ok()
    }

    /// Padded standard base64 (for building secrets and signatures).
    #[must_use]
    pub fn encode_base64(data: &[u8]) -> String {
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Lowercase hex.
    #[must_use]
    pub fn encode_hex(data: &[u8]) -> String {
        data.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn decode(hex: bool, text: &[u8]) -> Option<Tag> {
        if hex { decode_hex(text) } else { decode_base64(text) }
    }

    fn trim(mut s: &[u8]) -> &[u8] {
        while let [b' ' | b'\t', rest @ ..] = s {
            s = rest;
        }
        while let [rest @ .., b' ' | b'\t'] = s {
            s = rest;
        }
        s
    }

    /// `t=<ts>,v1=<sig>[,…]`: at most 32 comma-separated items, each
    /// trimmed and of the form `key=value`; exactly one `t` holding a valid
    /// timestamp; `v1` (and `v0` when `v0_counts`) values that decode are
    /// candidates. `None` = `MALFORMED_HEADER`.
    #[must_use]
    pub fn timestamped(value: &[u8], hex: bool, v0_counts: bool) -> Option<Parsed> {
        let items: Vec<&[u8]> = value.split(|&b| b == b',').collect();
        if items.len() > 32 {
            return None;
        }
        let mut t: Option<Vec<u8>> = None;
        let mut candidates = Vec::new();
        for item in items {
            let item = trim(item);
            let eq = item.iter().position(|&b| b == b'=')?;
            let (key, sig) = (&item[..eq], &item[eq + 1..]);
            if key == b"t" {
                if t.is_some() {
                    return None;
                }
                t = Some(sig.to_vec());
            } else if key == b"v1" || (v0_counts && key == b"v0") {
                candidates.extend(decode(hex, sig));
            }
        }
        timestamp(t.as_deref()?)?;
        Some((t, candidates))
    }

    /// Standard Webhooks: entries separated by runs of spaces/tabs, at most
    /// 32; `v1,<base64>` entries that decode are candidates.
    #[must_use]
    pub fn standard_list(value: &[u8]) -> Option<Parsed> {
        let entries: Vec<&[u8]> = value.split(|&b| b == b' ' || b == b'\t').filter(|e| !e.is_empty()).collect();
        if entries.len() > 32 {
            return None;
        }
        let candidates = entries.iter().filter_map(|e| e.strip_prefix(b"v1,")).filter_map(|s| decode_base64(s));
        Some((None, candidates.collect()))
    }

    /// One signature after an exact prefix.
    #[must_use]
    pub fn single(value: &[u8], prefix: &str, hex: bool) -> Parsed {
        (None, value.strip_prefix(prefix.as_bytes()).and_then(|s| decode(hex, s)).into_iter().collect())
    }

    fn fold(name: &[u8]) -> Vec<u8> {
        name.iter().map(|&b| if b == b'_' { b'-' } else { b.to_ascii_lowercase() }).collect()
    }

    /// Header names: ASCII case-insensitive, `-` = `_`, optional `HTTP_`.
    #[must_use]
    pub fn header_name_matches(name: &[u8], canonical: &str) -> bool {
        let (name, want) = (fold(name), fold(canonical.as_bytes()));
        name == want || (name.len() >= 5 && name[..5] == *b"http-" && name[5..] == *want)
    }
}

/// A JSON document as `serde_json` reads it, keeping everything the
/// canonical form's rules depend on: nesting, every object's members in
/// input order (duplicates included), strings unescaped and numbers as text
/// (as `serde_json` scans it: the text received, except that an exponent
/// gets an explicit sign, `1e5` → `1e+5`; the same token always gives the
/// same text, so a canonical form that keeps tokens parses back equal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tree {
    /// A string, unescaped.
    Str(String),
    /// A number, as written.
    Number(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An array.
    Array(Vec<Tree>),
    /// An object's members in input order.
    Object(Vec<(String, Tree)>),
}

/// The key `serde_json` (feature `arbitrary_precision`) uses to pass a
/// number through `visit_map`: a one-member map whose value is the number's
/// text.
///
/// A real object may have this very key (`{"$serde_json::private::Number":-0}`
/// is valid JSON), so the key alone does not tell a number from an object;
/// treating every such map as a number once made the oracle reject a
/// document it had accepted (fuzz/corpus/canonical_json/regression-…). What
/// does tell them apart is how the value arrives: `serde_json` hands a
/// number's text over as an owned `String` (`visit_string`), while its parser
/// only ever calls `visit_borrowed_str` or `visit_str` for a JSON string. So
/// the value after this key is read by [`MemberOrNumber`], which says which
/// it got.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Tree, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(b))
    }
    // With `arbitrary_precision`, integers that fit come as i64/u64 and the
    // text they were parsed from is exactly their decimal form (JSON has no
    // leading zeros or `+`; `-0` comes as text).
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Tree, E> {
        Ok(Tree::Number(n.to_string()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Tree, E> {
        Ok(Tree::Number(n.to_string()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Tree, E> {
        Err(E::custom("an f64 loses the number's text (arbitrary_precision is off?)"))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Tree, E> {
        Ok(Tree::Str(s.to_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = if members.is_empty() && key == NUMBER_TOKEN {
                match map.next_value::<MemberOrNumber>()? {
                    MemberOrNumber::Number(text) => return Ok(Tree::Number(text)),
                    MemberOrNumber::Member(value) => value,
                }
            } else {
                map.next_value()?
            };
            members.push((key, value));
        }
        Ok(Tree::Object(members))
    }
}

/// The value after a [`NUMBER_TOKEN`] key: a number's text handed over by
/// `serde_json` (an owned `String`), or the value of a real member.
enum MemberOrNumber {
    Number(String),
    Member(Tree),
}

impl<'de> Deserialize<'de> for MemberOrNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MemberOrNumber, D::Error> {
        deserializer.deserialize_any(MemberOrNumberVisitor)
    }
}

struct MemberOrNumberVisitor;

impl<'de> Visitor<'de> for MemberOrNumberVisitor {
    type Value = MemberOrNumber;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number's text or a JSON value")
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<MemberOrNumber, E> {
        Ok(MemberOrNumber::Number(text))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<MemberOrNumber, E> {
        TreeVisitor.visit_str(s).map(MemberOrNumber::Member)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<MemberOrNumber, E> {
        TreeVisitor.visit_bool(b).map(MemberOrNumber::Member)
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<MemberOrNumber, E> {
        TreeVisitor.visit_i64(n).map(MemberOrNumber::Member)
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<MemberOrNumber, E> {
        TreeVisitor.visit_u64(n).map(MemberOrNumber::Member)
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<MemberOrNumber, E> {
        TreeVisitor.visit_f64(n).map(MemberOrNumber::Member)
    }
    fn visit_unit<E: de::Error>(self) -> Result<MemberOrNumber, E> {
        TreeVisitor.visit_unit().map(MemberOrNumber::Member)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<MemberOrNumber, A::Error> {
        TreeVisitor.visit_seq(seq).map(MemberOrNumber::Member)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MemberOrNumber, A::Error> {
        TreeVisitor.visit_map(map).map(MemberOrNumber::Member)
    }
}

impl Tree {
    /// Nesting depth: 0 for a scalar, 1 for `[]`.
    #[must_use]
    pub fn depth(&self) -> usize {
        match self {
            Tree::Array(items) => 1 + items.iter().map(Tree::depth).max().unwrap_or(0),
            Tree::Object(members) => 1 + members.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// True if some object has the same (unescaped) key twice.
    #[must_use]
    pub fn has_duplicate_key(&self) -> bool {
        match self {
            Tree::Array(items) => items.iter().any(Tree::has_duplicate_key),
            Tree::Object(members) => {
                let mut seen = HashSet::new();
                members.iter().any(|(k, _)| !seen.insert(k.as_str()))
                    || members.iter().any(|(_, v)| v.has_duplicate_key())
            }
            _ => false,
        }
    }

    /// True if every object's keys are in strictly increasing UTF-8 byte order.
    #[must_use]
    pub fn keys_sorted(&self) -> bool {
        match self {
            Tree::Array(items) => items.iter().all(Tree::keys_sorted),
            Tree::Object(members) => {
                members.windows(2).all(|w| w[0].0.as_bytes() < w[1].0.as_bytes())
                    && members.iter().all(|(_, v)| v.keys_sorted())
            }
            _ => true,
        }
    }

    /// The same document with every object's members sorted by their
    /// unescaped UTF-8 key bytes: what the canonical form must parse back to.
    #[must_use]
    pub fn sorted(&self) -> Tree {
        match self {
            Tree::Array(items) => Tree::Array(items.iter().map(Tree::sorted).collect()),
            Tree::Object(members) => {
                let mut members: Vec<(String, Tree)> = members.iter().map(|(k, v)| (k.clone(), v.sorted())).collect();
                members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                Tree::Object(members)
            }
            leaf => leaf.clone(),
        }
    }
}

/// True if `json` has a space, tab, CR or LF outside its strings.
#[must_use]
pub fn has_whitespace_outside_strings(json: &[u8]) -> bool {
    let (mut in_string, mut escaped) = (false, false);
    for &b in json {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            return true;
        }
    }
    false
}

/// Every error code the README lists; the core never returns `INTERNAL`.
pub const CORE_CODES: [&str; 9] = [
    "MISSING_HEADER",
    "MALFORMED_HEADER",
    "NO_SIGNATURE",
    "SIGNATURE_MISMATCH",
    "TIMESTAMP_TOO_OLD",
    "TIMESTAMP_IN_FUTURE",
    "INVALID_SECRET",
    "MALFORMED_BODY",
    "INVALID_ARGUMENT",
];

/// Panics unless `error` is one of [`CORE_CODES`].
pub fn assert_core_code(error: hooksig::Error) {
    assert!(CORE_CODES.contains(&error.code()), "unexpected error code {}", error.code());
}

#[cfg(test)]
mod tests {
    use super::reference::*;

    #[test]
    fn base64_reference_round_trips() {
        let tag: [u8; 32] = std::array::from_fn(|i| (i * 37) as u8);
        let text = encode_base64(&tag);
        assert_eq!(text.len(), 44);
        assert_eq!(decode_base64(text.as_bytes()), Some(tag));
        assert_eq!(decode_base64(text.trim_end_matches('=').as_bytes()), Some(tag));
        assert_eq!(decode_hex(encode_hex(&tag).as_bytes()), Some(tag));
        assert_eq!(encode_base64(b"ab"), "YWI=");
    }

    /// The oracle's own false positive (found by `canonical_json` after ~4 M
    /// runs): an object whose key is serde_json's private number token.
    #[test]
    fn tree_tells_a_number_from_an_object_keyed_by_the_number_token() {
        use super::Tree;
        let key = "$serde_json::private::Number";
        let parse = |json: &str| serde_json::from_str::<Tree>(json).ok();
        let member = |value: Tree| Some(Tree::Object(vec![(key.to_owned(), value)]));
        assert_eq!(parse(r#"{"$serde_json::private::Number":-0}"#), member(Tree::Number("-0".into())));
        assert_eq!(parse(r#"{"$serde_json::private::Number":"1"}"#), member(Tree::Str("1".into())));
        assert_eq!(parse(r#"{"\u0024serde_json::private::Number":1e400}"#), member(Tree::Number("1e+400".into())));
        assert_eq!(parse(r#"{"$serde_json::private::Number":{}}"#), member(Tree::Object(vec![])));
        assert_eq!(
            parse(r#"{"$serde_json::private::Number":1,"a":2}"#),
            Some(Tree::Object(vec![
                (key.to_owned(), Tree::Number("1".into())),
                ("a".into(), Tree::Number("2".into()))
            ]))
        );
        assert_eq!(
            parse("[-0, 1.50, 1e400, 7]"),
            Some(Tree::Array(["-0", "1.50", "1e+400", "7"].map(|n| Tree::Number(n.into())).to_vec()))
        );
    }
}
