//! Header lookup: case-insensitive, `-` and `_` alike, CGI names, and
//! conflicting duplicates detected.
//!
//! Headers come in as a slice of `(name, value)` pairs of anything that is
//! bytes (`&str`, `&[u8]`, `String`, `Vec<u8>`…). Every profile reads at most
//! four names, so one pass over the pairs finds them all.

use crate::Error;

/// Longest header value hooksig reads (8 KiB). Longer is `MALFORMED_HEADER`.
pub const MAX_HEADER_LEN: usize = 8 * 1024;

/// True if a received header `name` is the header `canonical` (for example
/// `"X-Hub-Signature-256"`): ASCII case-insensitive, `-` and `_` equal, and a
/// leading `HTTP_` (CGI, WSGI, PHP `$_SERVER`, Django `META`) ignored.
#[must_use]
#[inline]
pub fn header_name_matches(name: &[u8], canonical: &str) -> bool {
    let canonical = canonical.as_bytes();
    // The length decides which comparison can match (most names fail here).
    match name.len().checked_sub(canonical.len()) {
        Some(0) => same_name(name, canonical),
        Some(5) => {
            name.split_at_checked(5).is_some_and(|(http, rest)| same_name(http, b"HTTP_") && same_name(rest, canonical))
        }
        _ => false,
    }
}

pub(crate) fn same_name(a: &[u8], b: &[u8]) -> bool {
    // Equal bytes first: the common case, and it skips the fold.
    a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| x == y || fold(x) == fold(y))
}

pub(crate) const fn fold(byte: u8) -> u8 {
    if byte == b'_' { b'-' } else { byte.to_ascii_lowercase() }
}

/// True for a non-empty HTTP `token` (RFC 9110): header names and methods.
pub(crate) fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Strips the optional whitespace (SP, HTAB) HTTP allows around a field value.
pub(crate) fn trim_ows(mut value: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = value {
        value = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = value {
        value = rest;
    }
    value
}

/// What a lookup found for one wanted header.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Slot<'a> {
    /// Not sent.
    Absent,
    /// Sent once, or several times with the same value (trimmed).
    Present(&'a [u8]),
    /// Sent several times with different values.
    Conflict,
}

impl<'a> Slot<'a> {
    pub(crate) fn is_absent(self) -> bool {
        matches!(self, Slot::Absent)
    }

    /// The value, once the caller has ruled out absence: a conflicting
    /// duplicate or an over-long value is `MALFORMED_HEADER`.
    pub(crate) fn value(self) -> Result<Option<&'a [u8]>, Error> {
        match self {
            Slot::Absent => Ok(None),
            Slot::Present(v) if v.len() <= MAX_HEADER_LEN => Ok(Some(v)),
            Slot::Present(_) | Slot::Conflict => Err(Error::MalformedHeader),
        }
    }
}

/// Finds each of the `wanted` header names in one pass over `headers`.
pub(crate) fn lookup<'a, N, V, const K: usize>(headers: &'a [(N, V)], wanted: [Option<&str>; K]) -> [Slot<'a>; K]
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    let mut found = [Slot::Absent; K];
    for (name, value) in headers {
        let name = name.as_ref();
        for (slot, want) in found.iter_mut().zip(wanted) {
            let Some(want) = want else { continue };
            if !header_name_matches(name, want) {
                continue;
            }
            let value = trim_ows(value.as_ref());
            *slot = match *slot {
                Slot::Absent => Slot::Present(value),
                Slot::Present(seen) if seen == value => Slot::Present(seen),
                Slot::Present(_) | Slot::Conflict => Slot::Conflict,
            };
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_case_dash_underscore_and_cgi() {
        for name in [
            "X-Hub-Signature-256",
            "x-hub-signature-256",
            "X_HUB_SIGNATURE_256",
            "HTTP_X_HUB_SIGNATURE_256",
            "http_x-hub-signature-256",
        ] {
            assert!(header_name_matches(name.as_bytes(), "X-Hub-Signature-256"), "{name}");
        }
        for name in ["X-Hub-Signature", "X-Hub-Signature-2567", "HTTPX_HUB_SIGNATURE_256", "", "HTTP_"] {
            assert!(!header_name_matches(name.as_bytes(), "X-Hub-Signature-256"), "{name}");
        }
    }

    #[test]
    fn duplicates_conflict_only_when_values_differ() {
        let same = [("a", "1"), ("A", " 1 ")];
        assert_eq!(lookup(&same, [Some("a")]), [Slot::Present(b"1")]);
        let differ = [("a", "1"), ("HTTP_A", "2")];
        assert_eq!(lookup(&differ, [Some("a")]), [Slot::Conflict]);
        assert_eq!(lookup(&differ, [Some("b"), None]), [Slot::Absent, Slot::Absent]);
    }

    #[test]
    fn trims_only_spaces_and_tabs() {
        assert_eq!(trim_ows(b" \tabc \t"), b"abc");
        assert_eq!(trim_ows(b"\nabc"), b"\nabc");
        assert_eq!(trim_ows(b"   "), b"");
    }
}
