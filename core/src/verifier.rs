//! The verifier: secrets decoded and keyed once, then `verify` per request.

use core::fmt;

use crate::Error;
use crate::headers::{self, Slot};
use crate::mac::{MacKey, TAG_LEN};
use crate::parse::{self, Candidates};
use crate::profile::Profile;
use crate::replay::{ReplayKey, ReplayPrefix};
use crate::request::RequestLine;
use crate::scheme::{self, BodyBytes, Layout, Message, Signed, Syntax};

/// Most secrets one verifier holds (rotation, several endpoints on one route).
pub const MAX_SECRETS: usize = 8;

/// The default window, in seconds, on each side of `now`: the only place
/// this number is written.
pub const DEFAULT_WINDOW: u64 = 300;

/// How long a replay claim is kept, in seconds, when the window cannot bound
/// it (a profile without a timestamp, or the window disabled): 7 days, longer
/// than any provider here retries. A replay after that is accepted again.
pub const DEFAULT_RETENTION: u64 = 7 * 24 * 3600;

/// The largest window side accepted from options: one year (366 days). A
/// larger value is almost certainly a unit mistake (milliseconds); to switch
/// the check off, disable it explicitly.
pub const MAX_WINDOW: u64 = 366 * 24 * 3600;

/// One window option as a binding received it, before any conversion that
/// could change its meaning (a `-1` must not become a huge unsigned number).
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum WindowArg {
    /// Not given.
    Absent,
    /// Given as the language's null (`None`, `null`).
    Null,
    /// An integer.
    Int(i64),
    /// A floating-point number (JavaScript numbers, PHP floats): accepted
    /// only when it is a whole number.
    Float(f64),
    /// Anything else (a string, a boolean, an integer too large for `i64`).
    Invalid,
}

impl WindowArg {
    /// `None` for absent or null, else the seconds, checked.
    fn seconds(self) -> Result<Option<u64>, Error> {
        let whole = match self {
            WindowArg::Absent | WindowArg::Null => return Ok(None),
            WindowArg::Int(n) => n,
            // `as` saturates; the range check below rejects what saturated.
            #[allow(clippy::cast_possible_truncation)]
            WindowArg::Float(x) if x.is_finite() && x == (x as i64) as f64 => x as i64,
            WindowArg::Float(_) | WindowArg::Invalid => return Err(Error::InvalidArgument),
        };
        u64::try_from(whole).ok().filter(|n| *n <= MAX_WINDOW).map(Some).ok_or(Error::InvalidArgument)
    }
}

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
    /// [`DEFAULT_WINDOW`] either way: what Key2Pay, Slack and Standard Webhooks use.
    pub const DEFAULT: Tolerance = Tolerance::symmetric(DEFAULT_WINDOW);

    /// The same number of seconds in both directions.
    #[must_use]
    pub const fn symmetric(seconds: u64) -> Tolerance {
        Tolerance::Window { past: seconds, future: seconds }
    }

    /// Builds the window from the options a binding received, exactly as the
    /// caller wrote them: the one place that decides defaults and ranges.
    ///
    /// - `tolerance`: [`WindowArg::Absent`] is the default (300 s each way),
    ///   [`WindowArg::Null`] disables the check, a number of seconds sets both
    ///   sides;
    /// - `past` / `future`: absent or null keep `tolerance`'s value for that
    ///   side, a number overrides it.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a negative, fractional, non-finite,
    /// non-numeric or over-[`MAX_WINDOW`] value, or for `past`/`future` given
    /// while `tolerance` disables the window (the call would contradict itself).
    pub fn from_args(tolerance: WindowArg, past: WindowArg, future: WindowArg) -> Result<Tolerance, Error> {
        let (past, future) = (past.seconds()?, future.seconds()?);
        let both = match tolerance {
            WindowArg::Absent => DEFAULT_WINDOW,
            WindowArg::Null if past.is_none() && future.is_none() => return Ok(Tolerance::Disabled),
            WindowArg::Null => return Err(Error::InvalidArgument),
            given => given.seconds()?.unwrap_or(DEFAULT_WINDOW),
        };
        Ok(Tolerance::Window { past: past.unwrap_or(both), future: future.unwrap_or(both) })
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
    /// scheme has one and it was sent, as sent. Only when [`id_signed`]
    /// (Standard Webhooks) is it covered by the MAC; otherwise a replay can
    /// carry any id: de-duplicate on [`replay_key`](Verified::replay_key).
    ///
    /// [`id_signed`]: Verified::id_signed
    pub id: Option<&'h str>,
    /// True if the MAC covers `id` (Standard Webhooks / Svix only).
    pub id_signed: bool,
    /// What to de-duplicate this delivery on: derived from the MACed bytes
    /// only ([`ReplayKey`]).
    pub replay_key: ReplayKey,
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
    replay_prefix: ReplayPrefix,
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
        let replay_prefix = ReplayPrefix::new(profile.name());
        Ok(Verifier { profile, keys, tolerance: Tolerance::DEFAULT, replay_prefix })
    }

    /// Sets the timestamp window (ignored by schemes without timestamps).
    #[must_use]
    pub const fn with_tolerance(mut self, tolerance: Tolerance) -> Verifier {
        self.tolerance = tolerance;
        self
    }

    /// How long (seconds) a replay claim for a delivery this verifier
    /// accepted must be kept: `past + future` for a timestamped profile with a
    /// window (after that the window itself rejects the replay; at least 1 s),
    /// else `retention` (`None`: [`DEFAULT_RETENTION`]).
    #[must_use]
    pub fn replay_ttl(&self, retention: Option<u64>) -> u64 {
        match self.tolerance {
            Tolerance::Window { past, future } if self.profile.has_timestamp() => past.saturating_add(future).max(1),
            _ => retention.unwrap_or(DEFAULT_RETENTION),
        }
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
    /// The same as [`Verifier::verify_request`] with no request line.
    ///
    /// # Errors
    /// As [`Verifier::verify_request`].
    pub fn verify<'h, N, V>(&self, headers: &'h [(N, V)], body: &[u8], now: u64) -> Result<Verified<'h>, Error>
    where
        N: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        self.verify_request(headers, body, None, now)
    }

    /// Verifies a delivery of any profile: `headers` as received, the raw
    /// `body`, the request line when the caller has one, and `now` (Unix
    /// seconds). This is the one entry point every binding calls: profiles
    /// whose MAC does not cover the request line ignore it; `unknownpay-s2s`
    /// requires it.
    ///
    /// # Errors
    /// The first applicable of `MISSING_HEADER`, `MALFORMED_HEADER`,
    /// `TIMESTAMP_TOO_OLD`/`TIMESTAMP_IN_FUTURE`, `MALFORMED_BODY`,
    /// `NO_SIGNATURE`, `SIGNATURE_MISMATCH`; `INVALID_ARGUMENT` for
    /// `unknownpay-s2s` without a request line.
    pub fn verify_request<'h, N, V>(
        &self,
        headers: &'h [(N, V)],
        body: &[u8],
        request: Option<RequestLine<'_>>,
        now: u64,
    ) -> Result<Verified<'h>, Error>
    where
        N: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        let (method, path) = match (self.profile.signs_request(), request) {
            (true, None) => return Err(Error::InvalidArgument),
            (true, Some(line)) => (line.method().as_bytes(), line.path_and_query().as_bytes()),
            (false, _) => (&b""[..], &b""[..]),
        };
        self.check(headers, body, method, path, now)
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
        // An id MACed as `id.ts.body` must not contain `.`: otherwise one
        // signed message reads as another id with part of the body moved into it.
        if layout.signed == Signed::IdDotTimestampDotBody && id.is_some_and(|id| id.contains('.')) {
            return Err(Error::MalformedHeader);
        }
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
        let (secret_index, first_tag) = self.first_match(&message, &candidates).ok_or(Error::SignatureMismatch)?;
        let scheme = self.profile.name();
        Ok(Verified {
            scheme,
            secret_index,
            timestamp,
            id,
            id_signed: layout.signed == Signed::IdDotTimestampDotBody,
            replay_key: ReplayKey::derive(&self.replay_prefix, &first_tag),
        })
    }

    /// The index of the first secret whose MAC matches a candidate, with the
    /// first secret's tag (always computed: it keys the replay key).
    fn first_match(&self, message: &Message<'_>, candidates: &Candidates) -> Option<(usize, [u8; TAG_LEN])> {
        let mut first_tag = None;
        for (index, key) in self.keys.iter().map_while(Option::as_ref).enumerate() {
            let tag = message.mac(key);
            let first = *first_tag.get_or_insert_with(|| tag.to_bytes());
            if tag.matches_any(candidates.as_slice()) {
                return Some((index, first));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_args_as_bindings_pass_them() {
        use WindowArg::{Absent, Float, Int, Invalid, Null};
        let ok = |t, p, f| Tolerance::from_args(t, p, f);
        assert_eq!(ok(Absent, Absent, Absent), Ok(Tolerance::DEFAULT));
        assert_eq!(ok(Int(300), Null, Int(15)), Ok(Tolerance::Window { past: 300, future: 15 }));
        assert_eq!(ok(Absent, Int(60), Absent), Ok(Tolerance::Window { past: 60, future: DEFAULT_WINDOW }));
        assert_eq!(ok(Float(0.0), Float(60.0), Absent), Ok(Tolerance::Window { past: 60, future: 0 }));
        assert_eq!(ok(Null, Absent, Null), Ok(Tolerance::Disabled));
        let max = i64::try_from(MAX_WINDOW).unwrap_or_default();
        assert_eq!(ok(Int(max), Absent, Absent), Ok(Tolerance::symmetric(MAX_WINDOW)));
        for bad in [
            Int(-1),
            Int(i64::MIN),
            Int(max + 1),
            Float(-1.0),
            Float(1.5),
            Float(f64::NAN),
            Float(f64::INFINITY),
            Float(1e300),
            Invalid,
        ] {
            assert_eq!(ok(bad, Absent, Absent), Err(Error::InvalidArgument), "tolerance {bad:?}");
            assert_eq!(ok(Absent, bad, Absent), Err(Error::InvalidArgument), "past {bad:?}");
            assert_eq!(ok(Absent, Absent, bad), Err(Error::InvalidArgument), "future {bad:?}");
        }
        assert_eq!(ok(Null, Int(1), Absent), Err(Error::InvalidArgument));
        assert_eq!(ok(Null, Absent, Int(1)), Err(Error::InvalidArgument));
    }

    #[test]
    fn one_entry_point_for_every_profile() -> Result<(), Error> {
        let line = RequestLine::new("POST", "/v1/deposits")?;
        let s2s = Verifier::new(Profile::UnknownPayS2s, &["k"])?;
        let signed = crate::sign(
            &Profile::UnknownPayS2s,
            b"k",
            b"{}",
            crate::SignOptions {
                timestamp: Some(1_700_000_000),
                request: Some(line),
                key_id: Some("key"),
                id: Some("idem-1"),
            },
        )?;
        let pairs: std::vec::Vec<(&str, &str)> = signed.iter().map(|h| (h.name(), h.value())).collect();
        assert_eq!(s2s.verify_request(&pairs, b"{}", Some(line), 1_700_000_000).map(|v| v.id), Ok(Some("idem-1")));
        assert_eq!(s2s.verify(&pairs, b"{}", 1_700_000_000).err(), Some(Error::InvalidArgument));
        // A webhook profile ignores a request line.
        let github = Verifier::new(Profile::GitHub, &["k"])?;
        let signed = crate::sign(&Profile::GitHub, b"k", b"{}", crate::SignOptions::default())?;
        let pairs: std::vec::Vec<(&str, &str)> = signed.iter().map(|h| (h.name(), h.value())).collect();
        assert_eq!(github.verify_request(&pairs, b"{}", Some(line), 0).map(|v| v.secret_index), Ok(0));
        Ok(())
    }

    #[test]
    fn replay_ttl_is_the_window_or_the_retention() -> Result<(), Error> {
        assert_eq!(Verifier::new(Profile::Stripe, &["s"])?.replay_ttl(None), 2 * DEFAULT_WINDOW);
        let narrow = Verifier::new(Profile::Slack, &["s"])?.with_tolerance(Tolerance::Window { past: 0, future: 0 });
        assert_eq!(narrow.replay_ttl(None), 1);
        let off = Verifier::new(Profile::Stripe, &["s"])?.with_tolerance(Tolerance::Disabled);
        assert_eq!(off.replay_ttl(Some(60)), 60);
        assert_eq!(Verifier::new(Profile::GitHub, &["s"])?.replay_ttl(None), DEFAULT_RETENTION);
        Ok(())
    }

    /// A Standard Webhooks id with `.` would let `id.ts.body` be re-split.
    #[test]
    fn standard_webhooks_id_with_a_dot_is_malformed() -> Result<(), Error> {
        let secret = "whsec_c2VjcmV0";
        let sw = Verifier::new(Profile::StandardWebhooks, &[secret])?.with_tolerance(Tolerance::Disabled);
        // The message `msg.1700000000.{"a":1}` signed with id `msg`, then
        // re-read as id `msg.1700000000.{"a"` ... is refused before any MAC.
        let tag = scheme::derive_key(&Profile::StandardWebhooks, secret.as_bytes())?
            .mac(&[b"msg", b".", b"1700000000", b".", b"x.1.y"])
            .to_bytes();
        let sig = std::format!("v1,{}", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, tag));
        let good = [("webhook-id", "msg"), ("webhook-timestamp", "1700000000"), ("webhook-signature", sig.as_str())];
        assert_eq!(sw.verify(&good, b"x.1.y", 0).map(|v| v.id), Ok(Some("msg")));
        let resplit =
            [("webhook-id", "msg.1700000000.x"), ("webhook-timestamp", "1"), ("webhook-signature", sig.as_str())];
        assert_eq!(sw.verify(&resplit, b"y", 0).err(), Some(Error::MalformedHeader));
        Ok(())
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
            let options =
                crate::SignOptions { timestamp, id: profile.id_header().map(|_| "msg_1"), ..Default::default() };
            let signed = crate::sign(profile, secret, b"{}", options)?;
            for header in signed.iter() {
                assert!(wanted.contains(header.name().as_bytes()), "{} {}", profile.name(), header.name());
            }
            assert!(!wanted.contains(b"content-type"), "{}", profile.name());
        }
        Ok(())
    }
}
