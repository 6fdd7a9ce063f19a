//! AkashicPay's canonical JSON against `serde_json` as the oracle: accepted
//! exactly when `serde_json` accepts (strict RFC 8259) and the document has
//! no duplicate key and nests at most 64 deep; when accepted, the output is
//! the same document (strings unescaped alike, numbers as the same text) with
//! every object's members sorted by their keys' UTF-8 bytes, has no
//! insignificant whitespace, and is its own canonical form.
#![no_main]

use hooksig::{MAX_DEPTH, canonical_json};
use hooksig_fuzz::{Tree, has_whitespace_outside_strings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let got = canonical_json(data);
    let oracle = serde_json::from_slice::<Tree>(data);
    let expect_ok = matches!(&oracle, Ok(tree) if tree.depth() <= MAX_DEPTH && !tree.has_duplicate_key());
    match (got, oracle) {
        (Err(e), oracle) => {
            assert_eq!(e.code(), "MALFORMED_BODY");
            assert!(!expect_ok, "valid JSON rejected: {oracle:?}");
        }
        (Ok(out), Ok(before)) if expect_ok => {
            let after: Tree = serde_json::from_slice(&out).expect("canonical output is JSON");
            assert!(after.keys_sorted(), "keys not sorted");
            assert_eq!(before.sorted(), after, "canonical form changed the document");
            assert!(!has_whitespace_outside_strings(&out), "whitespace left");
            assert_eq!(canonical_json(&out).ok().as_deref(), Some(&out[..]), "not idempotent");
        }
        (Ok(_), oracle) => panic!("accepted, but serde_json says {oracle:?}"),
    }
});
