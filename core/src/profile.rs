//! Profiles: which headers a provider sends, what bytes it MACs, how it
//! encodes the MAC and how its secret becomes key bytes.
//!
//! Profile names are the same strings in every language:
//! `unknownpay`, `unknownpay-s2s`, `unipayment`, `akashicpay`, `key2pay`,
//! `stripe`, `standard-webhooks` (alias `svix`), `github`, `shopify`, `slack`,
//! and custom profiles written
//! `custom;header=NAME[;prefix=P][;encoding=hex|base64][;format=raw|timestamped][;key=utf8|base64][;id=NAME]`.

use core::fmt;
use core::str::FromStr;

use crate::Error;
use crate::encoding::Encoding;

/// A signature scheme: one of the built-in providers, or a custom one.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// UnknownPay webhooks: `X-Webhook-Signature`, hex of the raw body.
    UnknownPay,
    /// UnknownPay server-to-server requests: `X-Api-Key`, `X-Timestamp`,
    /// `X-Signature` over `METHOD\npath?query\nts\nsha256hex(body)`.
    UnknownPayS2s,
    /// UniPayment IPN: `hmac_signature` (or `hmac-signature`), base64 of the raw body.
    UniPayment,
    /// AkashicPay callbacks: `Signature`, hex over the body's canonical JSON
    /// (keys sorted recursively, compact). Needs the `alloc` feature.
    AkashicPay,
    /// Key2Pay: `X-Key2Pay-Signature: t=…,v1=…[,v0=…]`; `v0` is the old
    /// secret's signature during a rotation and counts.
    Key2Pay,
    /// Stripe: `Stripe-Signature: t=…,v1=…`; `v0` (test-mode fake) never counts.
    Stripe,
    /// Standard Webhooks and Svix: `webhook-id`/`-timestamp`/`-signature` (or
    /// `svix-*`), `v1,<base64>` list, key = base64-decoded `whsec_…`.
    StandardWebhooks,
    /// GitHub: `X-Hub-Signature-256: sha256=<hex>`.
    GitHub,
    /// Shopify: `X-Shopify-Hmac-Sha256`, base64 of the raw body.
    Shopify,
    /// Slack: `X-Slack-Signature: v0=<hex>` over `v0:ts:body`, with
    /// `X-Slack-Request-Timestamp`.
    Slack,
    /// Any other provider that MACs the raw body (or `t.body`) with HMAC-SHA256.
    Custom(CustomProfile),
}

impl Profile {
    /// The built-in profiles, in documentation order.
    pub const BUILTIN: [Profile; 10] = [
        Profile::UnknownPay,
        Profile::UnknownPayS2s,
        Profile::UniPayment,
        Profile::AkashicPay,
        Profile::Key2Pay,
        Profile::Stripe,
        Profile::StandardWebhooks,
        Profile::GitHub,
        Profile::Shopify,
        Profile::Slack,
    ];

    /// Parses a profile name (or a `custom;…` description).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an unknown name or a bad custom description.
    pub fn parse(name: &str) -> Result<Profile, Error> {
        Ok(match name {
            "unknownpay" => Profile::UnknownPay,
            "unknownpay-s2s" => Profile::UnknownPayS2s,
            "unipayment" => Profile::UniPayment,
            "akashicpay" => Profile::AkashicPay,
            "key2pay" => Profile::Key2Pay,
            "stripe" => Profile::Stripe,
            "standard-webhooks" | "svix" => Profile::StandardWebhooks,
            "github" => Profile::GitHub,
            "shopify" => Profile::Shopify,
            "slack" => Profile::Slack,
            _ => Profile::Custom(CustomProfile::parse(name)?),
        })
    }

    /// The canonical name (`"custom"` for custom profiles); this is the
    /// `scheme` of a successful verification.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Profile::UnknownPay => "unknownpay",
            Profile::UnknownPayS2s => "unknownpay-s2s",
            Profile::UniPayment => "unipayment",
            Profile::AkashicPay => "akashicpay",
            Profile::Key2Pay => "key2pay",
            Profile::Stripe => "stripe",
            Profile::StandardWebhooks => "standard-webhooks",
            Profile::GitHub => "github",
            Profile::Shopify => "shopify",
            Profile::Slack => "slack",
            Profile::Custom(_) => "custom",
        }
    }

    /// True if the scheme carries a timestamp (so signing needs one and the
    /// tolerance window applies).
    #[must_use]
    pub const fn has_timestamp(&self) -> bool {
        match self {
            Profile::UnknownPayS2s
            | Profile::Key2Pay
            | Profile::Stripe
            | Profile::StandardWebhooks
            | Profile::Slack => true,
            Profile::Custom(c) => matches!(c.format, Format::Timestamped),
            Profile::UnknownPay | Profile::UniPayment | Profile::AkashicPay | Profile::GitHub | Profile::Shopify => {
                false
            }
        }
    }

    /// True if the MAC covers the request line (`verify_request` /
    /// `sign_request` rather than `verify` / `sign`).
    #[must_use]
    pub const fn signs_request(&self) -> bool {
        matches!(self, Profile::UnknownPayS2s)
    }

    /// The delivery-id header reported as `Verified::id`, if the scheme has one.
    #[must_use]
    pub fn id_header(&self) -> Option<&str> {
        match self {
            Profile::UnknownPay => Some("X-Webhook-Event-Id"),
            Profile::UnknownPayS2s => Some("Idempotency-Key"),
            Profile::Key2Pay => Some("X-Key2Pay-Delivery"),
            Profile::StandardWebhooks => Some("webhook-id"),
            Profile::GitHub => Some("X-GitHub-Delivery"),
            Profile::Shopify => Some("X-Shopify-Webhook-Id"),
            Profile::Custom(c) => c.id.as_ref().map(InlineStr::as_str),
            Profile::UniPayment | Profile::AkashicPay | Profile::Stripe | Profile::Slack => None,
        }
    }
}

impl FromStr for Profile {
    type Err = Error;
    fn from_str(s: &str) -> Result<Profile, Error> {
        Profile::parse(s)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Profile::Custom(c) => fmt::Display::fmt(c, f),
            other => f.write_str(other.name()),
        }
    }
}

/// What a custom profile MACs.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// The raw body; the header holds one signature (after an optional prefix).
    Raw,
    /// `t.body`; the header is `t=<unix seconds>,v1=<sig>[,v1=<sig>…]` (Stripe-like).
    Timestamped,
}

/// How a custom profile's secret becomes key bytes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeyEncoding {
    /// The secret's bytes as given.
    Utf8,
    /// The secret is standard base64 (padding optional); the key is its decoding.
    Base64,
}

/// A provider not built in: any header, optional prefix, hex or base64, raw
/// body or `t=,v1=`. Written as a string
/// `custom;header=NAME[;prefix=P][;encoding=hex|base64][;format=raw|timestamped][;key=utf8|base64][;id=NAME]`
/// (defaults: hex, raw, utf8, no prefix, no id header).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct CustomProfile {
    pub(crate) header: InlineStr<64>,
    pub(crate) prefix: InlineStr<16>,
    pub(crate) encoding: Encoding,
    pub(crate) format: Format,
    pub(crate) key: KeyEncoding,
    pub(crate) id: Option<InlineStr<64>>,
}

impl CustomProfile {
    /// Parses `custom;header=…;…`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the string does not start with `custom`, a
    /// parameter is unknown, repeated or has a bad value, `header` is missing,
    /// or a prefix is combined with `format=timestamped`.
    pub fn parse(text: &str) -> Result<CustomProfile, Error> {
        let mut params = text.split(';');
        if params.next() != Some("custom") {
            return Err(Error::InvalidArgument);
        }
        let mut header = None;
        let mut prefix = None;
        let mut encoding = None;
        let mut format = None;
        let mut key = None;
        let mut id = None;
        for param in params {
            let (name, value) = param.split_once('=').ok_or(Error::InvalidArgument)?;
            match name {
                "header" => set_once(&mut header, header_name(value)?)?,
                "id" => set_once(&mut id, header_name(value)?)?,
                "prefix" => set_once(&mut prefix, prefix_text(value)?)?,
                "encoding" => set_once(
                    &mut encoding,
                    match value {
                        "hex" => Encoding::Hex,
                        "base64" => Encoding::Base64,
                        _ => return Err(Error::InvalidArgument),
                    },
                )?,
                "format" => set_once(
                    &mut format,
                    match value {
                        "raw" => Format::Raw,
                        "timestamped" => Format::Timestamped,
                        _ => return Err(Error::InvalidArgument),
                    },
                )?,
                "key" => set_once(
                    &mut key,
                    match value {
                        "utf8" => KeyEncoding::Utf8,
                        "base64" => KeyEncoding::Base64,
                        _ => return Err(Error::InvalidArgument),
                    },
                )?,
                _ => return Err(Error::InvalidArgument),
            }
        }
        let format = format.unwrap_or(Format::Raw);
        if format == Format::Timestamped && prefix.is_some() {
            return Err(Error::InvalidArgument);
        }
        // The id header must be another header than the signature: one header
        // cannot carry both (found by fuzz/sign_verify_roundtrip).
        if let (Some(header), Some(id)) = (&header, &id)
            && crate::headers::header_name_matches(id.as_str().as_bytes(), header.as_str())
        {
            return Err(Error::InvalidArgument);
        }
        Ok(CustomProfile {
            header: header.ok_or(Error::InvalidArgument)?,
            prefix: prefix.unwrap_or_default(),
            encoding: encoding.unwrap_or(Encoding::Hex),
            format,
            key: key.unwrap_or(KeyEncoding::Utf8),
            id,
        })
    }

    /// The signature header's name.
    #[must_use]
    pub fn header(&self) -> &str {
        self.header.as_str()
    }

    /// The text before the signature (empty if none).
    #[must_use]
    pub fn prefix(&self) -> &str {
        self.prefix.as_str()
    }

    /// How the signature is encoded.
    #[must_use]
    pub const fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// What is MACed.
    #[must_use]
    pub const fn format(&self) -> Format {
        self.format
    }

    /// How the secret becomes key bytes.
    #[must_use]
    pub const fn key(&self) -> KeyEncoding {
        self.key
    }
}

impl fmt::Display for CustomProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "custom;header={}", self.header.as_str())?;
        if !self.prefix.as_str().is_empty() {
            write!(f, ";prefix={}", self.prefix.as_str())?;
        }
        let encoding = match self.encoding {
            Encoding::Hex => "hex",
            Encoding::Base64 => "base64",
        };
        let format = match self.format {
            Format::Raw => "raw",
            Format::Timestamped => "timestamped",
        };
        let key = match self.key {
            KeyEncoding::Utf8 => "utf8",
            KeyEncoding::Base64 => "base64",
        };
        write!(f, ";encoding={encoding};format={format};key={key}")?;
        if let Some(id) = &self.id {
            write!(f, ";id={}", id.as_str())?;
        }
        Ok(())
    }
}

fn set_once<T>(slot: &mut Option<T>, value: T) -> Result<(), Error> {
    if slot.replace(value).is_some() { Err(Error::InvalidArgument) } else { Ok(()) }
}

/// An HTTP field name (RFC 9110 `token`), 1 to 64 bytes.
fn header_name(value: &str) -> Result<InlineStr<64>, Error> {
    if crate::headers::is_token(value) { InlineStr::new(value) } else { Err(Error::InvalidArgument) }
}

/// A signature prefix such as `sha256=`: 1 to 16 visible ASCII characters.
fn prefix_text(value: &str) -> Result<InlineStr<16>, Error> {
    if value.bytes().all(|b| b.is_ascii_graphic()) { InlineStr::new(value) } else { Err(Error::InvalidArgument) }
}

/// A short string stored inline (no allocation), 1 to `N` bytes.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub(crate) struct InlineStr<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Default for InlineStr<N> {
    fn default() -> Self {
        InlineStr { bytes: [0; N], len: 0 }
    }
}

impl<const N: usize> InlineStr<N> {
    /// Copies `text`; empty or longer than `N` bytes is `INVALID_ARGUMENT`.
    pub(crate) fn new(text: &str) -> Result<Self, Error> {
        let mut out = InlineStr::default();
        out.bytes
            .get_mut(..text.len())
            .filter(|_| !text.is_empty())
            .ok_or(Error::InvalidArgument)?
            .copy_from_slice(text.as_bytes());
        out.len = text.len();
        Ok(out)
    }

    /// Concatenates byte pieces (which must form UTF-8) into one string.
    pub(crate) fn concat(pieces: &[&[u8]]) -> Result<Self, Error> {
        let mut out = InlineStr::default();
        for piece in pieces {
            let end = out.len + piece.len();
            out.bytes.get_mut(out.len..end).ok_or(Error::InvalidArgument)?.copy_from_slice(piece);
            out.len = end;
        }
        core::str::from_utf8(out.bytes.get(..out.len).unwrap_or_default()).map_err(|_| Error::InvalidArgument)?;
        Ok(out)
    }

    pub(crate) fn as_str(&self) -> &str {
        // Built only from `&str` or checked UTF-8 in `concat`.
        core::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

impl<const N: usize> fmt::Debug for InlineStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}
