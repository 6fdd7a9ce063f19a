//! AkashicPay's canonical JSON stays within 2× the body in heap memory
//! (hardening): the peak of live heap bytes while `canonical_json`
//! runs, its returned output included, is measured with a counting global
//! allocator (`peak_alloc`) and must be at most twice the body's length.
//!
//! The documents are large (MiB) so that fixed costs do not count; their
//! shapes are what a webhook batch looks like (an array of events, compact
//! or pretty-printed) and one wide object. The measurement is bytes, not
//! time, so it is deterministic. One test function, so no other test runs
//! (and allocates) while it measures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use core::fmt::Write as _;

use hooksig::canonical_json;
use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// `n` webhook-like events, keys deliberately unsorted, some escapes,
/// nested objects and arrays; `pretty` adds newlines and indentation.
fn events(n: usize, pretty: bool) -> Vec<u8> {
    let (nl, ind, sp) = if pretty { ("\n", "    ", " ") } else { ("", "", "") };
    let mut s = String::new();
    write!(s, "{{{nl}{ind}\"type\":{sp}\"batch\",{nl}{ind}\"data\":{sp}[").unwrap();
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        write!(
            s,
            "{nl}{ind}{ind}{{\"status\":{sp}\"confirmed\",{sp}\"id\":{sp}\"evt_{i:08}\",{sp}\"amount\":{sp}\"{}.{:02}\",{sp}\
             \"currency\":{sp}\"USDT\",{sp}\"fee\":{sp}0.25,{sp}\"ok\":{sp}true,{sp}\"tx\":{sp}null,{sp}\
             \"meta\":{sp}{{\"z\":{sp}{i},{sp}\"note\":{sp}\"caf\\u00e9 \\\"{i}\\\"\",{sp}\"a\":{sp}[1,{sp}2.50,{sp}-3e2]}},{sp}\
             \"created\":{sp}{}}}",
            i % 1000,
            i % 100,
            1_700_000_000 + i
        )
        .unwrap();
    }
    write!(s, "{nl}{ind}],{nl}{ind}\"count\":{sp}{n}{nl}}}").unwrap();
    s.into_bytes()
}

/// One object with `n` members, keys in reverse order.
fn wide_object(n: usize) -> Vec<u8> {
    let mut s = String::from("{");
    for i in (0..n).rev() {
        if i + 1 < n {
            s.push(',');
        }
        write!(s, "\"key_{i:07}\":{i}").unwrap();
    }
    s.push('}');
    s.into_bytes()
}

/// Many tiny tokens (`[0,1,…]`, two bytes each) inside an object.
fn small_tokens(n: usize) -> Vec<u8> {
    let mut s = String::from("{\"v\":[");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        write!(s, "{}", i % 10).unwrap();
    }
    s.push_str("]}");
    s.into_bytes()
}

/// Peak live heap bytes while `canonical_json(body)` runs, its output
/// included, and the output's length.
fn peak_heap(body: &[u8]) -> (usize, usize) {
    HEAP.reset_peak_usage();
    let base = HEAP.current_usage();
    let out = canonical_json(body).expect("valid JSON");
    let peak = HEAP.peak_usage().saturating_sub(base);
    (peak, out.len())
}

#[test]
fn canonical_json_peak_heap_is_at_most_twice_the_body() {
    let mut over = Vec::new();
    for (name, body) in [
        ("events", events(25_000, false)),
        ("events-pretty", events(25_000, true)),
        ("wide-object", wide_object(200_000)),
        ("small-tokens", small_tokens(1_000_000)),
    ] {
        assert!(body.len() > 1 << 20, "{name}: the document should be large");
        let (peak, out_len) = peak_heap(&body);
        let ratio = peak as f64 / body.len() as f64;
        println!("{name}: body {} B, output {out_len} B, peak heap {peak} B = {ratio:.2}x the body", body.len());
        assert!(out_len > 0 && out_len <= body.len());
        if peak > 2 * body.len() {
            over.push(format!("{name}: {ratio:.2}x"));
        }
    }
    assert!(over.is_empty(), "peak heap over 2x the body: {over:?}");
}
