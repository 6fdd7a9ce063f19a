//! `RedisStore` against a real `redis-server` (started per test on a free
//! loopback port, stopped at the end even on failure).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[path = "support/deliveries.rs"]
mod deliveries;
#[path = "support/redis_server.rs"]
mod redis_server;

use core::time::Duration;
use std::collections::BTreeMap;

use deliveries::{Delivery, NOW, SECRET};
use hooksig::{Error, Profile, SignOptions, Verifier};
use hooksig_replay::{Claim, ClaimStore, RedisStore, verify_once};
use redis_server::{RedisServer, Worker};

const WORKER: &str = env!("CARGO_BIN_EXE_hooksig-replay-worker");

fn send(verifier: &Verifier, store: &RedisStore, delivery: &Delivery) -> Result<(), Error> {
    verify_once(verifier, store, &delivery.headers, &delivery.body, None, NOW, None).map(|_| ())
}

fn with_header(delivery: &Delivery, name: &str, value: String) -> Delivery {
    let mut changed = delivery.clone();
    let slot = changed.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)).expect("header");
    slot.1 = value;
    changed
}

#[test]
fn two_processes_accept_each_delivery_exactly_once() {
    let server = RedisServer::start();
    let url = server.url();
    // 20 deliveries, each sent 5 times by each of 2 processes: 10 sends each, all at once.
    let args = ["race", url.as_str(), "race:", "20", "5"];
    let mut workers = [Worker::start(WORKER, &args), Worker::start(WORKER, &args)];
    workers.iter_mut().for_each(Worker::go);
    let mut outcomes: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for worker in workers {
        let lines = worker.finish();
        assert_eq!(lines.len(), 100);
        for line in lines {
            let (n, code) = line.split_once(' ').expect("`n code`");
            *outcomes.entry((n.parse().unwrap(), code.to_owned())).or_default() += 1;
        }
    }
    for n in 0..20 {
        assert_eq!(outcomes.get(&(n, "OK".to_owned())), Some(&1), "delivery {n}: {outcomes:?}");
        assert_eq!(outcomes.get(&(n, "DUPLICATE_DELIVERY".to_owned())), Some(&9), "delivery {n}");
    }
    let duplicates: usize = outcomes.iter().filter(|((_, c), _)| c == "DUPLICATE_DELIVERY").map(|(_, k)| k).sum();
    assert_eq!(duplicates, 180);
    assert_eq!(outcomes.values().sum::<usize>(), 200, "no other outcome: {outcomes:?}");

    // 20 claims in Redis, each kept for the window (300 s + 300 s), named by the replay key.
    let mut redis = server.client();
    let keys: Vec<String> = redis::cmd("KEYS").arg("race:*").query(&mut redis).unwrap();
    assert_eq!(keys.len(), 20);
    let verifier = deliveries::verifier();
    let first = deliveries::stripe("race", 0, 300);
    let key = verifier.verify(&first.headers, &first.body, NOW).unwrap().replay_key;
    let name = format!("race:{}", core::str::from_utf8(&key.to_hex()).unwrap());
    assert!(keys.contains(&name));
    let ttl: i64 = redis::cmd("PTTL").arg(&name).query(&mut redis).unwrap();
    assert!(ttl > 590_000 && ttl <= 600_000, "PTTL {ttl}");
}

#[test]
fn re_spelled_replays_are_duplicates() {
    let server = RedisServer::start();
    let store = RedisStore::open(&server.url()).unwrap();

    // GitHub: X-GitHub-Delivery is not signed; a replay with another id is the same delivery.
    let github = Verifier::new(Profile::GitHub, &[SECRET]).unwrap();
    let body = deliveries::body("github", 0, 300);
    let first = deliveries::signed(
        &Profile::GitHub,
        SECRET,
        &body,
        SignOptions { id: Some("delivery-1"), ..Default::default() },
    );
    assert_eq!(send(&github, &store, &first), Ok(()));
    let other_id = with_header(&first, "X-GitHub-Delivery", "delivery-2".to_owned());
    assert_eq!(github.verify(&other_id.headers, &other_id.body, NOW).unwrap().id, Some("delivery-2"));
    assert_eq!(send(&github, &store, &other_id), Err(Error::DuplicateDelivery));

    // Stripe: the same signature in upper-case hex.
    let stripe = deliveries::verifier();
    let first = deliveries::stripe("respell", 0, 300);
    assert_eq!(send(&stripe, &store, &first), Ok(()));
    let header = &first.headers.iter().find(|(n, _)| n == "Stripe-Signature").unwrap().1;
    let (t, v1) = header.split_once(",v1=").unwrap();
    let upper = with_header(&first, "Stripe-Signature", format!("{t},v1={}", v1.to_ascii_uppercase()));
    assert!(stripe.verify(&upper.headers, &upper.body, NOW).is_ok());
    assert_eq!(send(&stripe, &store, &upper), Err(Error::DuplicateDelivery));

    // Stripe rotation: the pair is accepted once; then either `v1` alone is a duplicate.
    let new_secret = "whsec_replay_rotated_secret";
    let rotating = Verifier::new(Profile::Stripe, &[SECRET, new_secret]).unwrap();
    let body = deliveries::body("rotation", 0, 300);
    let options = SignOptions { timestamp: Some(NOW), ..Default::default() };
    let old = deliveries::signed(&Profile::Stripe, SECRET, &body, options);
    let new = deliveries::signed(&Profile::Stripe, new_secret, &body, options);
    let v1 = |d: &Delivery| d.headers[0].1.split_once(",v1=").unwrap().1.to_owned();
    let pair = with_header(&old, "Stripe-Signature", format!("t={NOW},v1={},v1={}", v1(&old), v1(&new)));
    assert_eq!(send(&rotating, &store, &pair), Ok(()));
    assert_eq!(rotating.verify(&new.headers, &new.body, NOW).unwrap().secret_index, 1);
    assert_eq!(send(&rotating, &store, &new), Err(Error::DuplicateDelivery));
    assert_eq!(send(&rotating, &store, &old), Err(Error::DuplicateDelivery));

    // A different delivery is still accepted.
    assert_eq!(send(&stripe, &store, &deliveries::stripe("respell", 1, 300)), Ok(()));
}

#[test]
fn redis_stopped_mid_run_accepts_nothing() {
    let mut server = RedisServer::start();
    let store = RedisStore::open(&server.url()).unwrap().with_timeout(Duration::from_millis(300));
    let verifier = deliveries::verifier();
    for n in 0..3 {
        assert_eq!(send(&verifier, &store, &deliveries::stripe("stop", n, 300)), Ok(()));
    }
    server.stop();
    // Fresh deliveries and a replay: nothing accepted (pooled connection dead, new ones refused).
    for n in 0..6 {
        assert_eq!(send(&verifier, &store, &deliveries::stripe("stop", n, 300)), Err(Error::ReplayStoreUnavailable));
    }
    // A delivery that fails verification never reaches the store.
    let tampered = Delivery { body: b"{}".to_vec(), ..deliveries::stripe("stop", 9, 300) };
    assert_eq!(send(&verifier, &store, &tampered), Err(Error::SignatureMismatch));
    let first = deliveries::stripe("stop", 0, 300);
    let claim = Claim::new(verifier.verify(&first.headers, &first.body, NOW).unwrap().replay_key).unwrap();
    assert_eq!(store.release(&claim), Err(Error::ReplayStoreUnavailable));
}

#[test]
fn a_hung_redis_times_out_unavailable() {
    let server = RedisServer::start();
    let store = RedisStore::open(&server.url()).unwrap().with_timeout(Duration::from_millis(200));
    let verifier = deliveries::verifier();
    assert_eq!(send(&verifier, &store, &deliveries::stripe("hung", 0, 300)), Ok(()));
    let signal = |s: &str| {
        let status = std::process::Command::new("kill").args([s, &server.pid().to_string()]).status().unwrap();
        assert!(status.success());
    };
    signal("-STOP");
    let outcome = send(&verifier, &store, &deliveries::stripe("hung", 1, 300));
    signal("-CONT");
    assert_eq!(outcome, Err(Error::ReplayStoreUnavailable));
    // Back: the broken connection was dropped, a new one works.
    assert_eq!(send(&verifier, &store, &deliveries::stripe("hung", 2, 300)), Ok(()));
}

#[test]
fn handler_failure_release_then_retry_is_accepted() {
    let server = RedisServer::start();
    let store = RedisStore::open(&server.url()).unwrap();
    let verifier = deliveries::verifier();
    let delivery = deliveries::stripe("release", 0, 300);
    let (_, claim) = verify_once(&verifier, &store, &delivery.headers, &delivery.body, None, NOW, None).unwrap();
    assert_eq!(send(&verifier, &store, &delivery), Err(Error::DuplicateDelivery));
    // The handler failed: release, so the sender's retry is processed.
    assert_eq!(store.release(&claim), Ok(true));
    assert_eq!(send(&verifier, &store, &delivery), Ok(()));
    assert_eq!(send(&verifier, &store, &delivery), Err(Error::DuplicateDelivery));
}

#[test]
fn release_deletes_only_its_own_token() {
    let server = RedisServer::start();
    let store = RedisStore::open(&server.url()).unwrap();
    let mut redis = server.client();
    let verifier = deliveries::verifier();
    let delivery = deliveries::stripe("token", 0, 300);
    let key = verifier.verify(&delivery.headers, &delivery.body, NOW).unwrap().replay_key;
    let name = store.redis_key(&key);

    let old = store.claim(&key, 60).unwrap();
    // Let the old claim expire (1 ms left), then someone else claims the key.
    let _: i64 = redis::cmd("PEXPIRE").arg(&name).arg(1).query(&mut redis).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let new = store.claim(&key, 60).unwrap();
    assert_ne!(old.token(), new.token());

    assert_eq!(store.release(&old), Ok(false));
    let held: Option<String> = redis::cmd("GET").arg(&name).query(&mut redis).unwrap();
    assert_eq!(held, Some(new.token_hex()));
    assert_eq!(send(&verifier, &store, &delivery), Err(Error::DuplicateDelivery));

    assert_eq!(store.release(&new), Ok(true));
    let held: Option<String> = redis::cmd("GET").arg(&name).query(&mut redis).unwrap();
    assert_eq!(held, None);
}

#[test]
fn a_bad_url_is_an_invalid_argument() {
    assert_eq!(RedisStore::open("not a url").unwrap_err(), Error::InvalidArgument);
}
