//! `explain`: why a delivery failed, as findings a program can read.
//!
//! When [`Verifier::verify`] says no, `explain` re-runs the same core
//! verification on a bounded set of altered inputs, each one a known way
//! webhook integrations go wrong (a secret with a trailing newline, a body
//! re-serialised by a JSON parser, a clock that is off…). Every alteration
//! that makes the signature match becomes a [`Finding`] with a stable
//! [`code`](Finding::code). Nothing here is on the `verify` hot path: it runs
//! only when asked, allocates, and tries at most [`MAX_ATTEMPTS`]
//! verifications.
//!
//! Alterations are tried with the timestamp window disabled, so a finding
//! means "the MAC matches once this one thing is undone"; a delivery that is
//! only outside the window gets [`Finding::ClockSkew`] and nothing else.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::encoding::Encoding;
use crate::error::Error;
use crate::headers::{self, header_name_matches};
use crate::mac::TAG_LEN;
use crate::profile::{KeyEncoding, Profile};
use crate::request::RequestLine;
use crate::scheme::{self, Layout, Syntax};
use crate::verifier::{Tolerance, Verifier};

/// Most verifications one `explain` call runs (the original one included).
pub const MAX_ATTEMPTS: usize = 64;

/// Largest body `explain` re-serialises or re-writes (256 KiB); a bigger
/// body gets no body findings.
pub const MAX_EXPLAIN_BODY: usize = 256 * 1024;

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

    const fn sorted(self) -> bool {
        matches!(self, BodyForm::Sorted | BodyForm::SortedSpaced | BodyForm::SortedPretty)
    }

    const fn style(self) -> Style {
        match self {
            BodyForm::Compact | BodyForm::Sorted => Style { indent: 0, item_sep: b",", key_sep: b":" },
            BodyForm::Spaced | BodyForm::SortedSpaced => Style { indent: 0, item_sep: b", ", key_sep: b": " },
            BodyForm::Pretty | BodyForm::SortedPretty => Style { indent: 2, item_sep: b",", key_sep: b": " },
            BodyForm::Pretty4 => Style { indent: 4, item_sep: b",", key_sep: b": " },
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

/// A field of a finding, for bindings that build maps or JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    /// A text field.
    Text(String),
    /// An integer field.
    Integer(i64),
}

impl Finding {
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

    /// The finding's data as `(field name, value)` pairs, in a fixed order;
    /// the names are the `--json` / binding field names.
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

/// One line of plain English per finding (what `hooksig explain` prints).
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
                let (n, way) = if *seconds >= 0 { (*seconds, "in the past") } else { (-*seconds, "in the future") };
                write!(
                    f,
                    "the signature is valid but the timestamp is {n} s {way}: a clock is off, or the delivery was \
                     replayed or queued"
                )
            }
            Finding::HeaderValueQuoted { header } => {
                write!(f, "header `{header}` has quotes or stray whitespace around its value; without them it matches")
            }
            Finding::WrongEncoding { header, found, expected } => write!(
                f,
                "header `{header}` holds a {} signature where {} is expected; re-encoded, it matches",
                encoding_str(*found),
                encoding_str(*expected)
            ),
            Finding::HeaderNameClose { expected, found } => {
                write!(f, "header `{expected}` is missing, but `{found}` was sent: a misspelt or wrong header name?")
            }
        }
    }
}

/// What `explain` found: the verdict `verify` gives, and every cause found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// `Ok(secret_index)` if the delivery verifies as given, else the error
    /// `verify` (or building the verifier) returns.
    pub verdict: Result<usize, Error>,
    /// The causes found, in a fixed order; empty when the delivery verifies
    /// or nothing known explains the failure (a wrong secret or a forgery).
    pub findings: Vec<Finding>,
    /// How many verifications were run (at most [`MAX_ATTEMPTS`]).
    pub attempts: usize,
}

impl Explanation {
    /// `"OK"` or the error code.
    #[must_use]
    pub fn verdict_code(&self) -> &'static str {
        self.verdict.map_or_else(Error::code, |_| "OK")
    }

    /// The explanation as one line of JSON, the shape the C ABI (and PHP)
    /// return: `{"verdict": "OK" | code, "secret_index": n | null,
    /// "findings": [{"code": …, "message": …, "fields": {name: text | integer}}]}`,
    /// with `message` the finding's [`Display`](fmt::Display) line and `fields`
    /// its [`fields`](Finding::fields) in order. Strings are escaped per RFC 8259.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"verdict\":");
        push_json_string(&mut out, self.verdict_code());
        out.push_str(",\"secret_index\":");
        match self.verdict {
            Ok(index) => out.push_str(&alloc::format!("{index}")),
            Err(_) => out.push_str("null"),
        }
        out.push_str(",\"findings\":[");
        for (i, finding) in self.findings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"code\":");
            push_json_string(&mut out, finding.code());
            out.push_str(",\"message\":");
            push_json_string(&mut out, &alloc::format!("{finding}"));
            out.push_str(",\"fields\":{");
            for (j, (name, value)) in finding.fields().into_iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                push_json_string(&mut out, name);
                out.push(':');
                match value {
                    FieldValue::Text(text) => push_json_string(&mut out, &text),
                    FieldValue::Integer(n) => out.push_str(&alloc::format!("{n}")),
                }
            }
            out.push_str("}}");
        }
        out.push_str("]}");
        out
    }
}

/// Appends `text` as a JSON string: quotes, `\"`, `\\`, and every control
/// character escaped (`\n`, `\r`, `\t`, else `\u00XX`); other characters as is.
fn push_json_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                let byte = u32::from(c);
                out.push_str("\\u00");
                for shift in [4, 0] {
                    let digit = HEX.get(((byte >> shift) & 0xf) as usize).copied().unwrap_or(b'0');
                    out.push(char::from(digit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

type Headers = Vec<(Vec<u8>, Vec<u8>)>;

struct Run<'a> {
    profile: &'a Profile,
    secrets: Vec<Vec<u8>>,
    headers: Headers,
    body: &'a [u8],
    request: Option<RequestLine<'a>>,
    now: u64,
    attempts: usize,
}

/// Explains a delivery: `verify` (or `verify_request`, when `request` is
/// `Some((method, path_and_query))`) with these exact inputs, then, if it
/// fails, the known causes that make it pass.
///
/// Never panics and never fails: bad inputs show up in the verdict.
pub fn explain<S, N, V>(
    profile: &Profile,
    secrets: &[S],
    tolerance: Tolerance,
    headers: &[(N, V)],
    body: &[u8],
    request: Option<RequestLine<'_>>,
    now: u64,
) -> Explanation
where
    S: AsRef<[u8]>,
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    let mut run = Run {
        profile,
        secrets: secrets.iter().map(|s| s.as_ref().to_vec()).collect(),
        headers: headers.iter().map(|(n, v)| (n.as_ref().to_vec(), v.as_ref().to_vec())).collect(),
        body,
        request,
        now,
        attempts: 0,
    };
    let verdict = run.attempt(profile, &run.secrets.clone(), &run.headers.clone(), body, tolerance);
    let mut findings = Vec::new();
    let hopeless = matches!(verdict, Err(Error::InvalidArgument)) && !(1..=crate::MAX_SECRETS).contains(&secrets.len());
    if verdict.is_err() && !hopeless {
        run.explain(verdict, &mut findings);
    }
    Explanation { verdict: verdict.map(|(index, _)| index), findings, attempts: run.attempts }
}

impl Run<'_> {
    /// One verification, counted; `InvalidArgument` once the budget is spent.
    fn attempt(
        &mut self,
        profile: &Profile,
        secrets: &[Vec<u8>],
        headers: &Headers,
        body: &[u8],
        tolerance: Tolerance,
    ) -> Result<(usize, Option<u64>), Error> {
        if self.attempts >= MAX_ATTEMPTS {
            return Err(Error::InvalidArgument);
        }
        self.attempts += 1;
        let verifier = Verifier::new(*profile, secrets)?.with_tolerance(tolerance);
        verifier.verify_request(headers, body, self.request, self.now).map(|v| (v.secret_index, v.timestamp))
    }

    /// An alteration, tried with the window disabled; `Some(secret_index)` if it matches.
    fn altered(
        &mut self,
        secrets: Option<&[Vec<u8>]>,
        headers: Option<&Headers>,
        body: Option<&[u8]>,
    ) -> Option<usize> {
        let secrets = secrets.map_or_else(|| self.secrets.clone(), <[_]>::to_vec);
        let headers = headers.map_or_else(|| self.headers.clone(), Clone::clone);
        let body = body.unwrap_or(self.body);
        self.attempt(self.profile, &secrets, &headers, body, Tolerance::Disabled).ok().map(|(index, _)| index)
    }

    fn explain(&mut self, verdict: Result<(usize, Option<u64>), Error>, findings: &mut Vec<Finding>) {
        if matches!(verdict, Err(Error::TimestampTooOld | Error::TimestampInFuture)) {
            let profile = self.profile;
            let (secrets, headers) = (self.secrets.clone(), self.headers.clone());
            if let Ok((_, Some(ts))) = self.attempt(profile, &secrets, &headers, self.body, Tolerance::Disabled) {
                let seconds = i128::from(self.now) - i128::from(ts);
                findings.push(Finding::ClockSkew { seconds: i64::try_from(seconds).unwrap_or(i64::MAX) });
                return;
            }
        }
        self.secret_whitespace(findings);
        self.key_derivation(findings);
        self.other_profiles(findings);
        self.header_values(findings);
        self.header_names(verdict, findings);
        self.body_forms(findings);
        self.line_endings(findings);
    }

    fn secret_whitespace(&mut self, findings: &mut Vec<Finding>) {
        let trimmed: Vec<Vec<u8>> = self.secrets.iter().map(|s| s.trim_ascii().to_vec()).collect();
        if trimmed == self.secrets || trimmed.iter().any(Vec::is_empty) {
            return;
        }
        if let Some(index) = self.altered(Some(&trimmed), None, None)
            && self.secrets.get(index) != trimmed.get(index)
        {
            findings.push(Finding::SecretWhitespace { secret_index: index });
        }
    }

    fn key_derivation(&mut self, findings: &mut Vec<Finding>) {
        let base64_now = match self.profile {
            Profile::StandardWebhooks => true,
            Profile::Custom(c) => c.key() == KeyEncoding::Base64,
            _ => false,
        };
        let forms: &[KeyForm] =
            if base64_now { &[KeyForm::Utf8, KeyForm::Utf8WithoutPrefix] } else { &[KeyForm::Base64] };
        let mut tried = alloc::vec![self.secrets.clone()];
        for &form in forms {
            // Secrets that, run through this profile's own derivation, give `form`'s key bytes.
            let Some(secrets) = self.secrets.iter().map(|s| rekey(s, form, base64_now)).collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            if tried.contains(&secrets) {
                continue;
            }
            tried.push(secrets.clone());
            if let Some(index) = self.altered(Some(&secrets), None, None) {
                findings.push(Finding::KeyDerivation { secret_index: index, key: form });
                return;
            }
        }
    }

    fn other_profiles(&mut self, findings: &mut Vec<Finding>) {
        for other in Profile::BUILTIN {
            if other == *self.profile || other.signs_request() != self.request.is_some() {
                continue;
            }
            let (secrets, headers) = (self.secrets.clone(), self.headers.clone());
            if self.attempt(&other, &secrets, &headers, self.body, Tolerance::Disabled).is_ok() {
                findings.push(Finding::OtherProfile { name: other.name() });
            }
        }
    }

    /// Quotes or whitespace around a value, and signatures in the other encoding.
    fn header_values(&mut self, findings: &mut Vec<Finding>) {
        let layout = Layout::of(self.profile);
        let signature_names = [layout.signature, scheme::SVIX.signature];
        for index in 0..self.headers.len() {
            if self.attempts >= MAX_ATTEMPTS {
                return;
            }
            let Some((name, value)) = self.headers.get(index).cloned() else { continue };
            if !self.wanted(&name) {
                continue;
            }
            let unquoted = unquote(&value);
            if unquoted != value {
                let mut headers = self.headers.clone();
                if let Some(slot) = headers.get_mut(index) {
                    slot.1.clone_from(&unquoted);
                }
                if self.altered(None, Some(&headers), None).is_some() {
                    findings.push(Finding::HeaderValueQuoted { header: text(&name) });
                    continue;
                }
            }
            let is_signature = matches!(self.profile, Profile::StandardWebhooks)
                && signature_names.iter().any(|n| header_name_matches(&name, n))
                || header_name_matches(&name, layout.signature);
            if !is_signature {
                continue;
            }
            let syntax =
                if header_name_matches(&name, scheme::SVIX.signature) { Syntax::StandardList } else { layout.syntax };
            let (expected, found) = match syntax {
                Syntax::Single { encoding, .. } | Syntax::Timestamped { encoding, .. } => (encoding, other(encoding)),
                Syntax::StandardList => (Encoding::Base64, Encoding::Hex),
            };
            let Some(reencoded) = reencode(syntax, headers::trim_ows(&value), found, expected) else { continue };
            let mut headers = self.headers.clone();
            if let Some(slot) = headers.get_mut(index) {
                slot.1 = reencoded;
            }
            if self.altered(None, Some(&headers), None).is_some() {
                findings.push(Finding::WrongEncoding { header: text(&name), found, expected });
            }
        }
    }

    fn wanted(&self, name: &[u8]) -> bool {
        let layout = Layout::of(self.profile);
        let svix = matches!(self.profile, Profile::StandardWebhooks).then_some(scheme::SVIX);
        core::iter::once(layout).chain(svix).flat_map(|l| l.names()).flatten().any(|w| header_name_matches(name, w))
    }

    /// On `MISSING_HEADER`: a required header absent while a close name was sent.
    fn header_names(&self, verdict: Result<(usize, Option<u64>), Error>, findings: &mut Vec<Finding>) {
        if verdict != Err(Error::MissingHeader) {
            return;
        }
        let layout = Layout::of(self.profile);
        let required =
            [Some(layout.signature), layout.timestamp, layout.id.filter(|_| layout.id_required), layout.api_key];
        for expected in required.into_iter().flatten() {
            if self.headers.iter().any(|(name, _)| header_name_matches(name, expected)) {
                continue;
            }
            let close = self.headers.iter().find(|(name, _)| !self.wanted(name) && close_names(name, expected));
            if let Some((found, _)) = close {
                findings.push(Finding::HeaderNameClose { expected: expected.to_owned(), found: text(found) });
            }
        }
    }

    fn body_forms(&mut self, findings: &mut Vec<Finding>) {
        if self.body.len() > MAX_EXPLAIN_BODY {
            return;
        }
        let Ok(sorted) = crate::canonical_json::canonical_json(self.body) else { return };
        let mut tried: Vec<Vec<u8>> = alloc::vec![self.body.to_vec()];
        for form in BodyForm::ALL {
            let source = if form.sorted() { sorted.as_slice() } else { self.body };
            let candidate = reformat(source, form.style());
            if tried.contains(&candidate) {
                continue;
            }
            if self.altered(None, None, Some(&candidate)).is_some() {
                findings.push(Finding::BodyReserialized { form });
                return;
            }
            tried.push(candidate);
        }
    }

    fn line_endings(&mut self, findings: &mut Vec<Finding>) {
        if self.body.len() > MAX_EXPLAIN_BODY || !self.body.contains(&b'\n') {
            return;
        }
        for to in [LineEnding::Lf, LineEnding::Crlf] {
            let candidate = convert_line_endings(self.body, to);
            if candidate != self.body && self.altered(None, None, Some(&candidate)).is_some() {
                findings.push(Finding::LineEndings { to });
                return;
            }
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const fn other(encoding: Encoding) -> Encoding {
    match encoding {
        Encoding::Hex => Encoding::Base64,
        Encoding::Base64 => Encoding::Hex,
    }
}

/// A secret that this profile's own derivation turns into `form`'s key bytes.
fn rekey(secret: &[u8], form: KeyForm, profile_decodes_base64: bool) -> Option<Vec<u8>> {
    let unprefixed = secret.strip_prefix(b"whsec_").unwrap_or(secret);
    let key: Vec<u8> = match form {
        KeyForm::Utf8 => secret.to_vec(),
        KeyForm::Utf8WithoutPrefix => unprefixed.to_vec(),
        KeyForm::Base64 => {
            let mut buf = alloc::vec![0u8; unprefixed.len()];
            let len = crate::encoding::decode_base64_secret(unprefixed, &mut buf)?;
            buf.truncate(len);
            buf
        }
    };
    if key.is_empty() || key.len() > scheme::MAX_DECODED_SECRET_LEN {
        return None;
    }
    if profile_decodes_base64 {
        // The profile base64-decodes what it gets: hand it the encoding of the key.
        use base64::Engine as _;
        let mut out = alloc::vec![0u8; key.len().div_ceil(3) * 4];
        let len = crate::encoding::BASE64_LENIENT_PADDING.encode_slice(&key, &mut out).ok()?;
        out.truncate(len);
        Some(out)
    } else {
        Some(key)
    }
}

/// The value without surrounding quotes and whitespace, and without quotes
/// around list items (`t="1",v1="…"`).
fn unquote(value: &[u8]) -> Vec<u8> {
    let is_junk = |b: &u8| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'');
    let start = value.iter().position(|b| !is_junk(b)).unwrap_or(value.len());
    let end = value.iter().rposition(|b| !is_junk(b)).map_or(start, |i| i + 1);
    let core = value.get(start..end).unwrap_or_default();
    core.iter().copied().filter(|b| !matches!(b, b'"' | b'\'')).collect()
}

/// Decodes a tag written in `found` (either hex case; standard or URL-safe base64).
fn decode_as(found: Encoding, text: &[u8]) -> Option<[u8; TAG_LEN]> {
    let standard: Vec<u8> = text
        .iter()
        .map(|&b| match b {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .collect();
    found.decode(if found == Encoding::Base64 { &standard } else { text })
}

/// The header value with every signature written in `found` re-encoded in
/// `expected`; `None` if there is none.
fn reencode(syntax: Syntax<'_>, value: &[u8], found: Encoding, expected: Encoding) -> Option<Vec<u8>> {
    let convert = |sig: &[u8]| -> Option<Vec<u8>> {
        let tag = decode_as(found, sig)?;
        let mut buf = [0u8; 2 * TAG_LEN];
        let len = scheme::encode_tag(expected, &tag, &mut buf);
        buf.get(..len).map(<[u8]>::to_vec)
    };
    let mut changed = false;
    let out = match syntax {
        Syntax::Single { prefix, .. } => {
            let sig = value.strip_prefix(prefix.as_bytes())?;
            let mut out = prefix.as_bytes().to_vec();
            out.extend(convert(sig)?);
            changed = true;
            out
        }
        Syntax::Timestamped { .. } => join(value.split(|&b| b == b','), b",", |item| {
            let item = headers::trim_ows(item);
            let (key, sig) = split_once(item, b'=')?;
            if key != b"v1" && key != b"v0" {
                return None;
            }
            let mut out = [key, b"="].concat();
            out.extend(convert(sig)?);
            changed = true;
            Some(out)
        }),
        Syntax::StandardList => join(value.split(|&b| b == b' '), b" ", |entry| {
            let sig = entry.strip_prefix(b"v1,")?;
            let mut out = b"v1,".to_vec();
            out.extend(convert(sig)?);
            changed = true;
            Some(out)
        }),
    };
    changed.then_some(out)
}

/// Joins `parts` with `sep`, each replaced by `map(part)` when that is `Some`.
fn join<'a>(
    parts: impl Iterator<Item = &'a [u8]>,
    sep: &[u8],
    mut map: impl FnMut(&'a [u8]) -> Option<Vec<u8>>,
) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, part) in parts.enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        match map(part) {
            Some(new) => out.extend(new),
            None => out.extend_from_slice(part),
        }
    }
    out
}

fn split_once(bytes: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let at = bytes.iter().position(|&b| b == sep)?;
    Some((bytes.get(..at)?, bytes.get(at + 1..)?))
}

/// A header name folded for comparison: lowercase, `_` as `-`, no `http-` prefix.
fn fold_name(name: &[u8]) -> Vec<u8> {
    let folded: Vec<u8> = name.iter().map(|&b| if b == b'_' { b'-' } else { b.to_ascii_lowercase() }).collect();
    match folded.strip_prefix(b"http-") {
        Some(rest) => rest.to_vec(),
        None => folded,
    }
}

/// Close: edit distance at most 2, or one name extends the other by at most
/// 4 bytes (`X-Hub-Signature` vs `X-Hub-Signature-256`).
fn close_names(received: &[u8], expected: &str) -> bool {
    let (a, b) = (fold_name(received), fold_name(expected.as_bytes()));
    if a.len().abs_diff(b.len()) > 4 || a.is_empty() {
        return false;
    }
    a.starts_with(&b) || b.starts_with(&a) || edit_distance(&a, &b) <= 2
}

/// Levenshtein distance (names are at most 64 bytes after the length check).
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        let mut next = Vec::with_capacity(row.len());
        next.push(left);
        for (j, &y) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let cost = diagonal + usize::from(x != y);
            left = cost.min(up + 1).min(left + 1);
            diagonal = up;
            next.push(left);
        }
        row = next;
    }
    row.last().copied().unwrap_or(0)
}

/// How to write JSON back.
#[derive(Copy, Clone)]
struct Style {
    /// Spaces per level; 0 writes one line.
    indent: usize,
    item_sep: &'static [u8],
    key_sep: &'static [u8],
}

/// Re-writes valid JSON (checked by the caller) in `style`, keeping every
/// string and number token and the member order exactly as they are.
fn reformat(json: &[u8], style: Style) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 2);
    let mut depth = 0usize;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        if style.indent > 0 {
            out.push(b'\n');
            out.resize(out.len() + depth * style.indent, b' ');
        }
    };
    let mut i = 0;
    while let Some(&byte) = json.get(i) {
        i += 1;
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'"' => {
                out.push(b'"');
                let mut escaped = false;
                while let Some(&c) = json.get(i) {
                    i += 1;
                    out.push(c);
                    if escaped {
                        escaped = false;
                    } else if c == b'\\' {
                        escaped = true;
                    } else if c == b'"' {
                        break;
                    }
                }
            }
            b'{' | b'[' => {
                let close = if byte == b'{' { b'}' } else { b']' };
                let next = json.get(i..).unwrap_or_default().iter().position(|b| !b.is_ascii_whitespace());
                if let Some(skip) = next
                    && json.get(i + skip) == Some(&close)
                {
                    out.extend_from_slice(&[byte, close]);
                    i += skip + 1;
                } else {
                    out.push(byte);
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(byte);
            }
            b',' => {
                out.extend_from_slice(style.item_sep);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(style.key_sep),
            other => out.push(other),
        }
    }
    out
}

fn convert_line_endings(body: &[u8], to: LineEnding) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn style(form: BodyForm, s: &str) -> String {
        String::from_utf8(reformat(s.as_bytes(), form.style())).unwrap_or_default()
    }

    #[test]
    fn reformats_like_the_common_serialisers() {
        let body = r#" {"b": [1, {"z": "a, b: c", "a": []}], "a" : {} , "e":"\"}"} "#;
        assert_eq!(style(BodyForm::Compact, body), r#"{"b":[1,{"z":"a, b: c","a":[]}],"a":{},"e":"\"}"}"#);
        assert_eq!(style(BodyForm::Spaced, body), r#"{"b": [1, {"z": "a, b: c", "a": []}], "a": {}, "e": "\"}"}"#);
        assert_eq!(
            style(BodyForm::Pretty, "{\"a\":[1,2],\"b\":{}}"),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}"
        );
        assert_eq!(style(BodyForm::Pretty4, "[1]"), "[\n    1\n]");
    }

    #[test]
    fn line_endings_convert_both_ways() {
        assert_eq!(convert_line_endings(b"a\r\nb\nc", LineEnding::Lf), b"a\nb\nc");
        assert_eq!(convert_line_endings(b"a\r\nb\nc", LineEnding::Crlf), b"a\r\nb\r\nc");
    }

    #[test]
    fn close_header_names() {
        assert!(close_names(b"X-Hub-Signature", "X-Hub-Signature-256"));
        assert!(close_names(b"HTTP_HMACSIGNATURE", "hmac_signature"));
        assert!(close_names(b"Stripe-Signatur", "Stripe-Signature"));
        assert!(!close_names(b"Content-Type", "Stripe-Signature"));
        assert!(!close_names(b"", "a"));
        assert_eq!(edit_distance(b"kitten", b"sitting"), 3);
    }

    #[test]
    fn unquotes_values_and_items() {
        assert_eq!(unquote(b" \"abc\"\r\n"), b"abc");
        assert_eq!(unquote(b"t=\"1\",v1='x'"), b"t=1,v1=x");
        assert_eq!(unquote(b"\"\""), b"");
    }

    #[test]
    fn to_json_is_the_documented_schema_with_escaped_strings() {
        use serde_json::{Value, json};
        let header = "X-\"q\"\\\n\t\u{1}\u{7f}é/";
        let quoted = Finding::HeaderValueQuoted { header: header.to_owned() };
        let skew = Finding::ClockSkew { seconds: -42 };
        let explanation = Explanation {
            verdict: Err(Error::SignatureMismatch),
            findings: alloc::vec![quoted.clone(), skew.clone()],
            attempts: 3,
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
            })
        );
        let ok = Explanation { verdict: Ok(2), findings: Vec::new(), attempts: 1 };
        assert_eq!(ok.to_json(), r#"{"verdict":"OK","secret_index":2,"findings":[]}"#);
    }

    #[test]
    fn rekeys_secrets_through_the_profile_derivation() {
        assert_eq!(rekey(b"whsec_c2VjcmV0", KeyForm::Base64, false), Some(b"secret".to_vec()));
        assert_eq!(rekey(b"whsec_x", KeyForm::Utf8WithoutPrefix, true), Some(b"eA==".to_vec()));
        assert_eq!(rekey(b"whsec_!", KeyForm::Base64, false), None);
    }
}
