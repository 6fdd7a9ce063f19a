//! The signature-header parsers against the reference parsers in
//! `hooksig_fuzz::reference`: the same verdict, the same `t` text and the
//! same candidates in the same order, for every syntax and encoding.
//!
//! Input: one header value (the whole input).
#![no_main]

use hooksig::{__fuzz, Encoding, header_name_matches};
use hooksig_fuzz::reference;
use libfuzzer_sys::fuzz_target;

fn same(got: Result<__fuzz::Parsed<'_>, hooksig::Error>, want: Option<reference::Parsed>, what: &str) {
    match (got, want) {
        (Err(e), None) => assert_eq!(e.code(), "MALFORMED_HEADER", "{what}"),
        (Ok(p), Some((t, candidates))) => {
            assert_eq!(p.t_text, t.as_deref(), "{what}: t");
            assert_eq!(p.candidates(), &candidates[..], "{what}: candidates");
        }
        (got, want) => panic!("{what}: core {got:?}, reference {want:?}"),
    }
}

const NAMES: [&str; 6] = ["X-Hub-Signature-256", "webhook-id", "Stripe-Signature", "hmac_signature", "Signature", "a"];

fuzz_target!(|value: &[u8]| {
    assert_eq!(__fuzz::timestamp(value).ok(), reference::timestamp(value), "timestamp");
    for (encoding, hex) in [(Encoding::Hex, true), (Encoding::Base64, false)] {
        let want = if hex { reference::decode_hex(value) } else { reference::decode_base64(value) };
        assert_eq!(encoding.decode(value), want, "decode {encoding:?}");
        for v0 in [false, true] {
            let what = format!("timestamped {encoding:?} v0={v0}");
            same(__fuzz::timestamped(value, encoding, v0), reference::timestamped(value, hex, v0), &what);
        }
        for prefix in ["", "sha256=", "v0="] {
            let what = format!("single {encoding:?} {prefix:?}");
            same(Ok(__fuzz::single(value, prefix, encoding)), Some(reference::single(value, prefix, hex)), &what);
        }
    }
    same(__fuzz::standard_list(value), reference::standard_list(value), "standard list");
    for name in NAMES {
        assert_eq!(header_name_matches(value, name), reference::header_name_matches(value, name), "name {name}");
    }
});
