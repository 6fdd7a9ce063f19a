//! Decoding received signatures and encoding sent ones: hex and base64.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::mac::TAG_LEN;

/// How a scheme writes its 32-byte MAC as text.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// 64 hex digits; either case is accepted, lowercase is sent.
    Hex,
    /// Standard base64 (RFC 4648 §4 alphabet); padding optional on input,
    /// always sent.
    Base64,
}

impl Encoding {
    /// Decodes one signature. `None` means "not a candidate": wrong length,
    /// wrong alphabet, or not exactly 32 bytes.
    #[must_use]
    pub fn decode(self, text: &[u8]) -> Option<[u8; TAG_LEN]> {
        match self {
            Encoding::Hex => decode_hex(text),
            Encoding::Base64 => decode_base64_tag(text),
        }
    }
}

/// Standard alphabet, padding optional, non-canonical trailing bits rejected.
pub(crate) const BASE64_LENIENT_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_encode_padding(true).with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A hex digit's value (either case), or `INVALID`.
const fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => INVALID,
    }
}
const INVALID: u8 = 0x10;

/// `hex_value` of every byte, computed at compile time: decoding a digit is
/// one table load.
#[allow(clippy::indexing_slicing, reason = "evaluated at compile time: an out-of-range index fails the build")]
const HEX_VALUES: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = hex_value(byte as u8);
        byte += 1;
    }
    table
};

/// One table load per digit, errors folded into one check at the end: a
/// third of the time the `hex` crate's per-digit `Result` takes, which
/// matters at small bodies where the decode is a tenth of a verify. (The
/// signature is the attacker's own input, so this need not be constant
/// time; the MAC comparison is.)
fn decode_hex(text: &[u8]) -> Option<[u8; TAG_LEN]> {
    if text.len() != 2 * TAG_LEN {
        return None;
    }
    let mut out = [0u8; TAG_LEN];
    let mut invalid = 0u8;
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let (high, low) = match pair {
            [high, low] => (digit(*high), digit(*low)),
            _ => (INVALID, INVALID),
        };
        invalid |= high | low;
        *byte = (high << 4) | low;
    }
    if invalid & INVALID == 0 { Some(out) } else { None }
}

fn digit(byte: u8) -> u8 {
    HEX_VALUES.get(usize::from(byte)).copied().unwrap_or(INVALID)
}

fn decode_base64_tag(text: &[u8]) -> Option<[u8; TAG_LEN]> {
    // 32 bytes are 43 characters unpadded or 44 padded; anything longer is
    // not a candidate, which also bounds the work done here.
    if !(43..=44).contains(&text.len()) {
        return None;
    }
    let mut buf = [0u8; 36];
    let n = BASE64_LENIENT_PADDING.decode_slice(text, &mut buf).ok()?;
    let bytes = buf.get(..n)?;
    bytes.try_into().ok()
}

/// Decodes a base64 secret into `out`, returning the decoded length.
pub(crate) fn decode_base64_secret(text: &[u8], out: &mut [u8]) -> Option<usize> {
    BASE64_LENIENT_PADDING.decode_slice(text, out).ok()
}

/// Lowercase hex of a tag: always 64 bytes.
pub(crate) fn encode_hex(tag: &[u8; TAG_LEN]) -> [u8; 2 * TAG_LEN] {
    let mut out = [0u8; 2 * TAG_LEN];
    // The output is exactly twice the input, so this cannot fail.
    let _ = hex::encode_to_slice(tag, &mut out);
    out
}

/// Padded standard base64 of a tag: always 44 bytes.
pub(crate) fn encode_base64_tag(tag: &[u8; TAG_LEN]) -> [u8; 44] {
    let mut out = [0u8; 44];
    // 32 bytes always encode to exactly 44 characters, so this cannot fail.
    let _ = BASE64_LENIENT_PADDING.encode_slice(tag, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_decoding_agrees_with_the_hex_crate_on_every_digit_pair() {
        // Every byte value in both positions of the first pair, the rest valid:
        // the table-free decoder must accept and reject exactly what `hex` does.
        let tail = [b'a'; 2 * TAG_LEN - 2];
        for high in 0..=u8::MAX {
            for low in 0..=u8::MAX {
                let mut text = [0u8; 2 * TAG_LEN];
                text[0] = high;
                text[1] = low;
                text[2..].copy_from_slice(&tail);
                let mut expected = [0u8; TAG_LEN];
                let ok = hex::decode_to_slice(text, &mut expected).is_ok();
                let got = Encoding::Hex.decode(&text);
                assert_eq!(got.is_some(), ok, "{high:#x} {low:#x}");
                assert!(got.is_none_or(|g| bool::from(subtle::ConstantTimeEq::ct_eq(&g[..], &expected[..]))));
            }
        }
        assert!(Encoding::Hex.decode(&[b'a'; 63]).is_none());
        assert!(Encoding::Hex.decode(&[b'a'; 65]).is_none());
    }
}
