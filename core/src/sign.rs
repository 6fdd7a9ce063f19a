//! Signing: the headers a sender (a provider, a test, the CLI, a merchant
//! calling UnknownPay's API) would send. Follows the same layout table as
//! verification, so whatever `sign` produces, `verify` accepts.

use core::fmt::{self, Write as _};

use crate::Error;
use crate::headers::{MAX_HEADER_LEN, trim_ows};
use crate::mac::TAG_LEN;
use crate::parse::MAX_TIMESTAMP_DIGITS;
use crate::profile::{InlineStr, Profile};
use crate::scheme::{self, BodyBytes, Layout, Message, Syntax};
use crate::verifier::check_request_line;

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

/// The headers produced by [`sign`] or [`sign_request`], in sending order
/// (at most three).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SignedHeaders<'a> {
    headers: [Option<Header<'a>>; 3],
}

impl<'a> SignedHeaders<'a> {
    fn new() -> Self {
        SignedHeaders { headers: [None; 3] }
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

/// Signs a webhook delivery the way `profile`'s provider does.
///
/// `timestamp` (Unix seconds) is required by schemes that carry one and
/// ignored by the others. `id` becomes the delivery-id header (required by
/// Standard Webhooks, whose MAC covers it; optional where the scheme has one).
///
/// # Errors
/// [`Error::InvalidSecret`] for an empty or undecodable secret;
/// [`Error::MalformedBody`] for an AkashicPay body that is not JSON;
/// [`Error::InvalidArgument`] for `unknownpay-s2s` (use [`sign_request`]), a
/// missing or over-12-digit timestamp, a missing id for Standard Webhooks, an
/// id for a scheme without an id header, or an id with control characters or
/// longer than [`MAX_HEADER_LEN`] (a verifier would reject it).
pub fn sign<'a>(
    profile: &'a Profile,
    secret: &[u8],
    body: &[u8],
    timestamp: Option<u64>,
    id: Option<&'a str>,
) -> Result<SignedHeaders<'a>, Error> {
    if profile.signs_request() {
        return Err(Error::InvalidArgument);
    }
    let layout = Layout::of(profile);
    let timestamp = if profile.has_timestamp() { Some(timestamp_text(timestamp)?) } else { None };
    if let Some(id) = id {
        if layout.id.is_none() || !is_header_text(id) {
            return Err(Error::InvalidArgument);
        }
    } else if layout.id_required {
        return Err(Error::InvalidArgument);
    }
    let key = scheme::derive_key(profile, secret)?;
    let body = BodyBytes::of(layout.signed, body)?;

    let ts_bytes = timestamp.as_ref().map(|t| t.as_str().as_bytes()).unwrap_or_default();
    let message = Message {
        signed: layout.signed,
        body: body.as_slice(),
        timestamp: ts_bytes,
        id: id.unwrap_or_default().as_bytes(),
        method: b"",
        path_and_query: b"",
        body_sha256: b"",
    };
    let tag = message.mac(&key).to_bytes();
    let signature = signature_text(&layout, &tag, ts_bytes)?;

    let mut out = SignedHeaders::new();
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

/// Signs a server-to-server request the way UnknownPay's API expects:
/// `X-Signature` = hex HMAC of `METHOD\npath_and_query\ntimestamp\nsha256hex(body)`,
/// with `X-Timestamp`, and `X-Api-Key` when `key_id` is given.
///
/// # Errors
/// [`Error::InvalidSecret`] for an empty secret; [`Error::InvalidArgument`]
/// for a bad method or path, an over-12-digit timestamp, or a key id with
/// control characters or longer than [`MAX_HEADER_LEN`].
pub fn sign_request<'a>(
    secret: &[u8],
    method: &str,
    path_and_query: &str,
    body: &[u8],
    timestamp: u64,
    key_id: Option<&'a str>,
) -> Result<SignedHeaders<'a>, Error> {
    check_request_line(method, path_and_query)?;
    if key_id.is_some_and(|k| !is_header_text(k)) {
        return Err(Error::InvalidArgument);
    }
    static PROFILE: Profile = Profile::UnknownPayS2s;
    let profile = &PROFILE;
    let layout = Layout::of(profile);
    let ts = timestamp_text(Some(timestamp))?;
    let key = scheme::derive_key(profile, secret)?;
    let body_sha256 = crate::mac::sha256_hex(body);
    let message = Message {
        signed: layout.signed,
        body,
        timestamp: ts.as_str().as_bytes(),
        id: b"",
        method: method.as_bytes(),
        path_and_query: path_and_query.as_bytes(),
        body_sha256: &body_sha256,
    };
    let tag = message.mac(&key).to_bytes();
    let signature = signature_text(&layout, &tag, b"")?;
    let mut out = SignedHeaders::new();
    if let (Some(name), Some(key_id)) = (layout.api_key, key_id) {
        out.push(name, Text::Borrowed(key_id));
    }
    out.push("X-Timestamp", Text::Inline(ts));
    out.push(layout.signature, Text::Inline(signature));
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
