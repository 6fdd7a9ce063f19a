//! What each profile reads and MACs: the one table that both `verify` and
//! `sign` follow, so the two can never disagree.

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::encoding::{self, Encoding};
use crate::mac::{MacKey, TAG_LEN, Tag};
use crate::profile::{Format, KeyEncoding, Profile};

/// How the signature header's value is written.
#[derive(Copy, Clone, Debug)]
pub(crate) enum Syntax<'p> {
    /// One signature after an exact prefix (possibly empty).
    Single { prefix: &'p str, encoding: Encoding },
    /// `t=<ts>,v1=<sig>…`; `v0` entries count only when `v0_counts`.
    Timestamped { encoding: Encoding, v0_counts: bool },
    /// Space-separated `v1,<base64>` entries (Standard Webhooks).
    StandardList,
}

/// Which bytes are MACed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Signed {
    /// The raw body.
    Body,
    /// The body's canonical JSON (AkashicPay).
    CanonicalJson,
    /// `t "." body` (Stripe, Key2Pay, custom timestamped).
    TimestampDotBody,
    /// `id "." ts "." body` (Standard Webhooks).
    IdDotTimestampDotBody,
    /// `"v0:" ts ":" body` (Slack).
    SlackBasestring,
    /// `METHOD "\n" path_and_query "\n" ts "\n" hex(sha256(body))` (UnknownPay S2S).
    RequestLine,
}

/// The headers a profile reads (and a signer writes).
#[derive(Copy, Clone, Debug)]
pub(crate) struct Layout<'p> {
    pub(crate) signature: &'p str,
    pub(crate) syntax: Syntax<'p>,
    /// A separate timestamp header.
    pub(crate) timestamp: Option<&'p str>,
    /// The delivery-id header, reported on success.
    pub(crate) id: Option<&'p str>,
    /// Whether the id header must be present (it is MACed).
    pub(crate) id_required: bool,
    /// An API-key header that must be present but is not MACed (UnknownPay S2S).
    pub(crate) api_key: Option<&'p str>,
    pub(crate) signed: Signed,
}

impl<'p> Layout<'p> {
    pub(crate) fn of(profile: &'p Profile) -> Layout<'p> {
        let plain = |signature, prefix, encoding, id| Layout {
            signature,
            syntax: Syntax::Single { prefix, encoding },
            timestamp: None,
            id,
            id_required: false,
            api_key: None,
            signed: Signed::Body,
        };
        match profile {
            Profile::UnknownPay => plain("X-Webhook-Signature", "", Encoding::Hex, Some("X-Webhook-Event-Id")),
            Profile::UniPayment => plain("hmac_signature", "", Encoding::Base64, None),
            Profile::AkashicPay => {
                Layout { signed: Signed::CanonicalJson, ..plain("Signature", "", Encoding::Hex, None) }
            }
            Profile::GitHub => plain("X-Hub-Signature-256", "sha256=", Encoding::Hex, Some("X-GitHub-Delivery")),
            Profile::Shopify => plain("X-Shopify-Hmac-Sha256", "", Encoding::Base64, Some("X-Shopify-Webhook-Id")),
            Profile::Slack => Layout {
                timestamp: Some("X-Slack-Request-Timestamp"),
                signed: Signed::SlackBasestring,
                ..plain("X-Slack-Signature", "v0=", Encoding::Hex, None)
            },
            Profile::UnknownPayS2s => Layout {
                timestamp: Some("X-Timestamp"),
                api_key: Some("X-Api-Key"),
                signed: Signed::RequestLine,
                ..plain("X-Signature", "", Encoding::Hex, Some("Idempotency-Key"))
            },
            Profile::Key2Pay => Layout {
                syntax: Syntax::Timestamped { encoding: Encoding::Hex, v0_counts: true },
                signed: Signed::TimestampDotBody,
                ..plain("X-Key2Pay-Signature", "", Encoding::Hex, Some("X-Key2Pay-Delivery"))
            },
            Profile::Stripe => Layout {
                syntax: Syntax::Timestamped { encoding: Encoding::Hex, v0_counts: false },
                signed: Signed::TimestampDotBody,
                ..plain("Stripe-Signature", "", Encoding::Hex, None)
            },
            Profile::StandardWebhooks => STANDARD_WEBHOOKS,
            Profile::Custom(custom) => {
                let id = custom.id.as_ref().map(|id| id.as_str());
                let base = plain(custom.header.as_str(), custom.prefix.as_str(), custom.encoding, id);
                match custom.format {
                    Format::Raw => base,
                    Format::Timestamped => Layout {
                        syntax: Syntax::Timestamped { encoding: custom.encoding, v0_counts: false },
                        signed: Signed::TimestampDotBody,
                        ..base
                    },
                }
            }
        }
    }

    /// Every header name this layout reads.
    pub(crate) fn names(&self) -> [Option<&'p str>; 4] {
        [Some(self.signature), self.timestamp, self.id, self.api_key]
    }
}

/// Standard Webhooks' own header names.
pub(crate) const STANDARD_WEBHOOKS: Layout<'static> = Layout {
    signature: "webhook-signature",
    syntax: Syntax::StandardList,
    timestamp: Some("webhook-timestamp"),
    id: Some("webhook-id"),
    id_required: true,
    api_key: None,
    signed: Signed::IdDotTimestampDotBody,
};

/// The same scheme under Svix's names; used when `webhook-signature` is absent.
pub(crate) const SVIX: Layout<'static> =
    Layout { signature: "svix-signature", timestamp: Some("svix-timestamp"), id: Some("svix-id"), ..STANDARD_WEBHOOKS };

/// The bytes to MAC, as borrowed pieces (no copy of the body).
#[derive(Copy, Clone, Debug)]
pub(crate) struct Message<'m> {
    pub(crate) signed: Signed,
    pub(crate) body: &'m [u8],
    pub(crate) timestamp: &'m [u8],
    pub(crate) id: &'m [u8],
    pub(crate) method: &'m [u8],
    pub(crate) path_and_query: &'m [u8],
    /// `hex(sha256(body))`, for [`Signed::RequestLine`] only.
    pub(crate) body_sha256: &'m [u8],
}

impl Message<'_> {
    pub(crate) fn mac(&self, key: &MacKey) -> Tag {
        let Message { body, timestamp, id, method, path_and_query, body_sha256, .. } = *self;
        match self.signed {
            Signed::Body | Signed::CanonicalJson => key.mac(&[body]),
            Signed::TimestampDotBody => key.mac(&[timestamp, b".", body]),
            Signed::IdDotTimestampDotBody => key.mac(&[id, b".", timestamp, b".", body]),
            Signed::SlackBasestring => key.mac(&[b"v0:", timestamp, b":", body]),
            Signed::RequestLine => key.mac(&[method, b"\n", path_and_query, b"\n", timestamp, b"\n", body_sha256]),
        }
    }
}

/// The bytes that stand for the body in the MAC: the body itself, or for
/// AkashicPay its canonical JSON (which needs the `alloc` feature).
pub(crate) enum BodyBytes<'b> {
    Raw(&'b [u8]),
    #[cfg(feature = "alloc")]
    Canonical(alloc::vec::Vec<u8>),
}

impl BodyBytes<'_> {
    /// `MALFORMED_BODY` if AkashicPay's body is not strict JSON;
    /// `INVALID_ARGUMENT` for AkashicPay without the `alloc` feature.
    pub(crate) fn of(signed: Signed, body: &[u8]) -> Result<BodyBytes<'_>, Error> {
        match signed {
            #[cfg(feature = "alloc")]
            Signed::CanonicalJson => crate::canonical_json::canonical_json(body).map(BodyBytes::Canonical),
            #[cfg(not(feature = "alloc"))]
            Signed::CanonicalJson => Err(Error::InvalidArgument),
            _ => Ok(BodyBytes::Raw(body)),
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            BodyBytes::Raw(body) => body,
            #[cfg(feature = "alloc")]
            BodyBytes::Canonical(bytes) => bytes,
        }
    }
}

/// Most bytes a base64-encoded secret may decode to.
pub const MAX_DECODED_SECRET_LEN: usize = 1024;

/// The prefix Standard Webhooks secrets are displayed with (`whsec_…`).
pub(crate) const SECRET_PREFIX: &[u8] = b"whsec_";

/// True if the profile base64-decodes its secrets: Standard Webhooks (after
/// an optional `whsec_`) and custom profiles with `key=base64`.
pub(crate) fn secret_is_base64(profile: &Profile) -> bool {
    match profile {
        Profile::StandardWebhooks => true,
        Profile::Custom(custom) => custom.key == KeyEncoding::Base64,
        _ => false,
    }
}

/// A secret's key bytes under `profile` (decoded into `buf` when the
/// profile base64-decodes secrets): the one derivation rule, which
/// [`derive_key`] and `explain` follow.
///
/// # Errors
/// `INVALID_SECRET` for a secret that does not decode.
pub(crate) fn key_bytes<'s>(
    profile: &Profile,
    secret: &'s [u8],
    buf: &'s mut [u8; MAX_DECODED_SECRET_LEN],
) -> Result<&'s [u8], Error> {
    if !secret_is_base64(profile) {
        return Ok(secret);
    }
    let encoded = match profile {
        Profile::StandardWebhooks => secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret),
        _ => secret,
    };
    let len = encoding::decode_base64_secret(encoded, buf).ok_or(Error::InvalidSecret)?;
    buf.get(..len).ok_or(Error::InvalidSecret)
}

/// Turns a secret, as the provider displays it, into precomputed key state.
///
/// Raw UTF-8 for every profile except Standard Webhooks (strip an optional
/// `whsec_`, then base64-decode) and custom profiles with `key=base64`.
/// Empty, undecodable, or empty-after-decoding is `INVALID_SECRET`.
pub(crate) fn derive_key(profile: &Profile, secret: &[u8]) -> Result<MacKey, Error> {
    if !secret_is_base64(profile) {
        return MacKey::new(secret);
    }
    // Decoded in place, never moved: the one copy is the one wiped on drop.
    let mut decoded = DecodedSecret::EMPTY;
    MacKey::new(key_bytes(profile, secret, &mut decoded.bytes)?)
}

/// A base64-decoded secret, overwritten with zeros when dropped (once its
/// HMAC key state is built, or on an error).
pub(crate) struct DecodedSecret {
    pub(crate) bytes: [u8; MAX_DECODED_SECRET_LEN],
}

impl DecodedSecret {
    /// An all-zero buffer for [`key_bytes`] to decode into.
    pub(crate) const EMPTY: DecodedSecret = DecodedSecret { bytes: [0; MAX_DECODED_SECRET_LEN] };
}

impl Zeroize for DecodedSecret {
    fn zeroize(&mut self) {
        self.bytes.zeroize();
    }
}

impl Drop for DecodedSecret {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for DecodedSecret {}

/// Writes a tag in the layout's signature syntax.
pub(crate) fn encode_tag(encoding: Encoding, tag: &[u8; TAG_LEN], out: &mut [u8; 2 * TAG_LEN]) -> usize {
    match encoding {
        Encoding::Hex => {
            *out = encoding::encode_hex(tag);
            2 * TAG_LEN
        }
        Encoding::Base64 => {
            let b64 = encoding::encode_base64_tag(tag);
            if let Some(head) = out.get_mut(..b64.len()) {
                head.copy_from_slice(&b64);
            }
            b64.len()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Drop` runs on a decoded secret clears its bytes and length.
    #[test]
    fn zeroize_clears_a_decoded_secret() -> Result<(), Error> {
        let mut secret = DecodedSecret::EMPTY;
        let key = key_bytes(&Profile::StandardWebhooks, b"whsec_c2VjcmV0LWtleQ==", &mut secret.bytes)?.to_vec();
        assert_eq!(key, b"secret-key");
        assert_eq!(secret.bytes.get(..10), Some(&b"secret-key"[..]));
        secret.zeroize();
        assert_eq!(secret.bytes, [0; MAX_DECODED_SECRET_LEN]);
        Ok(())
    }

    #[test]
    fn decoded_secrets_are_wiped_on_drop() {
        fn wiped_on_drop<T: ZeroizeOnDrop>() {}
        wiped_on_drop::<DecodedSecret>();
    }
}
