//! Property tests: sign then verify is OK for every profile and random
//! inputs; flipping any bit of the body, the signature or the secret fails;
//! `verify` returns a code (never panics) for arbitrary headers and bodies.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hooksig::{Encoding, Error, Profile, Tolerance, Verifier};
use proptest::prelude::*;

/// Every profile that signs deliveries (S2S requests are covered separately),
/// with the encoding of its signature.
fn profiles() -> Vec<(Profile, Encoding)> {
    let custom = |s: &str| Profile::parse(s).unwrap();
    vec![
        (Profile::UnknownPay, Encoding::Hex),
        (Profile::UniPayment, Encoding::Base64),
        (Profile::AkashicPay, Encoding::Hex),
        (Profile::Key2Pay, Encoding::Hex),
        (Profile::Stripe, Encoding::Hex),
        (Profile::StandardWebhooks, Encoding::Base64),
        (Profile::GitHub, Encoding::Hex),
        (Profile::Shopify, Encoding::Base64),
        (Profile::Slack, Encoding::Hex),
        (custom("custom;header=X-Signature;prefix=sha256="), Encoding::Hex),
        (custom("custom;header=X-Sig;encoding=base64;format=timestamped;key=base64;id=X-Delivery"), Encoding::Base64),
    ]
}

/// Secrets as the provider displays them: base64 (`whsec_…` for Standard
/// Webhooks) where the profile decodes them, the raw bytes otherwise.
fn displayed_secret(profile: &Profile, key: &[u8]) -> Vec<u8> {
    match profile {
        Profile::StandardWebhooks => format!("whsec_{}", STANDARD.encode(key)).into_bytes(),
        Profile::Custom(c) if c.key() == hooksig::KeyEncoding::Base64 => STANDARD.encode(key).into_bytes(),
        _ => key.to_vec(),
    }
}

/// A JSON object with keys in arbitrary (not sorted) order, for AkashicPay.
fn json_body() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        "[ -~é€😀]{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("1.0".to_owned()),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop::collection::vec(("[a-zé]{0,4}", inner), 0..4).prop_map(|members| object(&members))
    });
    prop::collection::vec(("[a-zA-Z_é]{0,6}", value), 0..6).prop_map(|members| object(&members).into_bytes())
}

fn object(members: &[(String, String)]) -> String {
    let mut seen = std::collections::BTreeSet::new();
    let fields: Vec<String> = members
        .iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).unwrap()))
        .collect();
    format!("{{{}}}", fields.join(","))
}

fn body_for(profile: &Profile) -> BoxedStrategy<Vec<u8>> {
    if *profile == Profile::AkashicPay {
        json_body().boxed()
    } else {
        prop::collection::vec(any::<u8>(), 0..512).boxed()
    }
}

/// One profile with a body suited to it, a key, an id and a timestamp.
fn delivery() -> impl Strategy<Value = (Profile, Encoding, Vec<u8>, Vec<u8>, String, u64)> {
    prop::sample::select(profiles()).prop_flat_map(|(profile, encoding)| {
        (
            Just(profile),
            Just(encoding),
            prop::collection::vec(any::<u8>(), 1..80),
            body_for(&profile),
            "[A-Za-z0-9_:-]{1,32}",
            0u64..=999_999_999_999,
        )
    })
}

type Headers = Vec<(String, String)>;

fn sign(profile: &Profile, key: &[u8], body: &[u8], id: &str, ts: u64) -> Headers {
    let id = profile.id_header().map(|_| id);
    let options = hooksig::SignOptions { timestamp: Some(ts), id, ..Default::default() };
    hooksig::sign(profile, &displayed_secret(profile, key), body, options)
        .unwrap()
        .iter()
        .map(|h| (h.name().to_owned(), h.value().to_owned()))
        .collect()
}

fn verify(profile: &Profile, key: &[u8], headers: &Headers, body: &[u8], now: u64) -> Result<usize, Error> {
    Verifier::new(*profile, &[displayed_secret(profile, key)])?.verify(headers, body, now).map(|v| v.secret_index)
}

/// Replaces the signature in the longest header value (the signature
/// header) with `f` applied to its decoded bytes.
fn with_signature(headers: &Headers, encoding: Encoding, f: impl FnOnce(&mut [u8; 32])) -> Headers {
    let mut headers = headers.clone();
    let value = &mut headers.iter_mut().max_by_key(|(_, v)| v.len()).unwrap().1;
    let width = if encoding == Encoding::Hex { 64 } else { 44 };
    let (head, tail) = value.split_at(value.len() - width);
    let mut tag = encoding.decode(tail.as_bytes()).expect("a signature at the end");
    f(&mut tag);
    let tail = if encoding == Encoding::Hex { hex::encode(tag) } else { STANDARD.encode(tag) };
    *value = format!("{head}{tail}");
    headers
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sign_then_verify_is_ok((profile, _, key, body, id, ts) in delivery()) {
        let headers = sign(&profile, &key, &body, &id, ts);
        let verified = Verifier::new(profile, &[displayed_secret(&profile, &key)]).unwrap();
        let verified = verified.verify(&headers, &body, ts).unwrap();
        prop_assert_eq!(verified.secret_index, 0);
        prop_assert_eq!(verified.timestamp, profile.has_timestamp().then_some(ts));
        prop_assert_eq!(verified.id, profile.id_header().map(|_| id.as_str()));
        prop_assert_eq!(verified.scheme, profile.name());
    }

    #[test]
    fn any_flipped_body_bit_fails((profile, _, key, body, id, ts) in delivery(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        prop_assume!(!body.is_empty());
        let headers = sign(&profile, &key, &body, &id, ts);
        let mut tampered = body.clone();
        tampered[at.index(body.len())] ^= 1 << bit;
        let result = verify(&profile, &key, &headers, &tampered, ts);
        prop_assert!(matches!(result, Err(Error::SignatureMismatch | Error::MalformedBody)), "{:?}", result);
    }

    #[test]
    fn any_flipped_signature_bit_fails((profile, encoding, key, body, id, ts) in delivery(), at in 0usize..32, bit in 0u8..8) {
        let headers = sign(&profile, &key, &body, &id, ts);
        let tampered = with_signature(&headers, encoding, |tag| tag[at] ^= 1 << bit);
        prop_assert_eq!(verify(&profile, &key, &tampered, &body, ts), Err(Error::SignatureMismatch));
        // The untouched round trip through the same re-encoding still verifies.
        let same = with_signature(&headers, encoding, |_| {});
        prop_assert_eq!(verify(&profile, &key, &same, &body, ts), Ok(0));
    }

    #[test]
    fn any_flipped_secret_bit_fails((profile, _, key, body, id, ts) in delivery(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let headers = sign(&profile, &key, &body, &id, ts);
        let mut other = key.clone();
        other[at.index(key.len())] ^= 1 << bit;
        prop_assert_eq!(verify(&profile, &other, &headers, &body, ts), Err(Error::SignatureMismatch));
    }

    #[test]
    fn rotation_reports_the_matching_secret((profile, _, key, body, id, ts) in delivery(), others in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..40), 0..7)) {
        prop_assume!(others.iter().all(|o| o != &key));
        let headers = sign(&profile, &key, &body, &id, ts);
        let mut secrets: Vec<Vec<u8>> = others.iter().map(|o| displayed_secret(&profile, o)).collect();
        secrets.push(displayed_secret(&profile, &key));
        let verifier = Verifier::new(profile, &secrets).unwrap();
        prop_assert_eq!(verifier.verify(&headers, &body, ts).map(|v| v.secret_index), Ok(others.len()));
    }

    #[test]
    fn request_signing_round_trips(
        key in "[0-9a-f]{64}",
        method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH"]),
        path in "/[a-z0-9/_-]{0,30}(\\?[a-z=&0-9%]{0,20})?",
        body in prop::collection::vec(any::<u8>(), 0..256),
        ts in 0u64..=999_999_999_999,
    ) {
        let line = hooksig::RequestLine::new(method, &path).unwrap();
        let options = hooksig::SignOptions { timestamp: Some(ts), request: Some(line), key_id: Some("unk_test_k"), ..Default::default() };
        let headers: Headers = hooksig::sign(&Profile::UnknownPayS2s, key.as_bytes(), &body, options)
            .unwrap().iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect();
        let verifier = Verifier::new(Profile::UnknownPayS2s, &[&key]).unwrap();
        let verified = verifier.verify_request(&headers, &body, Some(line), ts).unwrap();
        prop_assert_eq!(verified.timestamp, Some(ts));
        let other_path = format!("{path}x");
        let other = hooksig::RequestLine::new(method, &other_path).ok();
        prop_assert_eq!(verifier.verify_request(&headers, &body, other, ts).err(), Some(Error::SignatureMismatch));
    }

    #[test]
    fn verify_never_panics_on_arbitrary_input(
        profile in prop::sample::select(profiles().into_iter().map(|(p, _)| p).chain([Profile::UnknownPayS2s]).collect::<Vec<_>>()),
        headers in prop::collection::vec((header_name(), header_value()), 0..6),
        body in prop::collection::vec(any::<u8>(), 0..256),
        now in any::<u64>(),
        tolerance in prop_oneof![Just(Tolerance::Disabled), (any::<u64>(), any::<u64>()).prop_map(|(past, future)| Tolerance::Window { past, future })],
    ) {
        let verifier = Verifier::new(profile, &[&displayed_secret(&profile, b"k")]).unwrap().with_tolerance(tolerance);
        let result = verifier.verify_request(&headers, &body, hooksig::RequestLine::new("POST", "/").ok(), now);
        let code = result.map_or_else(|e| e.code(), |_| "OK");
        prop_assert!(code == "OK" || Error::from_code(code).is_some());
    }
}

fn header_name() -> impl Strategy<Value = Vec<u8>> {
    let known = [
        "X-Webhook-Signature",
        "X-Signature",
        "X-Timestamp",
        "X-Api-Key",
        "hmac_signature",
        "Signature",
        "X-Key2Pay-Signature",
        "Stripe-Signature",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "svix-id",
        "svix-timestamp",
        "svix-signature",
        "HTTP_X_HUB_SIGNATURE_256",
        "X-Shopify-Hmac-Sha256",
        "X-Slack-Signature",
        "X-Slack-Request-Timestamp",
        "X-Sig",
        "X-Delivery",
        "X-Webhook-Event-Id",
    ];
    prop_oneof![
        prop::sample::select(known.to_vec()).prop_map(|n| n.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..24),
    ]
}

fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..96),
        "(t=[0-9 +-]{0,14}|v[01a]=[0-9a-fA-F]{62,66}|v1,[A-Za-z0-9+/=_-]{40,46}|sha256=[0-9a-f]{64}|v0=[0-9a-z]{64}|[, ]){0,8}"
            .prop_map(String::into_bytes),
        prop::collection::vec(prop::sample::select(vec![b',', b'=', b't', b'v', b'1', b'0', b' ']), 0..64),
    ]
}
