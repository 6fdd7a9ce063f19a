//! Signing: the headers a sender (a provider, a test, the CLI, a merchant
//! calling UnknownPay's API) would send. Follows the same layout table as
//! verification, so whatever `sign` produces, `verify` accepts.

use core::fmt::{self, Write as _};

use crate::Error;
use crate::headers::{MAX_HEADER_LEN, trim_ows};
use crate::mac::TAG_LEN;
use crate::parse::MAX_TIMESTAMP_DIGITS;
use crate::profile::{InlineStr, Profile};
use crate::request::RequestLine;
use crate::scheme::{self, BodyBytes, Layout, Message, Signed, Syntax};

/// Longest header value `sign` produces (`t=<12 digits>,v1=<64 hex>` is 82).
const VALUE_CAP: usize = 96;

/// One header to send.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    name: &'a str,
    value: Text<'a>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Text<'a> {
    Borrowed(&'a str),
    Inline(InlineStr<VALUE_CAP>),
}

impl<'a> Header<'a> {
    /// The header name, in the provider's usual spelling.
    #[must_use]
    pub const fn name(&self) -> &'a str {
        self.name
    }

    /// The header value.
    #[must_use]
    pub fn value(&self) -> &str {
        match &self.value {
            Text::Borrowed(text) => text,
            Text::Inline(text) => text.as_str(),
        }
    }
}

/// The headers produced by [`sign`], in sending order (at most four: a
/// layout has four header slots).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SignedHeaders<'a> {
    headers: [Option<Header<'a>>; 4],
}

impl<'a> SignedHeaders<'a> {
    fn new() -> Self {
        SignedHeaders { headers: [None; 4] }
    }

    fn push(&mut self, name: &'a str, value: Text<'a>) {
        if let Some(slot) = self.headers.iter_mut().find(|slot| slot.is_none()) {
            *slot = Some(Header { name, value });
        }
    }

    /// The headers in order.
    pub fn iter(&self) -> impl Iterator<Item = &Header<'a>> {
        self.headers.iter().flatten()
    }

    /// How many headers there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Never true: a signature always produces at least one header.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of the header called `name` (exact spelling).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|h| h.name == name).map(Header::value)
    }
}

impl<'s, 'a> IntoIterator for &'s SignedHeaders<'a> {
    type Item = &'s Header<'a>;
    type IntoIter = core::iter::Flatten<core::slice::Iter<'s, Option<Header<'a>>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.headers.iter().flatten()
    }
}

impl fmt::Write for InlineStr<VALUE_CAP> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        *self = InlineStr::concat(&[self.as_str().as_bytes(), s.as_bytes()]).map_err(|_| fmt::Error)?;
        Ok(())
    }
}

/// What a signer supplies besides the secret and the body. Every field is
/// optional; which ones a profile needs is the scheme table's decision.
#[derive(Copy, Clone, Debug, Default)]
pub struct SignOptions<'a> {
    /// Unix seconds; required by schemes that carry a timestamp, ignored by
    /// the others.
    pub timestamp: Option<u64>,
    /// The delivery id, written to the profile's id header (required by
    /// Standard Webhooks, whose MAC covers it; `Idempotency-Key` for
    /// UnknownPay S2S). A profile without an id header refuses one.
    pub id: Option<&'a str>,
    /// The request line, required by `unknownpay-s2s`, ignored by the others.
    pub request: Option<RequestLine<'a>>,
    /// The API key id (`X-Api-Key`), for profiles that send one; refused by
    /// the others.
    pub key_id: Option<&'a str>,
}

/// Signs a delivery (or, for `unknownpay-s2s`, a request) the way
/// `profile`'s provider does, returning the headers it would send, in order.
/// Every header name comes from the scheme table that `verify` reads.
///
/// # Errors
/// [`Error::InvalidSecret`] for an empty or undecodable secret;
/// [`Error::MalformedBody`] for an AkashicPay body that is not JSON;
/// [`Error::InvalidArgument`] for a missing or over-12-digit timestamp, a
/// missing request line for `unknownpay-s2s`, a missing id for Standard
/// Webhooks (or one containing `.`), an id or key id the profile has no
/// header for, or one with control characters or longer than
/// [`MAX_HEADER_LEN`] (a verifier would reject it).
pub fn sign<'a>(
    profile: &'a Profile,
    secret: &[u8],
    body: &[u8],
    options: SignOptions<'a>,
) -> Result<SignedHeaders<'a>, Error> {
    let SignOptions { timestamp, id, request, key_id } = options;
    let layout = Layout::of(profile);
    let (method, path) = match (profile.signs_request(), request) {
        (true, None) => return Err(Error::InvalidArgument),
        (true, Some(line)) => (line.method().as_bytes(), line.path_and_query().as_bytes()),
        (false, _) => (&b""[..], &b""[..]),
    };
    let timestamp = if profile.has_timestamp() { Some(timestamp_text(timestamp)?) } else { None };
    let header_ok = |name: Option<&str>, value: &str| name.is_some() && is_header_text(value);
    if id.is_some_and(|id| !header_ok(layout.id, id)) || key_id.is_some_and(|k| !header_ok(layout.api_key, k)) {
        return Err(Error::InvalidArgument);
    }
    if layout.signed == Signed::IdDotTimestampDotBody && id.is_none_or(|id| id.contains('.')) {
        return Err(Error::InvalidArgument);
    }
    let key = scheme::derive_key(profile, secret)?;
    let body = BodyBytes::of(layout.signed, body)?;
    let body = body.as_slice();
    let body_sha256 = if layout.signed == Signed::RequestLine { crate::mac::sha256_hex(body) } else { [0; 64] };

    let ts_bytes = timestamp.as_ref().map(|t| t.as_str().as_bytes()).unwrap_or_default();
    let message = Message {
        signed: layout.signed,
        body,
        timestamp: ts_bytes,
        id: id.unwrap_or_default().as_bytes(),
        method,
        path_and_query: path,
        body_sha256: &body_sha256,
    };
    let tag = message.mac(&key).to_bytes();
    let signature = signature_text(&layout, &tag, ts_bytes)?;

    let mut out = SignedHeaders::new();
    if let (Some(name), Some(key_id)) = (layout.api_key, key_id) {
        out.push(name, Text::Borrowed(key_id));
    }
    if layout.id_required {
        push_id(&mut out, &layout, id);
    }
    if let (Some(name), Some(ts)) = (layout.timestamp, timestamp) {
        out.push(name, Text::Inline(ts));
    }
    out.push(layout.signature, Text::Inline(signature));
    if !layout.id_required {
        push_id(&mut out, &layout, id);
    }
    Ok(out)
}

fn push_id<'a>(out: &mut SignedHeaders<'a>, layout: &Layout<'a>, id: Option<&'a str>) {
    if let (Some(name), Some(id)) = (layout.id, id) {
        out.push(name, Text::Borrowed(id));
    }
}

fn timestamp_text(timestamp: Option<u64>) -> Result<InlineStr<VALUE_CAP>, Error> {
    let ts = timestamp.ok_or(Error::InvalidArgument)?;
    if ts >= 10u64.pow(MAX_TIMESTAMP_DIGITS as u32) {
        return Err(Error::InvalidArgument);
    }
    let mut text = InlineStr::default();
    write!(text, "{ts}").map_err(|_| Error::InvalidArgument)?;
    Ok(text)
}

fn signature_text(layout: &Layout<'_>, tag: &[u8; TAG_LEN], ts: &[u8]) -> Result<InlineStr<VALUE_CAP>, Error> {
    let mut encoded = [0u8; 2 * TAG_LEN];
    let (pieces, encoding): ([&[u8]; 3], _) = match layout.syntax {
        Syntax::Single { prefix, encoding } => ([prefix.as_bytes(), b"", b""], encoding),
        Syntax::Timestamped { encoding, .. } => ([b"t=", ts, b",v1="], encoding),
        Syntax::StandardList => ([b"v1,", b"", b""], crate::encoding::Encoding::Base64),
    };
    let len = scheme::encode_tag(encoding, tag, &mut encoded);
    let [a, b, c] = pieces;
    InlineStr::concat(&[a, b, c, encoded.get(..len).unwrap_or_default()])
}

/// Header text a signer may send: non-empty, already trimmed, no control characters.
/// A value `sign` may write into a header: non-empty, no surrounding
/// whitespace, no control characters, and no longer than the verifier reads
/// ([`MAX_HEADER_LEN`]): what is signed must verify.
fn is_header_text(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_HEADER_LEN
        && trim_ows(text.as_bytes()).len() == text.len()
        && !text.bytes().any(|b| b.is_ascii_control())
}
