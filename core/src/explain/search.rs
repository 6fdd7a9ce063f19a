//! The bounded search: the verdict, then each known mistake undone in turn,
//! every attempt a real [`Verifier`] run, within [`MAX_ATTEMPTS`] and the
//! byte budget ([`hash_budget`](super::hash_budget)).
//!
//! Before each attempt the bytes it may hash are worked out from its inputs
//! (per secret: the body, the request line, the one header value the MAC
//! covers, a timestamp and separators; plus the body once for UnknownPay
//! S2S's digest). An attempt that does not fit in what is left is not run
//! and its finding code goes to `skipped`. After it, what it really hashed
//! is charged: nothing if it failed before the MAC (every error but
//! `SIGNATURE_MISMATCH` is decided before it), else one MAC per secret tried.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::findings::{BodyForm, Finding, KeyForm, LineEnding};
use super::{Explanation, MAX_ATTEMPTS, MAX_EXPLAIN_BODY, hash_budget, rewrites};
use crate::encoding::Encoding;
use crate::error::Error;
use crate::headers::{self, MAX_HEADER_LEN, header_name_matches};
use crate::mac::TAG_LEN;
use crate::parse::MAX_TIMESTAMP_DIGITS;
use crate::profile::Profile;
use crate::request::RequestLine;
use crate::scheme::{self, Layout, Signed, Syntax};
use crate::verifier::{MAX_SECRETS, Tolerance, Verifier};

/// Header pairs, borrowed from the caller or from an alteration.
type Pairs<'h> = Vec<(&'h [u8], &'h [u8])>;

/// What one verification gave: the matching secret and the timestamp.
type Outcome = Result<(usize, Option<u64>), Error>;

/// Bytes a MAC covers besides the body, the request line and one header
/// value: a timestamp, S2S's hex body digest, separators.
const MESSAGE_EXTRA: usize = MAX_TIMESTAMP_DIGITS + 2 * TAG_LEN + 8;

/// The delivery as given.
struct Delivery<'a> {
    profile: &'a Profile,
    secrets: Vec<&'a [u8]>,
    headers: Pairs<'a>,
    body: &'a [u8],
    request: Option<RequestLine<'a>>,
    now: u64,
}

impl Delivery<'_> {
    fn request_len(&self) -> usize {
        self.request.map_or(0, |r| r.method().len().saturating_add(r.path_and_query().len()))
    }

    /// Most bytes one verification of `profile` hashes: `(per secret, once)`.
    fn cost(&self, profile: &Profile, headers: &[(&[u8], &[u8])], body_len: usize) -> (usize, usize) {
        // Only the id header's value is MACed (at most MAX_HEADER_LEN, checked first).
        let values = headers.iter().fold(0usize, |sum, (_, value)| sum.saturating_add(value.len()));
        let per_secret = body_len
            .saturating_add(self.request_len())
            .saturating_add(values.min(MAX_HEADER_LEN))
            .saturating_add(MESSAGE_EXTRA);
        let once = if Layout::of(profile).signed == Signed::RequestLine { body_len } else { 0 };
        (per_secret, once)
    }
}

/// The attempts made and the bytes left to hash.
struct Meter {
    attempts: usize,
    budget: usize,
    skipped: Vec<&'static str>,
}

impl Meter {
    fn skip(&mut self, code: &'static str) {
        if !self.skipped.contains(&code) {
            self.skipped.push(code);
        }
    }

    /// The largest body an attempt on `d`'s own profile, headers and secrets
    /// can still afford.
    fn body_room(&self, d: &Delivery<'_>) -> usize {
        let (fixed, _) = d.cost(d.profile, &d.headers, 0);
        let n = d.secrets.len().max(1);
        let digests = usize::from(Layout::of(d.profile).signed == Signed::RequestLine);
        self.budget.saturating_sub(fixed.saturating_mul(n)) / (n + digests)
    }

    /// One verification, counted and charged, whatever the budget.
    fn verify<S: AsRef<[u8]>>(&mut self, d: &Delivery<'_>, run: Run<'_, S>) -> Outcome {
        self.attempts += 1;
        let (per_secret, once) = d.cost(run.profile, run.headers, run.body.len());
        let outcome = Verifier::new(*run.profile, run.secrets).and_then(|verifier| {
            let verified =
                verifier.with_tolerance(run.tolerance).verify_request(run.headers, run.body, d.request, d.now);
            verified.map(|v| (v.secret_index, v.timestamp))
        });
        let macs = match outcome {
            Ok((index, _)) => index + 1,
            Err(Error::SignatureMismatch) => run.secrets.len(),
            Err(_) => 0,
        };
        let hashed = if macs == 0 { 0 } else { per_secret.saturating_mul(macs).saturating_add(once) };
        self.budget = self.budget.saturating_sub(hashed);
        outcome
    }

    /// One verification if it fits in both bounds; else `None`, and `code`
    /// is recorded as skipped.
    fn attempt<S: AsRef<[u8]>>(&mut self, d: &Delivery<'_>, code: &'static str, run: Run<'_, S>) -> Option<Outcome> {
        let (per_secret, once) = d.cost(run.profile, run.headers, run.body.len());
        let most = per_secret.saturating_mul(run.secrets.len()).saturating_add(once);
        if self.attempts >= MAX_ATTEMPTS || most > self.budget {
            self.skip(code);
            return None;
        }
        Some(self.verify(d, run))
    }

    /// An alteration of `d` (its profile, the window disabled): the index
    /// of the secret that matches, if one does.
    fn altered<S: AsRef<[u8]>>(
        &mut self,
        d: &Delivery<'_>,
        code: &'static str,
        secrets: &[S],
        headers: &[(&[u8], &[u8])],
        body: &[u8],
    ) -> Option<usize> {
        let run = Run { profile: d.profile, secrets, headers, body, tolerance: Tolerance::Disabled };
        self.attempt(d, code, run)?.ok().map(|(index, _)| index)
    }
}

/// The inputs of one verification.
struct Run<'r, S> {
    profile: &'r Profile,
    secrets: &'r [S],
    headers: &'r [(&'r [u8], &'r [u8])],
    body: &'r [u8],
    tolerance: Tolerance,
}

/// One `explain` call.
pub(super) struct Search<'a> {
    d: Delivery<'a>,
    meter: Meter,
    findings: Vec<Finding>,
}

impl<'a> Search<'a> {
    pub(super) fn new(
        profile: &'a Profile,
        secrets: Vec<&'a [u8]>,
        headers: Pairs<'a>,
        body: &'a [u8],
        request: Option<RequestLine<'a>>,
        now: u64,
    ) -> Search<'a> {
        let d = Delivery { profile, secrets, headers, body, request, now };
        let header_bytes =
            d.headers.iter().fold(0usize, |sum, (name, value)| sum.saturating_add(name.len() + value.len()));
        let budget = hash_budget(header_bytes, body.len(), d.request_len());
        Search { d, meter: Meter { attempts: 0, budget, skipped: Vec::new() }, findings: Vec::new() }
    }

    /// The verdict (always computed: it fits in the budget by construction),
    /// then, if it is a failure worth explaining, the search.
    pub(super) fn run(mut self, tolerance: Tolerance) -> Explanation {
        let d = &self.d;
        let run = Run { profile: d.profile, secrets: &d.secrets, headers: &d.headers, body: d.body, tolerance };
        let verdict = self.meter.verify(d, run);
        // Without 1 to 8 secrets no verifier can be built: nothing to try.
        let hopeless = verdict == Err(Error::InvalidArgument) && !(1..=MAX_SECRETS).contains(&self.d.secrets.len());
        if verdict.is_err() && !hopeless {
            self.explain(verdict);
        }
        Explanation {
            verdict: verdict.map(|(index, _)| index),
            findings: self.findings,
            attempts: self.meter.attempts,
            skipped: self.meter.skipped,
        }
    }

    fn explain(&mut self, verdict: Outcome) {
        if matches!(verdict, Err(Error::TimestampTooOld | Error::TimestampInFuture)) && self.clock_skew() {
            return;
        }
        self.secret_whitespace();
        self.key_derivation();
        self.other_profiles();
        self.header_values();
        self.header_names(verdict);
        // Only a MAC mismatch (or a window failure hiding one) can be a
        // body changed in transit; canonical JSON ignores both rewrites.
        let mac_failed =
            matches!(verdict, Err(Error::SignatureMismatch | Error::TimestampTooOld | Error::TimestampInFuture));
        if mac_failed && Layout::of(self.d.profile).signed != Signed::CanonicalJson {
            self.body_forms();
            self.line_endings();
        }
    }

    /// The delivery as given, window disabled: valid but late or early?
    fn clock_skew(&mut self) -> bool {
        let d = &self.d;
        let run = Run {
            profile: d.profile,
            secrets: &d.secrets,
            headers: &d.headers,
            body: d.body,
            tolerance: Tolerance::Disabled,
        };
        let Some(Ok((_, Some(ts)))) = self.meter.attempt(d, "CLOCK_SKEW", run) else { return false };
        let seconds = i128::from(d.now) - i128::from(ts);
        self.findings.push(Finding::ClockSkew { seconds: i64::try_from(seconds).unwrap_or(i64::MAX) });
        true
    }

    fn secret_whitespace(&mut self) {
        let d = &self.d;
        let trimmed: Vec<&[u8]> = d.secrets.iter().map(|s| s.trim_ascii()).collect();
        if trimmed == d.secrets || trimmed.iter().any(|s| s.is_empty()) {
            return;
        }
        if let Some(index) = self.meter.altered(d, "SECRET_WHITESPACE", &trimmed, &d.headers, d.body)
            && d.secrets.get(index) != trimmed.get(index)
        {
            self.findings.push(Finding::SecretWhitespace { secret_index: index });
        }
    }

    /// The secrets keyed the other way (raw text vs base64 after `whsec_`).
    fn key_derivation(&mut self) {
        let d = &self.d;
        let forms: &[KeyForm] = if scheme::secret_is_base64(d.profile) {
            &[KeyForm::Utf8, KeyForm::Utf8WithoutPrefix]
        } else {
            &[KeyForm::Base64]
        };
        let mut tried: Vec<Vec<Zeroizing<Vec<u8>>>> = Vec::new();
        for &form in forms {
            let rekeyed = d.secrets.iter().map(|s| rewrites::rekey(d.profile, s, form)).collect::<Option<Vec<_>>>();
            let Some(secrets) = rekeyed else { continue };
            if secrets.iter().map(|s| s.as_slice()).eq(d.secrets.iter().copied()) || tried.contains(&secrets) {
                continue;
            }
            if let Some(index) = self.meter.altered(d, "KEY_DERIVATION", &secrets, &d.headers, d.body) {
                self.findings.push(Finding::KeyDerivation { secret_index: index, key: form });
                return;
            }
            tried.push(secrets);
        }
    }

    /// Every other built-in profile whose signature header was sent.
    fn other_profiles(&mut self) {
        let d = &self.d;
        for other in Profile::BUILTIN {
            if other == *d.profile || other.signs_request() != d.request.is_some() {
                continue;
            }
            // Without its signature header a profile fails before any MAC.
            let sent = layouts(&other).any(|l| d.headers.iter().any(|(n, _)| header_name_matches(n, l.signature)));
            if !sent {
                continue;
            }
            let run = Run {
                profile: &other,
                secrets: &d.secrets,
                headers: &d.headers,
                body: d.body,
                tolerance: Tolerance::Disabled,
            };
            if let Some(Ok(_)) = self.meter.attempt(d, "OTHER_PROFILE", run) {
                self.findings.push(Finding::OtherProfile { name: other.name() });
            }
        }
    }

    /// Quotes or whitespace around a value, and signatures in the other encoding.
    fn header_values(&mut self) {
        let d = &self.d;
        for (index, &(name, value)) in d.headers.iter().enumerate() {
            if !wanted(d.profile, name) {
                continue;
            }
            let mut headers = d.headers.clone();
            let unquoted = rewrites::unquote(value);
            if unquoted != value {
                if let Some(slot) = headers.get_mut(index) {
                    slot.1 = &unquoted;
                }
                if self.meter.altered(d, "HEADER_VALUE_QUOTED", &d.secrets, &headers, d.body).is_some() {
                    self.findings.push(Finding::HeaderValueQuoted { header: text(name) });
                    continue;
                }
            }
            let layout = layouts(d.profile).find(|l| header_name_matches(name, l.signature));
            let Some(syntax) = layout.map(|l| l.syntax) else { continue };
            let (found, expected) = match syntax {
                Syntax::Single { encoding, .. } | Syntax::Timestamped { encoding, .. } => (other(encoding), encoding),
                Syntax::StandardList => (Encoding::Hex, Encoding::Base64),
            };
            let Some(reencoded) = rewrites::reencode(syntax, headers::trim_ows(value), found, expected) else {
                continue;
            };
            if let Some(slot) = headers.get_mut(index) {
                slot.1 = &reencoded;
            }
            if self.meter.altered(d, "WRONG_ENCODING", &d.secrets, &headers, d.body).is_some() {
                self.findings.push(Finding::WrongEncoding { header: text(name), found, expected });
            }
        }
    }

    /// On `MISSING_HEADER`: a required header absent while a close name was sent.
    fn header_names(&mut self, verdict: Outcome) {
        if verdict != Err(Error::MissingHeader) {
            return;
        }
        let d = &self.d;
        let layout = Layout::of(d.profile);
        let slots = headers::lookup(&d.headers, layout.names());
        let required = [true, true, layout.id_required, true];
        for ((slot, name), required) in slots.iter().zip(layout.names()).zip(required) {
            let Some(expected) = name.filter(|_| required && slot.is_absent()) else { continue };
            let close = d.headers.iter().find(|(name, _)| !wanted(d.profile, name) && close_names(name, expected));
            if let Some((found, _)) = close {
                self.findings.push(Finding::HeaderNameClose { expected: String::from(expected), found: text(found) });
            }
        }
    }

    /// The body re-encoded as the common JSON serialisers write it.
    fn body_forms(&mut self) {
        let d = &self.d;
        if d.body.len() > MAX_EXPLAIN_BODY {
            if d.body.trim_ascii_start().starts_with(b"{") || d.body.trim_ascii_start().starts_with(b"[") {
                self.meter.skip("BODY_RESERIALIZED");
            }
            return;
        }
        let Ok(sorted) = crate::canonical_json::canonical_json(d.body) else { return };
        let mut tried: Vec<Vec<u8>> = Vec::new();
        for form in BodyForm::ALL {
            let source = if rewrites::sorted(form) { sorted.as_slice() } else { d.body };
            // Built only up to what the budget can still hash.
            let Some(candidate) = rewrites::reformat(source, form, self.meter.body_room(d)) else {
                self.meter.skip("BODY_RESERIALIZED");
                continue;
            };
            if candidate == d.body || tried.contains(&candidate) {
                continue;
            }
            if self.meter.altered(d, "BODY_RESERIALIZED", &d.secrets, &d.headers, &candidate).is_some() {
                self.findings.push(Finding::BodyReserialized { form });
                return;
            }
            tried.push(candidate);
        }
    }

    /// The body with LF or CRLF line endings.
    fn line_endings(&mut self) {
        let d = &self.d;
        if !d.body.contains(&b'\n') {
            return;
        }
        if d.body.len() > MAX_EXPLAIN_BODY {
            self.meter.skip("LINE_ENDINGS");
            return;
        }
        for to in [LineEnding::Lf, LineEnding::Crlf] {
            let candidate = rewrites::convert_line_endings(d.body, to);
            if candidate != d.body
                && self.meter.altered(d, "LINE_ENDINGS", &d.secrets, &d.headers, &candidate).is_some()
            {
                self.findings.push(Finding::LineEndings { to });
                return;
            }
        }
    }
}

/// The layouts a profile reads: its own, and Svix's for Standard Webhooks.
fn layouts(profile: &Profile) -> impl Iterator<Item = Layout<'_>> {
    let svix = matches!(profile, Profile::StandardWebhooks).then_some(scheme::SVIX);
    core::iter::once(Layout::of(profile)).chain(svix)
}

/// True if the profile reads a header called `name`.
fn wanted(profile: &Profile, name: &[u8]) -> bool {
    layouts(profile).flat_map(|l| l.names()).flatten().any(|w| header_name_matches(name, w))
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

/// A header name folded as the verifier folds it (`headers.rs`: case,
/// `_` as `-`), without a CGI `HTTP_` prefix.
fn fold_name(name: &[u8]) -> Vec<u8> {
    let name = match name.split_at_checked(5) {
        Some((http, rest)) if headers::same_name(http, b"HTTP_") => rest,
        _ => name,
    };
    name.iter().map(|&b| headers::fold(b)).collect()
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

/// Levenshtein distance (names are at most 4 bytes apart after the length check).
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
            left = cost.min(up.saturating_add(1)).min(left + 1);
            diagonal = up;
            next.push(left);
        }
        row = next;
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mac::work::take_bytes;
    use crate::{EXPLAIN_HASH_ALLOWANCE, EXPLAIN_HASH_FACTOR, SignOptions, explain};
    use std::format;
    use std::string::ToString;
    use std::vec;

    const NOW: u64 = 1_700_000_000;

    /// Runs `explain` and returns it with the bytes it really hashed (MAC
    /// input and digests, counted in `mac.rs`), checked against the bound
    /// written out here from the documented constants.
    fn bounded(
        profile: &Profile,
        secrets: &[String],
        headers: &[(String, String)],
        body: &[u8],
        request: Option<RequestLine<'_>>,
    ) -> Explanation {
        take_bytes();
        let e = explain(profile, secrets, Tolerance::DEFAULT, headers, body, request, NOW);
        let hashed = take_bytes();
        let size = body.len()
            + headers.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>()
            + request.map_or(0, |r| r.method().len() + r.path_and_query().len());
        let bound = EXPLAIN_HASH_FACTOR * size + EXPLAIN_HASH_ALLOWANCE;
        assert!(hashed <= bound, "{}: hashed {hashed} > {bound}: {}", profile.name(), e.to_json());
        assert!(e.attempts <= MAX_ATTEMPTS);
        e
    }

    fn secrets(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("secret-{i}\n")).collect()
    }

    /// `depth` nested arrays, `items` ones inside (64 deep is the most
    /// canonical JSON accepts).
    fn nested_json(depth: usize, items: usize) -> Vec<u8> {
        let mut body = "[".repeat(depth);
        body.push_str(&vec!["1"; items].join(","));
        body.push_str(&"]".repeat(depth));
        body.into_bytes()
    }

    /// Every webhook profile's headers for `body`, signed with a secret
    /// none of the `secrets` are: all well formed, all reach the MAC.
    fn every_header(body: &[u8]) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = Vec::new();
        for profile in Profile::BUILTIN.iter().filter(|p| !p.signs_request()) {
            let secret: &[u8] = if *profile == Profile::StandardWebhooks { b"whsec_b3RoZXI=" } else { b"other" };
            let id = profile.id_header().map(|_| "msg_1");
            let options = SignOptions { timestamp: Some(NOW), id, ..SignOptions::default() };
            let Ok(signed) = crate::sign(profile, secret, body, options) else { continue };
            for h in signed.iter() {
                if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(h.name())) {
                    headers.push((h.name().to_string(), h.value().to_string()));
                }
            }
        }
        headers
    }

    fn github(secret: &str, message: &[u8]) -> Vec<(String, String)> {
        let tag = crate::MacKey::new(secret.as_bytes()).map(|k| k.mac(&[message]).to_bytes()).unwrap_or_default();
        vec![("X-Hub-Signature-256".to_string(), format!("sha256={}", hex::encode(tag)))]
    }

    /// A deeply nested 256 KiB body was pretty-printed to ~51 MB
    /// and MACed, once per secret; a 4 MiB body was re-hashed by every
    /// other-profile retry. Both are now within the documented byte bound,
    /// and what the bound cut is listed.
    #[test]
    fn hashed_bytes_are_bounded() {
        let deep = nested_json(64, (MAX_EXPLAIN_BODY - 128) / 2);
        assert!(deep.len() > MAX_EXPLAIN_BODY - 8 && deep.len() <= MAX_EXPLAIN_BODY, "{}", deep.len());
        let wrong = github("not-a-secret", b"x");
        for n in [1, MAX_SECRETS] {
            let e = bounded(&Profile::GitHub, &secrets(n), &wrong, &deep, None);
            assert_eq!(e.verdict, Err(Error::SignatureMismatch));
            assert_eq!(e.skipped, ["BODY_RESERIALIZED"], "{n} secrets");
        }
        let big: Vec<u8> = b"0123456789abcdef\n".iter().copied().cycle().take(1 << 20).collect();
        let headers = every_header(&big);
        assert!(headers.len() >= 10, "{headers:?}");
        for n in [1, MAX_SECRETS] {
            let e = bounded(&Profile::GitHub, &secrets(n), &headers, &big, None);
            assert_eq!(e.verdict, Err(Error::SignatureMismatch));
            assert!(e.skipped.contains(&"LINE_ENDINGS"), "{}", e.to_json());
        }
        // UnknownPay S2S: the body digest counts too.
        let line = RequestLine::new("POST", "/v1/deposits").ok();
        let options = SignOptions { timestamp: Some(NOW), request: line, key_id: Some("k"), id: None };
        let signed = crate::sign(&Profile::UnknownPayS2s, b"s2s", &big, options)
            .map(|s| s.iter().map(|h| (h.name().to_string(), h.value().to_string())).collect::<Vec<_>>());
        let e = bounded(&Profile::UnknownPayS2s, &secrets(MAX_SECRETS), &signed.unwrap_or_default(), &big, line);
        assert_eq!(e.verdict, Err(Error::SignatureMismatch));
    }

    /// Within the bound, the search still finds what it used to: a 64 KiB
    /// body signed pretty-printed (5.5 times its size) is found with one
    /// secret; with eight, the re-encodings cost eight MACs each, do not fit
    /// and are reported skipped.
    #[test]
    fn the_bound_keeps_what_fits_and_reports_what_does_not() {
        let compact = nested_json(4, 32 * 1024);
        let pretty = rewrites::reformat(&compact, BodyForm::Pretty, usize::MAX).unwrap_or_default();
        assert!(pretty.len() > 5 * compact.len(), "{} vs {}", pretty.len(), compact.len());
        let signed = github("s", &pretty);
        let e = bounded(&Profile::GitHub, &["s".to_string()], &signed, &compact, None);
        assert_eq!(e.findings, [Finding::BodyReserialized { form: BodyForm::Pretty }], "{}", e.to_json());
        assert!(e.skipped.is_empty(), "{}", e.to_json());
        let mut eight = secrets(MAX_SECRETS - 1);
        eight.push("s".to_string());
        let e = bounded(&Profile::GitHub, &eight, &signed, &compact, None);
        assert!(e.findings.is_empty() && e.skipped == ["BODY_RESERIALIZED"], "{}", e.to_json());
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
}
