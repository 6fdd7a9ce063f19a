//! The verifier: secrets decoded and keyed once, then `verify` per request.

use core::fmt;

use crate::Error;
use crate::headers::{self, Slot};
use crate::mac::MacKey;
use crate::parse::{self, Candidates};
use crate::profile::Profile;
use crate::scheme::{self, BodyBytes, Layout, Message, Signed, Syntax};

/// Most secrets one verifier holds (rotation, several endpoints on one route).
pub const MAX_SECRETS: usize = 8;

/// The accepted distance between a delivery's timestamp and `now`.
///
/// The default is 300 s in the past and 300 s in the future. `Disabled` is
/// its own explicit setting (for replaying stored deliveries); a window of
/// `0` means "exactly now", never "off".
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Tolerance {
    /// No timestamp check at all.
    Disabled,
    /// Accept `now - past <= timestamp <= now + future`.
    Window {
        /// Seconds a timestamp may lie in the past.
        past: u64,
        /// Seconds a timestamp may lie in the future.
        future: u64,
    },
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance::DEFAULT
    }
}

impl Tolerance {
    /// 300 s either way: what Key2Pay, Slack and Standard Webhooks use.
    pub const DEFAULT: Tolerance = Tolerance::symmetric(300);

    /// The same number of seconds in both directions.
    #[must_use]
    pub const fn symmetric(seconds: u64) -> Tolerance {
        Tolerance::Window { past: seconds, future: seconds }
    }

    /// Builds a window from the options every binding offers:
    /// `tolerance` (`None` = disabled) and optional `past`/`future`
    /// overrides of one side.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `past` or `future` is given while the
    /// window is disabled (the request would contradict itself).
    pub fn from_options(tolerance: Option<u64>, past: Option<u64>, future: Option<u64>) -> Result<Tolerance, Error> {
        match tolerance {
            None if past.is_some() || future.is_some() => Err(Error::InvalidArgument),
            None => Ok(Tolerance::Disabled),
            Some(both) => Ok(Tolerance::Window { past: past.unwrap_or(both), future: future.unwrap_or(both) }),
        }
    }

    /// Checks `timestamp` against `now` (both Unix seconds).
    ///
    /// # Errors
    /// [`Error::TimestampTooOld`] or [`Error::TimestampInFuture`].
    pub const fn check(self, timestamp: u64, now: u64) -> Result<(), Error> {
        match self {
            Tolerance::Disabled => Ok(()),
            Tolerance::Window { past, future } => {
                if now > timestamp && now - timestamp > past {
                    Err(Error::TimestampTooOld)
                } else if timestamp > now && timestamp - now > future {
                    Err(Error::TimestampInFuture)
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// A successful verification.
#[non_exhaustive]
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Verified<'h> {
    /// The profile's canonical name (`"stripe"`, `"custom"`…).
    pub scheme: &'static str,
    /// Which configured secret matched (0-based, in the order given).
    pub secret_index: usize,
    /// The signed timestamp, for schemes that have one.
    pub timestamp: Option<u64>,
    /// The delivery id header (`webhook-id`, `X-GitHub-Delivery`…), if the
    /// scheme has one and it was sent: what to de-duplicate replays on.
    pub id: Option<&'h str>,
}

/// The header names a [`Verifier`] reads, from [`Verifier::wanted_headers`].
#[derive(Copy, Clone, Debug)]
pub struct WantedHeaders<'v> {
    /// At most four names per layout, two layouts (Standard Webhooks, Svix).
    names: [&'v str; 8],
    len: usize,
}

impl<'v> WantedHeaders<'v> {
    fn add(&mut self, layout: Layout<'v>) {
        for name in layout.names().into_iter().flatten() {
            if let Some(slot) = self.names.get_mut(self.len) {
                *slot = name;
                self.len += 1;
            }
        }
    }

    /// True if a header called `name` is one of them, matched as the
    /// verifier matches it ([`header_name_matches`](crate::header_name_matches)).
    #[must_use]
    pub fn contains(&self, name: &[u8]) -> bool {
        self.names.get(..self.len).unwrap_or_default().iter().any(|wanted| headers::header_name_matches(name, wanted))
    }
}

/// A profile with its secrets validated and keyed once, reused for every
/// request. Cheap to share between threads (`Sync`) and to clone.
#[derive(Clone)]
pub struct Verifier {
    profile: Profile,
    keys: [Option<MacKey>; MAX_SECRETS],
    tolerance: Tolerance,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("profile", &self.profile)
            .field("secrets", &self.keys.iter().flatten().count())
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Verifier {
    /// Validates and keys every secret (1 to 8, tried in this order).
    ///
    /// Secrets are given as the provider displays them; the profile decides
    /// how they become key bytes (raw UTF-8, or base64 after `whsec_` for
    /// Standard Webhooks). The window starts at [`Tolerance::DEFAULT`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for 0 or more than 8 secrets, or an
    /// `akashicpay` profile without the `alloc` feature;
    /// [`Error::InvalidSecret`] for an empty or undecodable secret.
    pub fn new<S: AsRef<[u8]>>(profile: Profile, secrets: &[S]) -> Result<Verifier, Error> {
        if secrets.is_empty() || secrets.len() > MAX_SECRETS {
            return Err(Error::InvalidArgument);
        }
        if profile == Profile::AkashicPay && !cfg!(feature = "alloc") {
            return Err(Error::InvalidArgument);
        }
        let mut keys: [Option<MacKey>; MAX_SECRETS] = Default::default();
        for (slot, secret) in keys.iter_mut().zip(secrets) {
            *slot = Some(scheme::derive_key(&profile, secret.as_ref())?);
        }
        Ok(Verifier { profile, keys, tolerance: Tolerance::DEFAULT })
    }

    /// Sets the timestamp window (ignored by schemes without timestamps).
    #[must_use]
    pub const fn with_tolerance(mut self, tolerance: Tolerance) -> Verifier {
        self.tolerance = tolerance;
        self
    }

    /// The profile this verifier checks.
    #[must_use]
    pub const fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The timestamp window.
    #[must_use]
    pub const fn tolerance(&self) -> Tolerance {
        self.tolerance
    }

    /// True if a header called `name` is one this profile reads. Bindings
    /// use it to pick the few relevant entries out of a large header map
    /// without copying the rest. To test many names, take
    /// [`Verifier::wanted_headers`] once and ask it.
    #[must_use]
    pub fn wants_header(&self, name: &[u8]) -> bool {
        self.wanted_headers().contains(name)
    }

    /// The header names this profile reads (Standard Webhooks: its own and
    /// Svix's), worked out once so that a binding can test every name of a
    /// request's header map against them cheaply.
    #[must_use]
    pub fn wanted_headers(&self) -> WantedHeaders<'_> {
        let mut wanted = WantedHeaders { names: [""; 8], len: 0 };
        wanted.add(Layout::of(&self.profile));
        if matches!(self.profile, Profile::StandardWebhooks) {
            wanted.add(scheme::SVIX);
        }
        wanted
    }

    /// Verifies a webhook delivery: `headers` as received (any case, CGI
    /// names allowed), the raw `body` bytes, and `now` in Unix seconds.
    ///
    /// # Errors
    /// The first applicable of `MISSING_HEADER`, `MALFORMED_HEADER`,
    /// `TIMESTAMP_TOO_OLD`/`TIMESTAMP_IN_FUTURE`, `MALFORMED_BODY`,
    /// `NO_SIGNATURE`, `SIGNATURE_MISMATCH`; `INVALID_ARGUMENT` for a profile
    /// that signs requests (use [`Verifier::verify_request`]).
    pub fn verify<'h, N, V>(&self, headers: &'h [(N, V)], body: &[u8], now: u64) -> Result<Verified<'h>, Error>
    where
        N: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        if self.profile.signs_request() {
            return Err(Error::InvalidArgument);
        }
        self.check(headers, body, b"", b"", now)
    }

    /// Verifies a signed request (UnknownPay S2S): as [`Verifier::verify`],
    /// plus the request `method` and `path_and_query` exactly as sent.
    ///
    /// # Errors
    /// As [`Verifier::verify`]; `INVALID_ARGUMENT` for a profile that does not
    /// sign requests, an empty or non-token method, or an empty
    /// `path_and_query` or one with control characters.
    pub fn verify_request<'h, N, V>(
        &self,
        headers: &'h [(N, V)],
        body: &[u8],
        method: &str,
        path_and_query: &str,
        now: u64,
    ) -> Result<Verified<'h>, Error>
    where
        N: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        if !self.profile.signs_request() {
            return Err(Error::InvalidArgument);
        }
        check_request_line(method, path_and_query)?;
        self.check(headers, body, method.as_bytes(), path_and_query.as_bytes(), now)
    }

    fn check<'h, N, V>(
        &self,
        headers: &'h [(N, V)],
        body: &[u8],
        method: &[u8],
        path_and_query: &[u8],
        now: u64,
    ) -> Result<Verified<'h>, Error>
    where
        N: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        let mut layout = Layout::of(&self.profile);
        let mut slots = headers::lookup(headers, layout.names());
        if matches!(self.profile, Profile::StandardWebhooks) && matches!(slots, [Slot::Absent, ..]) {
            layout = scheme::SVIX;
            slots = headers::lookup(headers, layout.names());
        }
        let [signature, timestamp, id, api_key] = slots;

        // 1. MISSING_HEADER
        let missing = signature.is_absent()
            || (layout.timestamp.is_some() && timestamp.is_absent())
            || (layout.id_required && id.is_absent())
            || (layout.api_key.is_some() && api_key.is_absent());
        if missing {
            return Err(Error::MissingHeader);
        }

        // 2. MALFORMED_HEADER: duplicates, limits, syntax.
        let signature = signature.value()?.unwrap_or_default();
        let timestamp_header = timestamp.value()?;
        let id_bytes = id.value()?;
        api_key.value()?;
        let id = id_bytes.map(|bytes| core::str::from_utf8(bytes).map_err(|_| Error::MalformedHeader)).transpose()?;
        let mut candidates = Candidates::new();
        let timestamp_text = match layout.syntax {
            Syntax::Single { prefix, encoding } => {
                parse::single(signature, prefix, encoding, &mut candidates);
                timestamp_header
            }
            Syntax::StandardList => parse::standard_list(signature, &mut candidates).map(|()| timestamp_header)?,
            Syntax::Timestamped { encoding, v0_counts } => {
                Some(parse::timestamped(signature, encoding, v0_counts, &mut candidates)?)
            }
        };
        let timestamp = timestamp_text.map(parse::timestamp).transpose()?;

        // 3. TIMESTAMP_TOO_OLD / TIMESTAMP_IN_FUTURE
        if let Some(ts) = timestamp {
            self.tolerance.check(ts, now)?;
        }

        // 4. MALFORMED_BODY (only AkashicPay parses the body)
        let body = BodyBytes::of(layout.signed, body)?;
        let body = body.as_slice();

        // 5. NO_SIGNATURE
        if candidates.is_empty() {
            return Err(Error::NoSignature);
        }

        // 6. SIGNATURE_MISMATCH: each secret's MAC once, against every candidate.
        let body_sha256 = if layout.signed == Signed::RequestLine { crate::mac::sha256_hex(body) } else { [0; 64] };
        let message = Message {
            signed: layout.signed,
            body,
            timestamp: timestamp_text.unwrap_or_default(),
            id: id_bytes.unwrap_or_default(),
            method,
            path_and_query,
            body_sha256: &body_sha256,
        };
        self.first_match(&message, &candidates)
            .map(|secret_index| Verified { scheme: self.profile.name(), secret_index, timestamp, id })
            .ok_or(Error::SignatureMismatch)
    }

    fn first_match(&self, message: &Message<'_>, candidates: &Candidates) -> Option<usize> {
        self.keys.iter().map_while(Option::as_ref).position(|key| message.mac(key).matches_any(candidates.as_slice()))
    }
}

/// `method` must be an HTTP token; `path_and_query` non-empty, without
/// control characters (a newline would make the signed string ambiguous).
pub(crate) fn check_request_line(method: &str, path_and_query: &str) -> Result<(), Error> {
    let method_ok = headers::is_token(method);
    let path_ok = !path_and_query.is_empty() && !path_and_query.bytes().any(|b| b.is_ascii_control());
    if method_ok && path_ok { Ok(()) } else { Err(Error::InvalidArgument) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_options_as_bindings_pass_them() {
        assert_eq!(Tolerance::from_options(Some(300), None, None), Ok(Tolerance::DEFAULT));
        assert_eq!(Tolerance::from_options(Some(300), None, Some(15)), Ok(Tolerance::Window { past: 300, future: 15 }));
        assert_eq!(Tolerance::from_options(Some(0), Some(60), None), Ok(Tolerance::Window { past: 60, future: 0 }));
        assert_eq!(Tolerance::from_options(None, None, None), Ok(Tolerance::Disabled));
        assert_eq!(Tolerance::from_options(None, Some(1), None), Err(Error::InvalidArgument));
        assert_eq!(Tolerance::from_options(None, None, Some(1)), Err(Error::InvalidArgument));
    }

    /// The cost bound: however many signatures a header carries (up to 32),
    /// each secret's MAC is computed once, so a delivery costs at most 8 body
    /// MACs; what is rejected on syntax costs none.
    #[test]
    fn at_most_one_mac_per_secret() -> Result<(), Error> {
        use crate::mac::work::take_macs;
        use std::string::String;
        use std::vec::Vec;

        let wrong = "00".repeat(32);
        let secrets: Vec<String> = (0..MAX_SECRETS).map(|i| std::format!("secret-{i}")).collect();
        let key2pay = Verifier::new(Profile::Key2Pay, &secrets)?.with_tolerance(Tolerance::Disabled);
        let mut items = std::vec![String::from("t=1700000000")];
        items.extend((0..31).map(|_| std::format!("v1={wrong}")));
        let header = [("X-Key2Pay-Signature", items.join(","))];
        take_macs();
        assert_eq!(key2pay.verify(&header, b"body", 0).err(), Some(Error::SignatureMismatch));
        assert_eq!(take_macs(), MAX_SECRETS, "32 entries x 8 secrets");

        // The right signature for the 4th secret, last of 31: 4 MACs, then stop.
        let tag = MacKey::new(b"secret-3")?.mac(&[b"1700000000", b".", b"body"]).to_bytes();
        if let Some(last) = items.last_mut() {
            *last = std::format!("v1={}", hex::encode(tag));
        }
        let header = [("X-Key2Pay-Signature", items.join(","))];
        take_macs();
        assert_eq!(key2pay.verify(&header, b"body", 0).map(|v| v.secret_index), Ok(3));
        assert_eq!(take_macs(), 4);

        // Over the limit, or a body that is not JSON: rejected before any MAC.
        items.push(std::format!("v1={wrong}"));
        let header = [("X-Key2Pay-Signature", items.join(","))];
        assert_eq!(key2pay.verify(&header, b"body", 0).err(), Some(Error::MalformedHeader));
        let akashic = Verifier::new(Profile::AkashicPay, &secrets)?;
        let deep = "[".repeat(65) + &"]".repeat(65);
        assert_eq!(
            akashic.verify(&[("Signature", wrong.as_str())], deep.as_bytes(), 0).err(),
            Some(Error::MalformedBody)
        );
        assert_eq!(take_macs(), 0);

        // Standard Webhooks, 32 entries, 8 secrets.
        let sw_secrets: Vec<String> = (0..MAX_SECRETS).map(|i| std::format!("whsec_c2VjcmV0{i}A==")).collect();
        let sw = Verifier::new(Profile::StandardWebhooks, &sw_secrets)?;
        let entries = std::vec!["v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; 32].join(" ");
        let headers = [("webhook-id", "msg"), ("webhook-timestamp", "1700000000"), ("webhook-signature", &entries)];
        assert_eq!(sw.verify(&headers, b"body", 1_700_000_000).err(), Some(Error::SignatureMismatch));
        assert_eq!(take_macs(), MAX_SECRETS);
        Ok(())
    }

    #[test]
    fn wants_only_the_profiles_headers() -> Result<(), Error> {
        let sw = Verifier::new(Profile::StandardWebhooks, &["whsec_c2VjcmV0"])?;
        for name in ["webhook-id", "HTTP_WEBHOOK_SIGNATURE", "Svix-Timestamp", "svix_id"] {
            assert!(sw.wants_header(name.as_bytes()), "{name}");
        }
        for name in ["content-type", "webhook-ids", "X-Hub-Signature-256"] {
            assert!(!sw.wants_header(name.as_bytes()), "{name}");
        }
        let s2s = Verifier::new(Profile::UnknownPayS2s, &["k"])?;
        for name in ["x-api-key", "X-Timestamp", "X-Signature", "Idempotency-Key"] {
            assert!(s2s.wants_header(name.as_bytes()), "{name}");
        }
        assert!(!s2s.wants_header(b"X-Webhook-Signature"));
        Ok(())
    }

    /// Every header `sign` writes for a profile is one its verifier wants:
    /// `wanted_headers` keeps all of a layout's names.
    #[test]
    fn wants_every_header_sign_writes() -> Result<(), Error> {
        for profile in Profile::BUILTIN.iter().filter(|p| !p.signs_request()) {
            let secret: &[u8] = if *profile == Profile::StandardWebhooks { b"whsec_c2VjcmV0" } else { b"secret" };
            let verifier = Verifier::new(*profile, &[secret])?;
            let wanted = verifier.wanted_headers();
            let timestamp = profile.has_timestamp().then_some(1_700_000_000);
            let signed = crate::sign(profile, secret, b"{}", timestamp, profile.id_header().map(|_| "msg_1"))?;
            for header in signed.iter() {
                assert!(wanted.contains(header.name().as_bytes()), "{} {}", profile.name(), header.name());
            }
            assert!(!wanted.contains(b"content-type"), "{}", profile.name());
        }
        Ok(())
    }
}
