//! The altered inputs `explain` tries, each undoing one known mistake: the
//! body re-serialised as JSON or with other line endings, a header value
//! without quotes, a signature re-encoded, a secret keyed another way.
//!
//! Rewrites that can grow the body take a byte limit and give up (`None`)
//! as soon as the output would exceed it, so nothing larger than the hash
//! budget is ever built.

use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::findings::{BodyForm, KeyForm, LineEnding};
use crate::encoding::{BASE64_LENIENT_PADDING, Encoding};
use crate::mac::TAG_LEN;
use crate::parse::{self, Candidates};
use crate::profile::Profile;
use crate::scheme::{self, MAX_DECODED_SECRET_LEN, Syntax};

/// How a JSON re-encoding is written.
#[derive(Copy, Clone)]
struct Style {
    /// Spaces per level; 0 writes one line.
    indent: usize,
    item_sep: &'static [u8],
    key_sep: &'static [u8],
}

const fn style(form: BodyForm) -> Style {
    match form {
        BodyForm::Compact | BodyForm::Sorted => Style { indent: 0, item_sep: b",", key_sep: b":" },
        BodyForm::Spaced | BodyForm::SortedSpaced => Style { indent: 0, item_sep: b", ", key_sep: b": " },
        BodyForm::Pretty | BodyForm::SortedPretty => Style { indent: 2, item_sep: b",", key_sep: b": " },
        BodyForm::Pretty4 => Style { indent: 4, item_sep: b",", key_sep: b": " },
    }
}

/// True for the forms written from the canonical (key-sorted) JSON.
pub(super) const fn sorted(form: BodyForm) -> bool {
    matches!(form, BodyForm::Sorted | BodyForm::SortedSpaced | BodyForm::SortedPretty)
}

/// Re-writes valid JSON (checked by the caller) as `form` writes it, keeping
/// every string and number token and the member order exactly as they are;
/// `None` if the output would exceed `limit` bytes (a deeply nested body
/// pretty-prints to many times its size). The size is counted first, in one
/// pass over the input, so an output over the limit is never built.
pub(super) fn reformat(json: &[u8], form: BodyForm, limit: usize) -> Option<Vec<u8>> {
    let mut size = Output { bytes: None, len: 0 };
    write_json(json, style(form), &mut size);
    if size.len > limit {
        return None;
    }
    let mut out = Output { bytes: Some(Vec::with_capacity(size.len)), len: 0 };
    write_json(json, style(form), &mut out);
    out.bytes
}

/// Where [`write_json`] writes: only the length (a dry run), or the bytes too.
struct Output {
    bytes: Option<Vec<u8>>,
    len: usize,
}

impl Output {
    fn put(&mut self, bytes: &[u8]) {
        self.len = self.len.saturating_add(bytes.len());
        if let Some(out) = &mut self.bytes {
            out.extend_from_slice(bytes);
        }
    }

    fn newline(&mut self, style: Style, depth: usize) {
        if style.indent == 0 {
            return;
        }
        let spaces = depth.saturating_mul(style.indent);
        self.len = self.len.saturating_add(1).saturating_add(spaces);
        if let Some(out) = &mut self.bytes {
            out.push(b'\n');
            out.resize(out.len() + spaces, b' ');
        }
    }
}

fn write_json(json: &[u8], style: Style, out: &mut Output) {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&byte) = json.get(i) {
        i += 1;
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'"' => {
                // The string token, up to its closing quote, as it is.
                let start = i - 1;
                let mut escaped = false;
                while let Some(&c) = json.get(i) {
                    i += 1;
                    if escaped {
                        escaped = false;
                    } else if c == b'\\' {
                        escaped = true;
                    } else if c == b'"' {
                        break;
                    }
                }
                out.put(json.get(start..i).unwrap_or_default());
            }
            b'{' | b'[' => {
                let close = if byte == b'{' { b'}' } else { b']' };
                let next = json.get(i..).unwrap_or_default().iter().position(|b| !b.is_ascii_whitespace());
                if let Some(skip) = next
                    && json.get(i + skip) == Some(&close)
                {
                    out.put(&[byte, close]);
                    i += skip + 1;
                } else {
                    out.put(&[byte]);
                    depth += 1;
                    out.newline(style, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                out.newline(style, depth);
                out.put(&[byte]);
            }
            b',' => {
                out.put(style.item_sep);
                out.newline(style, depth);
            }
            b':' => out.put(style.key_sep),
            other => out.put(&[other]),
        }
    }
}

/// The body with its line endings converted to `to`.
pub(super) fn convert_line_endings(body: &[u8], to: LineEnding) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 16);
    let mut prev = 0u8;
    for &b in body {
        match (to, b) {
            (LineEnding::Lf, b'\n') if prev == b'\r' => {
                out.pop();
                out.push(b'\n');
            }
            (LineEnding::Crlf, b'\n') if prev != b'\r' => out.extend_from_slice(b"\r\n"),
            _ => out.push(b),
        }
        prev = b;
    }
    out
}

/// The value without surrounding quotes and whitespace, and without quotes
/// around list items (`t="1",v1="…"`).
pub(super) fn unquote(value: &[u8]) -> Vec<u8> {
    let is_junk = |b: &u8| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'');
    let start = value.iter().position(|b| !is_junk(b)).unwrap_or(value.len());
    let end = value.iter().rposition(|b| !is_junk(b)).map_or(start, |i| i + 1);
    let core = value.get(start..end).unwrap_or_default();
    core.iter().copied().filter(|b| !matches!(b, b'"' | b'\'')).collect()
}

/// The signature header `value`, parsed by the verifier's own parser for
/// `syntax` as if its signatures were written in `found`, then written
/// back with each of them in `expected`; `None` if no signature parses.
/// URL-safe base64 (`-`, `_`) is read as standard base64.
pub(super) fn reencode(syntax: Syntax<'_>, value: &[u8], found: Encoding, expected: Encoding) -> Option<Vec<u8>> {
    let url_safe = |bytes: &[u8]| -> Vec<u8> {
        let standard = |b: u8| match b {
            b'-' if found == Encoding::Base64 => b'+',
            b'_' if found == Encoding::Base64 => b'/',
            other => other,
        };
        bytes.iter().map(|&b| standard(b)).collect()
    };
    let value = url_safe(value);
    let mut candidates = Candidates::new();
    let (mut out, item_prefix, separator): (Vec<u8>, &[u8], &[u8]) = match syntax {
        Syntax::Single { prefix, .. } => {
            let read_prefix = url_safe(prefix.as_bytes());
            parse::single(&value, core::str::from_utf8(&read_prefix).ok()?, found, &mut candidates);
            (Vec::new(), prefix.as_bytes(), b"")
        }
        Syntax::Timestamped { v0_counts, .. } => {
            let t = parse::timestamped(&value, found, v0_counts, &mut candidates).ok()?;
            ([b"t=", t].concat(), b"v1=", b",")
        }
        Syntax::StandardList => {
            parse::standard_list_as(&value, found, &mut candidates).ok()?;
            (Vec::new(), b"v1,", b" ")
        }
    };
    if candidates.is_empty() {
        return None;
    }
    for tag in candidates.as_slice() {
        if !out.is_empty() {
            out.extend_from_slice(separator);
        }
        let mut buf = [0u8; 2 * TAG_LEN];
        let len = scheme::encode_tag(expected, tag, &mut buf);
        out.extend_from_slice(item_prefix);
        out.extend_from_slice(buf.get(..len)?);
    }
    Some(out)
}

/// A secret that `profile`'s own derivation ([`scheme::key_bytes`]) turns
/// into the key bytes `form` takes from `secret`; `None` if there is none.
///
/// Every copy of secret material made here is wiped when dropped.
pub(super) fn rekey(profile: &Profile, secret: &[u8], form: KeyForm) -> Option<Zeroizing<Vec<u8>>> {
    let mut decoded = scheme::DecodedSecret::EMPTY;
    let key = match form {
        KeyForm::Utf8 => secret,
        KeyForm::Utf8WithoutPrefix => secret.strip_prefix(scheme::SECRET_PREFIX).unwrap_or(secret),
        KeyForm::Base64 => scheme::key_bytes(&Profile::StandardWebhooks, secret, &mut decoded.bytes).ok()?,
    };
    if key.is_empty() || key.len() > MAX_DECODED_SECRET_LEN {
        return None;
    }
    if !scheme::secret_is_base64(profile) {
        return Some(Zeroizing::new(key.to_vec()));
    }
    // The profile base64-decodes what it gets: hand it the encoding of the key.
    use base64::Engine as _;
    let mut out = Zeroizing::new(alloc::vec![0u8; key.len().div_ceil(3) * 4]);
    let len = BASE64_LENIENT_PADDING.encode_slice(key, &mut out).ok()?;
    out.truncate(len);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn style_of(form: BodyForm, s: &str) -> String {
        String::from_utf8(reformat(s.as_bytes(), form, usize::MAX).unwrap_or_default()).unwrap_or_default()
    }

    #[test]
    fn reformats_like_the_common_serialisers() {
        let body = r#" {"b": [1, {"z": "a, b: c", "a": []}], "a" : {} , "e":"\"}"} "#;
        assert_eq!(style_of(BodyForm::Compact, body), r#"{"b":[1,{"z":"a, b: c","a":[]}],"a":{},"e":"\"}"}"#);
        assert_eq!(style_of(BodyForm::Spaced, body), r#"{"b": [1, {"z": "a, b: c", "a": []}], "a": {}, "e": "\"}"}"#);
        assert_eq!(
            style_of(BodyForm::Pretty, "{\"a\":[1,2],\"b\":{}}"),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}"
        );
        assert_eq!(style_of(BodyForm::Pretty4, "[1]"), "[\n    1\n]");
    }

    #[test]
    fn reformat_stops_at_the_limit() {
        let deep = alloc::format!("{}1,1{}", "[".repeat(64), "]".repeat(64));
        let full = reformat(deep.as_bytes(), BodyForm::Pretty4, usize::MAX).unwrap_or_default();
        assert!(full.len() > 64 * 4 * 3, "{}", full.len());
        assert_eq!(reformat(deep.as_bytes(), BodyForm::Pretty4, full.len()).map(|v| v.len()), Some(full.len()));
        assert_eq!(reformat(deep.as_bytes(), BodyForm::Pretty4, full.len() - 1), None);
        assert_eq!(reformat(deep.as_bytes(), BodyForm::Compact, 10), None);
    }

    #[test]
    fn line_endings_convert_both_ways() {
        assert_eq!(convert_line_endings(b"a\r\nb\nc", LineEnding::Lf), b"a\nb\nc");
        assert_eq!(convert_line_endings(b"a\r\nb\nc", LineEnding::Crlf), b"a\r\nb\r\nc");
    }

    #[test]
    fn unquotes_values_and_items() {
        assert_eq!(unquote(b" \"abc\"\r\n"), b"abc");
        assert_eq!(unquote(b"t=\"1\",v1='x'"), b"t=1,v1=x");
        assert_eq!(unquote(b"\"\""), b"");
    }

    #[test]
    fn reencodes_with_the_verifiers_parsers() {
        let tag = [7u8; TAG_LEN];
        let hex = crate::encoding::encode_hex(&tag);
        let b64 = crate::encoding::encode_base64_tag(&tag);
        let (hex, b64) = (core::str::from_utf8(&hex).unwrap_or(""), core::str::from_utf8(&b64).unwrap_or(""));
        let single = Syntax::Single { prefix: "sha256=", encoding: Encoding::Hex };
        let got = reencode(single, alloc::format!("sha256={b64}").as_bytes(), Encoding::Base64, Encoding::Hex);
        assert_eq!(got, Some(alloc::format!("sha256={hex}").into_bytes()));
        let url_safe = b64.replace('+', "-").replace('/', "_");
        let got = reencode(single, alloc::format!("sha256={url_safe}").as_bytes(), Encoding::Base64, Encoding::Hex);
        assert_eq!(got, Some(alloc::format!("sha256={hex}").into_bytes()));
        let stamped = Syntax::Timestamped { encoding: Encoding::Base64, v0_counts: false };
        let value = alloc::format!(" t=12 ,\tv1={hex},x=y,v0={hex}");
        let got = reencode(stamped, value.as_bytes(), Encoding::Hex, Encoding::Base64);
        assert_eq!(got, Some(alloc::format!("t=12,v1={b64}").into_bytes()));
        // Tab-separated, as the verifier splits it (the old re-parser split on spaces only).
        let value = alloc::format!("v1,{hex}\tv1,{hex}");
        let got = reencode(Syntax::StandardList, value.as_bytes(), Encoding::Hex, Encoding::Base64);
        assert_eq!(got, Some(alloc::format!("v1,{b64} v1,{b64}").into_bytes()));
        assert_eq!(reencode(Syntax::StandardList, b"v1,zz", Encoding::Hex, Encoding::Base64), None);
        assert_eq!(reencode(stamped, b"v1=00", Encoding::Hex, Encoding::Base64), None);
    }

    #[test]
    fn rekeys_secrets_through_the_profile_derivation() {
        let plain = |key: Option<Zeroizing<Vec<u8>>>| key.map(|k| k.to_vec());
        assert_eq!(plain(rekey(&Profile::Stripe, b"whsec_c2VjcmV0", KeyForm::Base64)), Some(b"secret".to_vec()));
        let sw = Profile::StandardWebhooks;
        assert_eq!(plain(rekey(&sw, b"whsec_x", KeyForm::Utf8WithoutPrefix)), Some(b"eA==".to_vec()));
        assert_eq!(rekey(&Profile::Stripe, b"whsec_!", KeyForm::Base64), None);
        // What rekey hands the profile derives, through the verifier's rule, to the form's key.
        let mut buf = [0u8; MAX_DECODED_SECRET_LEN];
        let secret = rekey(&sw, b"whsec_raw", KeyForm::Utf8).unwrap_or_default();
        assert_eq!(scheme::key_bytes(&sw, &secret, &mut buf), Ok(&b"whsec_raw"[..]));
    }
}
