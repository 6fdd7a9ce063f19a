//! Whatever `sign` accepts, `verify` accepts with the
//! same secret, timestamp and id; and flipping one bit of what the MAC
//! covers (body, tag, timestamp, Standard Webhooks id) or of the key makes
//! it `SIGNATURE_MISMATCH` (AkashicPay: unless the canonical JSON is
//! unchanged).
//!
//! Input (see `make_corpus.py`): flags (u8: bit 0 = send an id, bit 1 =
//! timestamp not reduced to 12 digits), timestamp (u64), mutation selector
//! (u32), then length-prefixed fields: profile string, raw key bytes, body,
//! id, method, path_and_query.
#![no_main]

use hooksig::{KeyEncoding, Profile, RequestLine, SignOptions, Tolerance, Verifier, canonical_json};
use hooksig_fuzz::{Reader, assert_core_code, reference};
use libfuzzer_sys::fuzz_target;

type Headers = Vec<(String, String)>;

/// The secret as the provider would display raw key bytes.
fn displayed_secret(profile: &Profile, key: &[u8]) -> Vec<u8> {
    match profile {
        Profile::StandardWebhooks => format!("whsec_{}", reference::encode_base64(key)).into_bytes(),
        Profile::Custom(c) if c.key() == KeyEncoding::Base64 => reference::encode_base64(key).into_bytes(),
        _ => key.to_vec(),
    }
}

struct Case<'a> {
    profile: Profile,
    line: Option<RequestLine<'a>>,
    now: u64,
}

impl Case<'_> {
    fn verify(&self, key: &[u8], headers: &Headers, body: &[u8], tolerance: Tolerance) -> Result<(), hooksig::Error> {
        let verifier = Verifier::new(self.profile, &[displayed_secret(&self.profile, key)])?.with_tolerance(tolerance);
        verifier.verify_request(headers, body, self.line, self.now).map(|_| ())
    }

    fn must_mismatch(&self, key: &[u8], headers: &Headers, body: &[u8], tolerance: Tolerance, what: &str) {
        let result = self.verify(key, headers, body, tolerance);
        assert_eq!(result.err().map(|e| e.code()), Some("SIGNATURE_MISMATCH"), "{what}");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut r = Reader::new(data);
    let flags = r.u8();
    let ts = if flags & 2 == 0 { r.u64() % 1_000_000_000_000 } else { r.u64() };
    let selector = r.u32() as usize;
    let Some(Ok(profile)) = r.text().map(Profile::parse) else { return };
    let key = r.field().unwrap_or_default();
    let body = r.field().unwrap_or_default();
    let id = r.text().filter(|_| flags & 1 == 1);
    let method = r.text().unwrap_or_default();
    let path = r.text().unwrap_or_default();
    let secret = displayed_secret(&profile, key);

    let line = RequestLine::new(method, path).ok();
    let key_id = profile.signs_request().then_some("key");
    let signed = hooksig::sign(&profile, &secret, body, SignOptions { timestamp: Some(ts), id, request: line, key_id });
    let headers: Headers = match signed {
        Ok(h) => h.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect(),
        Err(e) => {
            assert!(matches!(e.code(), "INVALID_ARGUMENT" | "INVALID_SECRET" | "MALFORMED_BODY"), "{e:?}");
            if e.code() == "MALFORMED_BODY" {
                assert!(profile == Profile::AkashicPay && canonical_json(body).is_err());
            }
            return;
        }
    };

    // 1. The round trip.
    let case = Case { profile, line, now: ts };
    let verifier = Verifier::new(profile, &[&secret]).expect("sign accepted this secret");
    let verified = verifier.verify_request(&headers, body, line, ts);
    let verified = match verified {
        Ok(v) => v,
        Err(e) => panic!("signed delivery rejected: {} {headers:?}", e.code()),
    };
    assert_eq!(verified.secret_index, 0);
    assert_eq!(verified.timestamp, profile.has_timestamp().then_some(ts));
    {
        assert_eq!(verified.id, id);
    }

    // 2. One flipped body bit.
    if !body.is_empty() {
        let mut mutated = body.to_vec();
        let bit = selector % (body.len() * 8);
        mutated[bit / 8] ^= 1 << (bit % 8);
        match case.verify(key, &headers, &mutated, Tolerance::DEFAULT) {
            Ok(()) => assert!(
                profile == Profile::AkashicPay && canonical_json(&mutated).ok() == canonical_json(body).ok(),
                "a flipped body bit still verifies"
            ),
            Err(e) if profile == Profile::AkashicPay => {
                assert!(matches!(e.code(), "SIGNATURE_MISMATCH" | "MALFORMED_BODY"))
            }
            Err(e) => assert_eq!(e.code(), "SIGNATURE_MISMATCH"),
        }
    }

    // 3. One flipped tag bit. The signature header is the one whose value is
    // not the id, the timestamp or the API key; the tag is its encoded tail.
    let ts_text = ts.to_string();
    let others = [id.unwrap_or_default(), ts_text.as_str(), "key"];
    let sig_index = headers.iter().position(|(_, v)| !others.contains(&v.as_str())).expect("a signature header");
    let value = &headers[sig_index].1;
    let (encoded_len, hex) = if value.ends_with('=') { (44, false) } else { (64, true) };
    let (head, encoded) = value.split_at(value.len() - encoded_len);
    let mut tag =
        if hex { reference::decode_hex(encoded.as_bytes()) } else { reference::decode_base64(encoded.as_bytes()) }
            .expect("the signature ends with an encoded tag");
    tag[(selector / 8) % 32] ^= 1 << (selector % 8);
    let reencoded = if hex { reference::encode_hex(&tag) } else { reference::encode_base64(&tag) };
    let mut mutated = headers.clone();
    mutated[sig_index].1 = format!("{head}{reencoded}");
    case.must_mismatch(key, &mutated, body, Tolerance::DEFAULT, "flipped tag bit");

    // 4. The timestamp one second later (window off).
    if profile.has_timestamp() && ts + 1 < 1_000_000_000_000 {
        let (old_t, new_t) = (format!("t={ts},"), format!("t={},", ts + 1));
        let mutated: Headers = headers
            .iter()
            .map(|(n, v)| {
                let v = if *v == ts_text { (ts + 1).to_string() } else { v.replacen(&old_t, &new_t, 1) };
                (n.clone(), v)
            })
            .collect();
        case.must_mismatch(key, &mutated, body, Tolerance::Disabled, "timestamp + 1");
    }

    // 5. A key with one bit flipped.
    if let Some(first) = key.first() {
        let mut other = key.to_vec();
        other[0] = first ^ (1 << (selector % 8));
        case.must_mismatch(&other, &headers, body, Tolerance::DEFAULT, "flipped key bit");
    }

    // 6. Standard Webhooks MACs the id: change it.
    if let (Profile::StandardWebhooks, Some(id)) = (profile, id) {
        let mutated: Headers = headers
            .iter()
            .map(|(n, v)| (n.clone(), if n == "webhook-id" { format!("{id}x") } else { v.clone() }))
            .collect();
        case.must_mismatch(key, &mutated, body, Tolerance::DEFAULT, "changed id");
    }

    let _ = assert_core_code;
});
