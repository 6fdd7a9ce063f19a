//! What replay protection costs: `make bench-replay`.
//!
//! - criterion, one 300-byte Stripe delivery: `verify` alone; `verify_once`
//!   on a `MemoryStore` (target: at most 1.2x verify alone), whose clock
//!   moves past the TTL after each claim, so each claim is fresh and drops
//!   the expired one; `verify_once` + `release` on a `RedisStore` on
//!   loopback (release makes the next claim fresh; one more round trip).
//! - then deliveries per second through `verify_once` on one loopback Redis,
//!   distinct deliveries sent one after the other by 1 and by 2 processes
//!   (`hooksig-replay-worker`), printed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[path = "../tests/support/deliveries.rs"]
mod deliveries;
#[path = "../tests/support/redis_server.rs"]
mod redis_server;

use core::hint::black_box;
use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use deliveries::NOW;
use hooksig_replay::{ClaimStore, ManualClock, MemoryStore, RedisStore, verify_once};
use redis_server::{RedisServer, Worker};

const WORKER: &str = env!("CARGO_BIN_EXE_hooksig-replay-worker");

fn claim_cost(c: &mut Criterion, server: &RedisServer) {
    let verifier = deliveries::verifier();
    let d = deliveries::stripe("bench", 0, 300);
    // Each iteration moves the store's clock past the claim's TTL, so the next
    // claim finds the previous one expired: one claim made and one dropped per
    // delivery, as in a steady state.
    let clock = Arc::new(ManualClock::new(0));
    let memory = MemoryStore::new().with_clock(clock.clone());
    let ttl = Duration::from_secs(verifier.replay_ttl(None));
    let redis = RedisStore::open(&server.url()).unwrap();

    let mut group = c.benchmark_group("replay/300B");
    group.throughput(Throughput::Elements(1));
    group.bench_function("verify", |b| {
        b.iter(|| black_box(verifier.verify(black_box(&d.headers), black_box(&d.body), NOW).unwrap()));
    });
    group.bench_function("verify_once (memory)", |b| {
        b.iter(|| {
            let claimed = verify_once(&verifier, &memory, black_box(&d.headers), black_box(&d.body), None, NOW, None);
            clock.advance(ttl);
            black_box(claimed.unwrap())
        });
    });
    group.bench_function("verify_once+release (redis, loopback)", |b| {
        b.iter(|| {
            let (_, claim) =
                verify_once(&verifier, &redis, black_box(&d.headers), black_box(&d.body), None, NOW, None).unwrap();
            redis.release(&claim).unwrap()
        });
    });
    group.finish();
}

/// Deliveries per second with `processes` workers, each sending `count`
/// distinct deliveries.
fn redis_throughput(server: &RedisServer, processes: usize, count: usize) -> f64 {
    let url = server.url();
    let count_text = count.to_string();
    let mut workers: Vec<Worker> = (0..processes)
        .map(|p| {
            let salt = format!("tp{processes}-{p}");
            Worker::start(WORKER, &["bench", &url, "bench:", &count_text, &salt, "300"])
        })
        .collect();
    workers.iter_mut().for_each(Worker::go);
    let mut slowest = Duration::ZERO;
    for worker in workers {
        let lines = worker.finish();
        let (accepted, nanos) = lines[0].split_once(' ').unwrap();
        assert_eq!(accepted.parse::<usize>().unwrap(), count, "every distinct delivery is accepted");
        slowest = slowest.max(Duration::from_nanos(nanos.parse().unwrap()));
    }
    (processes * count) as f64 / slowest.as_secs_f64()
}

/// `verify_once` (memory) over `verify` alone, measured in alternating
/// rounds (the best round of each), so that load from other processes on a
/// shared machine hits both alike.
fn memory_ratio() -> (Duration, Duration) {
    let verifier = deliveries::verifier();
    let d = deliveries::stripe("bench", 0, 300);
    let clock = Arc::new(ManualClock::new(0));
    let memory = MemoryStore::new().with_clock(clock.clone());
    let ttl = Duration::from_secs(verifier.replay_ttl(None));
    let per_round = 20_000;
    let (mut verify, mut once) = (Duration::MAX, Duration::MAX);
    for _ in 0..30 {
        let started = Instant::now();
        for _ in 0..per_round {
            black_box(verifier.verify(black_box(&d.headers), black_box(&d.body), NOW).unwrap());
        }
        verify = verify.min(started.elapsed() / per_round);
        let started = Instant::now();
        for _ in 0..per_round {
            let claimed = verify_once(&verifier, &memory, black_box(&d.headers), black_box(&d.body), None, NOW, None);
            clock.advance(ttl);
            black_box(claimed.unwrap());
        }
        once = once.min(started.elapsed() / per_round);
    }
    (verify, once)
}

fn main() {
    let server = RedisServer::start();
    let mut criterion = Criterion::default().configure_from_args();
    claim_cost(&mut criterion, &server);
    criterion.final_summary();

    let (verify, once) = memory_ratio();
    let ratio = once.as_secs_f64() / verify.as_secs_f64();
    println!(
        "replay/300B alternating rounds: verify {verify:?}, verify_once (memory) {once:?}: {ratio:.2}x (target <= 1.2x)"
    );

    let count = 20_000;
    for processes in [1, 2] {
        let rate = redis_throughput(&server, processes, count);
        println!("replay/redis loopback: {processes} process(es), verify_once sequential: {rate:.0} deliveries/s");
    }
}
