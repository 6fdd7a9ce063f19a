//! One more OS process sharing a Redis, for the tests and the benchmark
//! (not a tool for users). It builds the same signed Stripe deliveries as its
//! parent, prints `ready`, waits for a line on stdin, then:
//!
//! - `race URL PREFIX DELIVERIES COPIES`: sends every delivery COPIES times,
//!   all at once (one thread per send) through `verify_once`; prints one line
//!   per send: `<delivery number> <OK or error code>`;
//! - `bench URL PREFIX COUNT SALT BODY_LEN`: sends COUNT distinct deliveries
//!   one after the other; prints `<accepted> <elapsed nanoseconds>`.

use std::io::{BufRead, Write};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use hooksig_replay::{RedisStore, verify_once};

#[path = "../../tests/support/deliveries.rs"]
mod deliveries;

type Failure = Box<dyn core::error::Error>;

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["race", url, prefix, count, copies] => race(url, prefix, count.parse()?, copies.parse()?),
        ["bench", url, prefix, count, salt, len] => bench(url, prefix, count.parse()?, salt, len.parse()?),
        _ => {
            Err("usage: hooksig-replay-worker race URL PREFIX DELIVERIES COPIES | bench URL PREFIX COUNT SALT BODY_LEN"
                .into())
        }
    }
}

fn wait_for_go() -> Result<(), Failure> {
    println!("ready");
    std::io::stdout().flush()?;
    std::io::stdin().lock().read_line(&mut String::new())?;
    Ok(())
}

fn race(url: &str, prefix: &str, count: usize, copies: usize) -> Result<(), Failure> {
    let store = Arc::new(RedisStore::open(url)?.with_prefix(prefix));
    let verifier = Arc::new(deliveries::verifier());
    let start = Arc::new(Barrier::new(count * copies + 1));
    let mut threads = Vec::new();
    for n in 0..count {
        let delivery = Arc::new(deliveries::stripe("race", n, 300));
        for _ in 0..copies {
            let (store, verifier, start, delivery) = (store.clone(), verifier.clone(), start.clone(), delivery.clone());
            threads.push(std::thread::spawn(move || {
                start.wait();
                let outcome =
                    verify_once(&verifier, &store, &delivery.headers, &delivery.body, None, deliveries::NOW, None);
                (n, outcome.map(|_| "OK").unwrap_or_else(|e| e.code()))
            }));
        }
    }
    wait_for_go()?;
    start.wait();
    let mut out = std::io::stdout().lock();
    for thread in threads {
        let (n, code) = thread.join().map_err(|_| "a sender thread panicked")?;
        writeln!(out, "{n} {code}")?;
    }
    Ok(())
}

fn bench(url: &str, prefix: &str, count: usize, salt: &str, len: usize) -> Result<(), Failure> {
    let store = RedisStore::open(url)?.with_prefix(prefix);
    let verifier = deliveries::verifier();
    let all: Vec<_> = (0..count).map(|n| deliveries::stripe(salt, n, len)).collect();
    wait_for_go()?;
    let started = Instant::now();
    let mut accepted = 0_usize;
    for delivery in &all {
        if verify_once(&verifier, &store, &delivery.headers, &delivery.body, None, deliveries::NOW, None).is_ok() {
            accepted += 1;
        }
    }
    println!("{accepted} {}", started.elapsed().as_nanos());
    Ok(())
}
