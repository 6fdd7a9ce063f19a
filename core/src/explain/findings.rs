//! What `explain` reports: the [`Finding`]s with their stable codes, their
//! fields and one-line messages, and the one JSON serialisation of an
//! [`Explanation`] that every binding returns or parses.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write as _};

use super::Explanation;
use crate::encoding::Encoding;

/// How a secret was turned into key bytes in an alteration that matched.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeyForm {
    /// The secret's bytes as given (what Stripe does with `whsec_…`).
    Utf8,
    /// The secret's bytes after dropping a `whsec_` prefix.
    Utf8WithoutPrefix,
    /// The base64 decoding of the secret after an optional `whsec_` prefix
    /// (what Standard Webhooks does).
    Base64,
}

impl KeyForm {
    /// `"utf8"`, `"utf8-without-prefix"` or `"base64"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyForm::Utf8 => "utf8",
            KeyForm::Utf8WithoutPrefix => "utf8-without-prefix",
            KeyForm::Base64 => "base64",
        }
    }
}

/// A JSON re-encoding of the body.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum BodyForm {
    /// No whitespace, keys in received order (`JSON.stringify`, PHP, Go).
    Compact,
    /// No whitespace, keys sorted recursively (canonical JSON).
    Sorted,
    /// `", "` and `": "` separators (Python's `json.dumps` default).
    Spaced,
    /// Spaced with keys sorted (`json.dumps(..., sort_keys=True)`).
    SortedSpaced,
    /// Two-space indentation (`JSON.stringify(v, null, 2)`, Stripe's payloads).
    Pretty,
    /// Two-space indentation with keys sorted.
    SortedPretty,
    /// Four-space indentation (`json.dumps(v, indent=4)`).
    Pretty4,
}

impl BodyForm {
    /// Every form, in the order they are tried.
    pub const ALL: [BodyForm; 7] = [
        BodyForm::Compact,
        BodyForm::Sorted,
        BodyForm::Spaced,
        BodyForm::SortedSpaced,
        BodyForm::Pretty,
        BodyForm::SortedPretty,
        BodyForm::Pretty4,
    ];

    /// `"compact"`, `"sorted"`, `"spaced"`, `"sorted-spaced"`, `"pretty"`,
    /// `"sorted-pretty"` or `"pretty4"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            BodyForm::Compact => "compact",
            BodyForm::Sorted => "sorted",
            BodyForm::Spaced => "spaced",
            BodyForm::SortedSpaced => "sorted-spaced",
            BodyForm::Pretty => "pretty",
            BodyForm::SortedPretty => "sorted-pretty",
            BodyForm::Pretty4 => "pretty4",
        }
    }
}

/// A line-ending convention.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum LineEnding {
    /// `\n`.
    Lf,
    /// `\r\n`.
    Crlf,
}

impl LineEnding {
    /// `"lf"` or `"crlf"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "lf",
            LineEnding::Crlf => "crlf",
        }
    }
}

const fn encoding_str(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Hex => "hex",
        Encoding::Base64 => "base64",
    }
}

/// One cause found for a failed verification.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Secret `secret_index` has leading or trailing whitespace (often a
    /// newline from a file or a copy-paste) and the trimmed secret matches.
    SecretWhitespace {
        /// Which configured secret.
        secret_index: usize,
    },
    /// Secret `secret_index` matches when turned into key bytes as `key`
    /// instead of the profile's way (raw `whsec_…` vs base64-decoded).
    KeyDerivation {
        /// Which configured secret.
        secret_index: usize,
        /// The derivation that matches.
        key: KeyForm,
    },
    /// The delivery verifies under another built-in profile.
    OtherProfile {
        /// That profile's name.
        name: &'static str,
    },
    /// The body was re-serialised: this JSON re-encoding of it matches.
    BodyReserialized {
        /// The re-encoding that matches.
        form: BodyForm,
    },
    /// The body's line endings were changed: converting them to `to` matches.
    LineEndings {
        /// The line ending that matches.
        to: LineEnding,
    },
    /// The signature is valid but the timestamp is outside the window:
    /// `seconds` = `now - timestamp` (positive: in the past).
    ClockSkew {
        /// How far the timestamp is from `now`.
        seconds: i64,
    },
    /// A header value carries quotes or stray whitespace; without them it matches.
    HeaderValueQuoted {
        /// The header's name, as received.
        header: String,
    },
    /// The signature is in the wrong encoding; re-encoded, it matches.
    WrongEncoding {
        /// The header's name, as received.
        header: String,
        /// The encoding found.
        found: Encoding,
        /// The encoding the profile expects.
        expected: Encoding,
    },
    /// A header the profile needs is missing, and one with a close name was sent.
    HeaderNameClose {
        /// The name the profile reads.
        expected: String,
        /// The name received.
        found: String,
    },
}

/// A field of a finding (a value of the `"fields"` object of
/// [`Explanation::to_json`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    /// A text field.
    Text(String),
    /// An integer field.
    Integer(i64),
}

impl Finding {
    /// Every code, in the order the search looks for them.
    pub const CODES: [&'static str; 9] = [
        "CLOCK_SKEW",
        "SECRET_WHITESPACE",
        "KEY_DERIVATION",
        "OTHER_PROFILE",
        "HEADER_VALUE_QUOTED",
        "WRONG_ENCODING",
        "HEADER_NAME_CLOSE",
        "BODY_RESERIALIZED",
        "LINE_ENDINGS",
    ];

    /// The stable code: `SECRET_WHITESPACE`, `KEY_DERIVATION`, `OTHER_PROFILE`,
    /// `BODY_RESERIALIZED`, `LINE_ENDINGS`, `CLOCK_SKEW`, `HEADER_VALUE_QUOTED`,
    /// `WRONG_ENCODING` or `HEADER_NAME_CLOSE`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Finding::SecretWhitespace { .. } => "SECRET_WHITESPACE",
            Finding::KeyDerivation { .. } => "KEY_DERIVATION",
            Finding::OtherProfile { .. } => "OTHER_PROFILE",
            Finding::BodyReserialized { .. } => "BODY_RESERIALIZED",
            Finding::LineEndings { .. } => "LINE_ENDINGS",
            Finding::ClockSkew { .. } => "CLOCK_SKEW",
            Finding::HeaderValueQuoted { .. } => "HEADER_VALUE_QUOTED",
            Finding::WrongEncoding { .. } => "WRONG_ENCODING",
            Finding::HeaderNameClose { .. } => "HEADER_NAME_CLOSE",
        }
    }

    /// The finding's data as `(field name, value)` pairs, in a fixed order:
    /// the `"fields"` of [`Explanation::to_json`].
    #[must_use]
    pub fn fields(&self) -> Vec<(&'static str, FieldValue)> {
        let text = |s: &str| FieldValue::Text(s.to_owned());
        let int = |n: usize| FieldValue::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        match self {
            Finding::SecretWhitespace { secret_index } => alloc::vec![("secret_index", int(*secret_index))],
            Finding::KeyDerivation { secret_index, key } => {
                alloc::vec![("secret_index", int(*secret_index)), ("key", text(key.as_str()))]
            }
            Finding::OtherProfile { name } => alloc::vec![("profile", text(name))],
            Finding::BodyReserialized { form } => alloc::vec![("form", text(form.as_str()))],
            Finding::LineEndings { to } => alloc::vec![("to", text(to.as_str()))],
            Finding::ClockSkew { seconds } => alloc::vec![("seconds", FieldValue::Integer(*seconds))],
            Finding::HeaderValueQuoted { header } => alloc::vec![("header", text(header))],
            Finding::WrongEncoding { header, found, expected } => alloc::vec![
                ("header", text(header)),
                ("found", text(encoding_str(*found))),
                ("expected", text(encoding_str(*expected))),
            ],
            Finding::HeaderNameClose { expected, found } => {
                alloc::vec![("expected", text(expected)), ("found", text(found))]
            }
        }
    }
}

/// One line of plain English per finding (what `hooksig explain` prints,
/// and the `"message"` of [`Explanation::to_json`]).
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::SecretWhitespace { secret_index } => write!(
                f,
                "secret #{secret_index} has whitespace around it (a trailing newline from a file or a paste?); \
                 the trimmed secret matches"
            ),
            Finding::KeyDerivation { secret_index, key } => {
                let how = match key {
                    KeyForm::Utf8 => "as raw text, whsec_ prefix included (the Stripe way)",
                    KeyForm::Utf8WithoutPrefix => "as raw text without its whsec_ prefix",
                    KeyForm::Base64 => "base64-decoded after whsec_ (the Standard Webhooks way)",
                };
                write!(f, "secret #{secret_index} matches when used {how}, not the way this profile uses it")
            }
            Finding::OtherProfile { name } => {
                write!(f, "the delivery verifies under profile `{name}`: is the configured profile the right one?")
            }
            Finding::BodyReserialized { form } => write!(
                f,
                "the body was re-serialised: its {} JSON re-encoding matches; verify the raw bytes as received, \
                 before any JSON parsing",
                form.as_str()
            ),
            Finding::LineEndings { to } => write!(
                f,
                "the body's line endings were changed: with {} line endings it matches; read the body as bytes",
                to.as_str().to_ascii_uppercase()
            ),
            Finding::ClockSkew { seconds } => {
                let way = if *seconds >= 0 { "in the past" } else { "in the future" };
                let n = seconds.unsigned_abs();
                write!(
                    f,
                    "the signature is valid but the timestamp is {n} s {way}: a clock is off, or the delivery was \
                     replayed or queued"
                )
            }
            Finding::HeaderValueQuoted { header } => write!(
                f,
                "header `{}` has quotes or stray whitespace around its value; without them it matches",
                OneLine(header)
            ),
            Finding::WrongEncoding { header, found, expected } => write!(
                f,
                "header `{}` holds a {} signature where {} is expected; re-encoded, it matches",
                OneLine(header),
                encoding_str(*found),
                encoding_str(*expected)
            ),
            Finding::HeaderNameClose { expected, found } => write!(
                f,
                "header `{}` is missing, but `{}` was sent: a misspelt or wrong header name?",
                OneLine(expected),
                OneLine(found)
            ),
        }
    }
}

/// A received name, shown with its control characters escaped so that a
/// message stays one line (a name with a newline cannot forge a second one).
struct OneLine<'a>(&'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_debug())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// The one JSON serialisation of an explanation (see [`Explanation::to_json`]).
pub(super) fn to_json(explanation: &Explanation) -> String {
    let mut out = String::from("{\"verdict\":");
    push_string(&mut out, explanation.verdict_code());
    out.push_str(",\"secret_index\":");
    match explanation.verdict {
        Ok(index) => push_int(&mut out, index),
        Err(_) => out.push_str("null"),
    }
    out.push_str(",\"findings\":[");
    for (i, finding) in explanation.findings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"code\":");
        push_string(&mut out, finding.code());
        out.push_str(",\"message\":");
        push_string(&mut out, &alloc::format!("{finding}"));
        out.push_str(",\"fields\":{");
        for (j, (name, value)) in finding.fields().into_iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_string(&mut out, name);
            out.push(':');
            match value {
                FieldValue::Text(text) => push_string(&mut out, &text),
                FieldValue::Integer(n) => {
                    let _ = write!(out, "{n}");
                }
            }
        }
        out.push_str("}}");
    }
    out.push_str("],\"attempts\":");
    push_int(&mut out, explanation.attempts);
    out.push_str(",\"skipped\":[");
    for (i, code) in explanation.skipped.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, code);
    }
    out.push_str("]}");
    out
}

fn push_int(out: &mut String, n: usize) {
    // Writing to a `String` cannot fail.
    let _ = write!(out, "{n}");
}

/// Appends `text` as a JSON string (RFC 8259): quotes, `\"`, `\\`, and every
/// control character escaped (`\n`, `\r`, `\t`, else `\u00XX`, DEL included);
/// other characters as they are (the output is UTF-8).
fn push_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn to_json_is_the_documented_shape_with_escaped_strings() {
        use serde_json::{Value, json};
        let header = "X-\"q\"\\\n\t\u{1}\u{7f}é/";
        let quoted = Finding::HeaderValueQuoted { header: header.to_owned() };
        let skew = Finding::ClockSkew { seconds: -42 };
        let explanation = Explanation {
            verdict: Err(Error::SignatureMismatch),
            findings: alloc::vec![quoted.clone(), skew.clone()],
            attempts: 3,
            skipped: alloc::vec!["BODY_RESERIALIZED"],
        };
        let text = explanation.to_json();
        assert!(!text.contains('\n') && !text.contains('\u{1}') && !text.contains('\u{7f}'), "{text}");
        assert!(text.contains(r#"\u0001\u007f"#), "{text}");
        let parsed: Value = serde_json::from_str(&text).unwrap_or_default();
        let message = |f: &Finding| Value::from(alloc::format!("{f}"));
        assert_eq!(
            parsed,
            json!({
                "verdict": "SIGNATURE_MISMATCH",
                "secret_index": null,
                "findings": [
                    {"code": "HEADER_VALUE_QUOTED", "message": message(&quoted),
                     "fields": {"header": header}},
                    {"code": "CLOCK_SKEW", "message": message(&skew), "fields": {"seconds": -42}},
                ],
                "attempts": 3,
                "skipped": ["BODY_RESERIALIZED"],
            })
        );
        let ok = Explanation { verdict: Ok(2), findings: Vec::new(), attempts: 1, skipped: Vec::new() };
        assert_eq!(ok.to_json(), r#"{"verdict":"OK","secret_index":2,"findings":[],"attempts":1,"skipped":[]}"#);
    }

    #[test]
    fn every_finding_has_a_listed_code_and_a_one_line_message() {
        let findings = [
            Finding::ClockSkew { seconds: i64::MIN },
            Finding::SecretWhitespace { secret_index: 7 },
            Finding::KeyDerivation { secret_index: 0, key: KeyForm::Utf8WithoutPrefix },
            Finding::OtherProfile { name: "github" },
            Finding::HeaderValueQuoted { header: "a\nb".to_owned() },
            Finding::WrongEncoding { header: "h".to_owned(), found: Encoding::Hex, expected: Encoding::Base64 },
            Finding::HeaderNameClose { expected: "a".to_owned(), found: "b\r\u{85}".to_owned() },
            Finding::BodyReserialized { form: BodyForm::SortedPretty },
            Finding::LineEndings { to: LineEnding::Crlf },
        ];
        for (finding, code) in findings.iter().zip(Finding::CODES) {
            assert_eq!(finding.code(), code);
            let line = alloc::format!("{finding}");
            assert!(!line.is_empty() && !line.chars().any(char::is_control), "{line}");
        }
    }
}
