//! AkashicPay's canonical JSON throughput (hardening: bounded memory), in MB/s of
//! body, on ~1 MiB documents: a webhook batch (an array of events, compact
//! and pretty-printed), one wide object with keys in reverse order, and an
//! array of tiny tokens. `make bench-canonical`; reported, never asserted.
//! The peak heap is asserted (≤ 2× the body) by the core's integration test
//! `core/tests/canonical_json_memory.rs`, on the same shapes.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use core::fmt::Write as _;
use core::hint::black_box;
use core::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hooksig::canonical_json;

/// `n` webhook-like events with unsorted keys, escapes and nesting.
fn events(n: usize, pretty: bool) -> Result<Vec<u8>, core::fmt::Error> {
    let (nl, ind, sp) = if pretty { ("\n", "    ", " ") } else { ("", "", "") };
    let mut s = String::new();
    write!(s, "{{{nl}{ind}\"type\":{sp}\"batch\",{nl}{ind}\"data\":{sp}[")?;
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
        )?;
    }
    write!(s, "{nl}{ind}],{nl}{ind}\"count\":{sp}{n}{nl}}}")?;
    Ok(s.into_bytes())
}

/// One object with `n` members, keys in reverse order.
fn wide_object(n: usize) -> Result<Vec<u8>, core::fmt::Error> {
    let mut s = String::from("{");
    for i in (0..n).rev() {
        if i + 1 < n {
            s.push(',');
        }
        write!(s, "\"key_{i:07}\":{i}")?;
    }
    s.push('}');
    Ok(s.into_bytes())
}

/// `{"v":[0,1,…]}`: two bytes per token.
fn small_tokens(n: usize) -> Vec<u8> {
    let mut s = String::from("{\"v\":[");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push(char::from(b'0' + (i % 10) as u8));
    }
    s.push_str("]}");
    s.into_bytes()
}

fn canonical(c: &mut Criterion) {
    let docs = match (events(5_000, false), events(5_000, true), wide_object(50_000)) {
        (Ok(compact), Ok(pretty), Ok(wide)) => [
            ("events", compact),
            ("events-pretty", pretty),
            ("wide-object", wide),
            ("small-tokens", small_tokens(500_000)),
        ],
        _ => {
            eprintln!("canonical_json bench: could not build the documents");
            std::process::exit(1);
        }
    };
    let mut group = c.benchmark_group("canonical-json");
    for (name, body) in &docs {
        if canonical_json(body).is_err() {
            eprintln!("canonical_json bench: {name} is not accepted");
            std::process::exit(1);
        }
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(*name, |b| b.iter(|| canonical_json(black_box(body))));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    targets = canonical
}
criterion_main!(benches);
