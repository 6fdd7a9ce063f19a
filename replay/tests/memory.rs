//! `MemoryStore`: exactly once under concurrency, bounded, expiry, release.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[path = "support/deliveries.rs"]
mod deliveries;

use core::time::Duration;
use std::sync::{Arc, Barrier};

use deliveries::{Delivery, NOW};
use hooksig::{Error, ReplayKey};
use hooksig_replay::{ClaimStore, ManualClock, MemoryStore, verify_once};

fn send(store: &MemoryStore, delivery: &Delivery) -> Result<(), Error> {
    let verifier = deliveries::verifier();
    verify_once(&verifier, store, &delivery.headers, &delivery.body, None, NOW, None).map(|_| ())
}

fn key(delivery: &Delivery) -> ReplayKey {
    deliveries::verifier().verify(&delivery.headers, &delivery.body, NOW).unwrap().replay_key
}

#[test]
fn concurrent_sends_are_accepted_exactly_once() {
    let store = Arc::new(MemoryStore::new());
    let verifier = Arc::new(deliveries::verifier());
    let all: Arc<Vec<Delivery>> = Arc::new((0..20).map(|n| deliveries::stripe("memory", n, 300)).collect());
    // 10 threads; each sends every delivery once, all starting together.
    let start = Arc::new(Barrier::new(10));
    let threads: Vec<_> = (0..10)
        .map(|t| {
            let (store, verifier, all, start) = (store.clone(), verifier.clone(), all.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                // Each thread in another order, so that the races differ.
                (0..20)
                    .map(|i| (i * 7 + t) % 20)
                    .map(|n| {
                        let d = &all[n];
                        (n, verify_once(&verifier, &store, &d.headers, &d.body, None, NOW, None).map(|_| ()))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut accepted = [0_usize; 20];
    let mut duplicates = 0;
    for thread in threads {
        for (n, outcome) in thread.join().unwrap() {
            match outcome {
                Ok(()) => accepted[n] += 1,
                Err(Error::DuplicateDelivery) => duplicates += 1,
                Err(other) => panic!("delivery {n}: {other:?}"),
            }
        }
    }
    assert_eq!(accepted, [1; 20]);
    assert_eq!(duplicates, 180);
    assert_eq!(store.len().unwrap(), 20);
}

#[test]
fn a_full_store_refuses_instead_of_forgetting() {
    let clock = Arc::new(ManualClock::new(0));
    let store = MemoryStore::with_capacity(3).with_clock(clock.clone());
    for n in 0..3 {
        assert_eq!(send(&store, &deliveries::stripe("full", n, 300)), Ok(()));
    }
    // Full of unexpired claims: a new delivery is refused, the old ones are still duplicates.
    assert_eq!(send(&store, &deliveries::stripe("full", 3, 300)), Err(Error::ReplayStoreUnavailable));
    assert_eq!(send(&store, &deliveries::stripe("full", 0, 300)), Err(Error::DuplicateDelivery));
    // The claims last the window, 600 s: one millisecond before, still full.
    clock.advance(Duration::from_millis(599_999));
    assert_eq!(send(&store, &deliveries::stripe("full", 3, 300)), Err(Error::ReplayStoreUnavailable));
    // Expired: reclaimed, and there is room again.
    clock.advance(Duration::from_millis(1));
    assert_eq!(send(&store, &deliveries::stripe("full", 3, 300)), Ok(()));
    assert_eq!(store.len().unwrap(), 1);
}

#[test]
fn handler_failure_release_then_retry_is_accepted() {
    let store = MemoryStore::new();
    let verifier = deliveries::verifier();
    let delivery = deliveries::stripe("release", 0, 300);
    let (_, claim) = verify_once(&verifier, &store, &delivery.headers, &delivery.body, None, NOW, None).unwrap();
    assert_eq!(send(&store, &delivery), Err(Error::DuplicateDelivery));
    assert_eq!(store.release(&claim), Ok(true));
    assert_eq!(send(&store, &delivery), Ok(()));
    assert_eq!(send(&store, &delivery), Err(Error::DuplicateDelivery));
    // Released twice: the second finds nothing of its own.
    assert_eq!(store.release(&claim), Ok(false));
}

#[test]
fn release_deletes_only_its_own_token() {
    let clock = Arc::new(ManualClock::new(0));
    let store = MemoryStore::new().with_clock(clock.clone());
    let delivery = deliveries::stripe("token", 0, 300);
    let old = store.claim(&key(&delivery), 60).unwrap();
    clock.advance(Duration::from_secs(60));
    let new = store.claim(&key(&delivery), 60).unwrap();
    assert_eq!(store.release(&old), Ok(false));
    assert_eq!(send(&store, &delivery), Err(Error::DuplicateDelivery));
    assert_eq!(store.release(&new), Ok(true));
    assert_eq!(send(&store, &delivery), Ok(()));
}

#[test]
fn a_failed_verify_never_touches_the_store() {
    // A store that refuses every claim: a bad delivery still gets its own error.
    let store = MemoryStore::with_capacity(0);
    let good = deliveries::stripe("verify", 0, 300);
    let tampered = Delivery { body: b"{}".to_vec(), ..good.clone() };
    assert_eq!(send(&store, &tampered), Err(Error::SignatureMismatch));
    assert_eq!(send(&store, &good), Err(Error::ReplayStoreUnavailable));
}

#[test]
fn the_ttl_is_the_window_or_the_retention() {
    let clock = Arc::new(ManualClock::new(0));
    let store = MemoryStore::new().with_clock(clock.clone());
    // GitHub has no timestamp: the retention given (here 10 s) bounds the claim.
    let github = hooksig::Verifier::new(hooksig::Profile::GitHub, &[deliveries::SECRET]).unwrap();
    let body = deliveries::body("ttl", 0, 300);
    let d = deliveries::signed(&hooksig::Profile::GitHub, deliveries::SECRET, &body, Default::default());
    let once = |retention| verify_once(&github, &store, &d.headers, &d.body, None, NOW, retention).map(|_| ());
    assert_eq!(once(Some(10)), Ok(()));
    clock.advance(Duration::from_millis(9_999));
    assert_eq!(once(Some(10)), Err(Error::DuplicateDelivery));
    clock.advance(Duration::from_millis(1));
    // Default retention: 7 days.
    assert_eq!(once(None), Ok(()));
    clock.advance(Duration::from_secs(hooksig::DEFAULT_RETENTION - 1));
    assert_eq!(once(None), Err(Error::DuplicateDelivery));
    clock.advance(Duration::from_secs(1));
    assert_eq!(once(None), Ok(()));
}
