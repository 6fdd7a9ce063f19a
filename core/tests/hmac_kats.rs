//! The MAC primitive against Project Wycheproof and RFC 4231: full 32-byte
//! tags verify exactly as the files say; truncated 16-byte tags are always
//! rejected, because no webhook scheme sends a truncated MAC.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use hooksig::{Error, MacKey, TAG_LEN};
use serde_json::Value;
use subtle::ConstantTimeEq;

/// True if `tag` is a prefix of the MAC (compared in constant time).
fn is_prefix_of_mac(key: &MacKey, msg: &[u8], tag: &[u8]) -> bool {
    let full = key.mac(&[msg]).to_bytes();
    full.get(..tag.len()).is_some_and(|head| bool::from(head.ct_eq(tag)))
}

#[test]
fn wycheproof_hmac_sha256() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/wycheproof_hmac_sha256_test.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(file["algorithm"], "HMACSHA256");
    let (mut full, mut truncated) = (0, 0);
    for group in file["testGroups"].as_array().unwrap() {
        let tag_bits = group["tagSize"].as_u64().unwrap();
        for test in group["tests"].as_array().unwrap() {
            let id = &test["tcId"];
            let key = MacKey::new(&hex::decode(test["key"].as_str().unwrap()).unwrap()).unwrap();
            let msg = hex::decode(test["msg"].as_str().unwrap()).unwrap();
            let tag = hex::decode(test["tag"].as_str().unwrap()).unwrap();
            let valid = test["result"] == "valid";
            let verdict = key.verify(&[&msg], &tag);
            if tag_bits == 256 {
                full += 1;
                let want = if valid { Ok(()) } else { Err(Error::SignatureMismatch) };
                assert_eq!(verdict, want, "tcId {id}");
            } else {
                truncated += 1;
                assert_eq!(tag.len() * 8, tag_bits as usize);
                // A 16-byte tag is never a candidate, valid or not…
                assert_eq!(verdict, Err(Error::NoSignature), "tcId {id}");
                // …even where it is the correct truncated MAC.
                assert_eq!(is_prefix_of_mac(&key, &msg, &tag), valid, "tcId {id}");
            }
        }
    }
    assert_eq!((full, truncated), (87, 87), "file has 174 tests, 87 full-length");
}

#[test]
fn rfc4231_sha256() {
    // (key, data, HMAC-SHA256) from RFC 4231 section 4; case 5 is truncated to 128 bits.
    let cases: [(Vec<u8>, Vec<u8>, &str); 7] = [
        (vec![0x0b; 20], b"Hi There".to_vec(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (vec![0xaa; 20], vec![0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ((1..=25).collect(), vec![0xcd; 50], "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (vec![0x0c; 20], b"Test With Truncation".to_vec(), "a3b6167473100ee06e0c796c2955552b"),
        (
            vec![0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        (
            vec![0xaa; 131],
            b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ];
    for (n, (key, data, tag)) in cases.iter().enumerate() {
        let key = MacKey::new(key).unwrap();
        let tag = hex::decode(tag).unwrap();
        if tag.len() == TAG_LEN {
            assert_eq!(key.verify(&[data], &tag), Ok(()), "case {}", n + 1);
            let mut flipped = tag.clone();
            flipped[TAG_LEN - 1] ^= 1;
            assert_eq!(key.verify(&[data], &flipped), Err(Error::SignatureMismatch), "case {}", n + 1);
        } else {
            assert_eq!(key.verify(&[data], &tag), Err(Error::NoSignature), "case {}", n + 1);
            assert!(is_prefix_of_mac(&key, data, &tag), "case {}", n + 1);
        }
    }
}

#[test]
fn message_parts_are_concatenated() {
    let key = MacKey::new(b"Jefe").unwrap();
    let whole = key.mac(&[b"what do ya want for nothing?"]);
    let parts = key.mac(&[b"what do ", b"", b"ya want for nothing?"]);
    assert!(bool::from(whole.ct_eq(&parts)));
    assert_eq!(MacKey::new(b"").err(), Some(Error::InvalidSecret));
}

#[test]
fn keys_and_verifiers_are_thread_safe_and_never_print_secrets() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<MacKey>();
    send_sync::<hooksig::Verifier>();
    let key = MacKey::new(b"super-secret-key").unwrap();
    let tag = key.mac(&[b"attacker-chosen"]);
    let hex_tag = hex::encode(tag.to_bytes());
    for printed in [format!("{key:?}"), format!("{tag:?}")] {
        assert!(!printed.contains("super-secret") && !printed.contains(&hex_tag[..16]), "{printed}");
    }
    let verifier = hooksig::Verifier::new(hooksig::Profile::GitHub, &["super-secret-key"]).unwrap();
    assert!(!format!("{verifier:?}").contains("super-secret"));
}
