//! AkashicPay's canonical JSON against `serde_json` as the oracle: accepted
//! exactly when `serde_json` accepts (strict RFC 8259) and the document has
//! no duplicate key and nests at most 64 deep; when accepted, the output is
//! the same JSON value, with every object's keys sorted by UTF-8 bytes, no
//! insignificant whitespace, and is its own canonical form.
#![no_main]

use hooksig::{MAX_DEPTH, canonical_json};
use hooksig_fuzz::{Tree, has_whitespace_outside_strings};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let got = canonical_json(data);
    let oracle = serde_json::from_slice::<Tree>(data);
    let expect_ok = matches!(&oracle, Ok(tree) if tree.depth() <= MAX_DEPTH && !tree.has_duplicate_key());
    match got {
        Err(e) => {
            assert_eq!(e.code(), "MALFORMED_BODY");
            assert!(!expect_ok, "valid JSON rejected: {oracle:?}");
        }
        Ok(out) => {
            assert!(expect_ok, "accepted, but serde_json says {oracle:?}");
            let before: Value = serde_json::from_slice(data).expect("oracle accepted it");
            let after: Value = serde_json::from_slice(&out).expect("canonical output is JSON");
            assert_eq!(before, after, "canonical form changed the value");
            let tree: Tree = serde_json::from_slice(&out).expect("canonical output is JSON");
            assert!(tree.keys_sorted(), "keys not sorted");
            assert!(!has_whitespace_outside_strings(&out), "whitespace left");
            assert_eq!(canonical_json(&out).ok().as_deref(), Some(&out[..]), "not idempotent");
        }
    }
});
