//! The in-process claim store.

use core::fmt;
use core::hash::{BuildHasherDefault, Hasher};
use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;
use std::collections::{BTreeMap, HashMap, hash_map};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use crate::{Claim, ClaimStore, Error, ReplayKey, TOKEN_LEN, checked_ttl};

/// How many unexpired claims a [`MemoryStore`] holds by default (about
/// 200 bytes each: some 20 MB when full).
pub const DEFAULT_CAPACITY: usize = hooksig::DEFAULT_STORE_CAPACITY;

/// The time a [`MemoryStore`] expires claims by: milliseconds since any
/// fixed origin, never going back.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Milliseconds since the clock's origin.
    fn now_millis(&self) -> u64;
}

/// The default clock: the process's monotonic clock ([`Instant`]), so that a
/// change of the wall clock neither expires claims early nor keeps them.
#[derive(Debug, Clone, Copy)]
pub struct MonotonicClock {
    origin: Instant,
}

impl Default for MonotonicClock {
    fn default() -> Self {
        MonotonicClock { origin: Instant::now() }
    }
}

impl Clock for MonotonicClock {
    fn now_millis(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// A clock that moves only when told to: for tests.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// A clock at `millis`.
    #[must_use]
    pub const fn new(millis: u64) -> ManualClock {
        ManualClock(AtomicU64::new(millis))
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        // Saturating: the closure always returns Some, so this never fails.
        let _ = self.0.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| Some(now.saturating_add(by)));
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A claim's expiry and number (its token is the number).
struct Entry {
    expires: u64,
    seq: u64,
}

fn token(seq: u64) -> [u8; TOKEN_LEN] {
    u128::from(seq).to_le_bytes()
}

/// Hashes a [`ReplayKey`] as its first 8 bytes: the key is already a
/// SHA-256 output over bytes MACed with the verifier's secret, uniform and
/// not choosable by anyone without that secret, so hashing it again
/// (SipHash) would only cost time.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // The 32 key bytes (after a length prefix, through `write_usize`).
        if let Some(first) = bytes.first_chunk::<8>() {
            self.0 ^= u64::from_le_bytes(*first);
        }
    }

    fn write_usize(&mut self, _length: usize) {}
}

/// The claims, and the same claims ordered by expiry so that expired ones
/// are dropped from the front in `O(log n)` each.
#[derive(Default)]
struct Claims {
    by_key: HashMap<ReplayKey, Entry, BuildHasherDefault<KeyHasher>>,
    by_expiry: BTreeMap<(u64, u64), ReplayKey>,
    next_seq: u64,
}

impl Claims {
    fn drop_expired(&mut self, now: u64) {
        while let Some(entry) = self.by_expiry.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let key = entry.remove();
            self.by_key.remove(&key);
        }
    }
}

/// An in-process [`ClaimStore`]: thread-safe (one mutex), no server. Use it
/// when one process receives all deliveries; several processes need a
/// shared store ([`RedisStore`](crate::RedisStore)).
///
/// - **Bounded**: it holds at most `capacity` claims
///   ([`DEFAULT_CAPACITY`] by default). Expired claims are dropped first;
///   when it is still full of *unexpired* claims, a new claim is refused
///   with [`Error::ReplayStoreUnavailable`] (the sender retries later)
///   rather than forgetting one, which would let its replay through.
/// - **Time**: claims expire by the store's own [`Clock`], by default the
///   monotonic [`MonotonicClock`]; tests inject a [`ManualClock`]
///   ([`MemoryStore::with_clock`]). The `now` given to `verify` is not
///   used: it is the delivery's clock, not the store's.
/// - Claims live as long as the store: a restart forgets them.
pub struct MemoryStore {
    claims: Mutex<Claims>,
    capacity: usize,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore").field("capacity", &self.capacity).field("clock", &self.clock).finish()
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

impl MemoryStore {
    /// An empty store of [`DEFAULT_CAPACITY`] on the monotonic clock.
    #[must_use]
    pub fn new() -> MemoryStore {
        MemoryStore::with_capacity(DEFAULT_CAPACITY)
    }

    /// An empty store holding at most `capacity` unexpired claims.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> MemoryStore {
        MemoryStore { claims: Mutex::default(), capacity, clock: Arc::new(MonotonicClock::default()) }
    }

    /// The same store on another clock.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> MemoryStore {
        self.clock = clock;
        self
    }

    /// The most claims it holds.
    #[must_use]
    pub const fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many unexpired claims it holds now.
    ///
    /// # Errors
    /// [`Error::ReplayStoreUnavailable`] if the lock was poisoned.
    pub fn len(&self) -> Result<usize, Error> {
        let now = self.clock.now_millis();
        let mut claims = self.lock()?;
        claims.drop_expired(now);
        Ok(claims.by_key.len())
    }

    /// True if it holds no unexpired claim.
    ///
    /// # Errors
    /// [`Error::ReplayStoreUnavailable`] if the lock was poisoned.
    pub fn is_empty(&self) -> Result<bool, Error> {
        self.len().map(|n| n == 0)
    }

    /// Fails closed on a poisoned lock (a panic while it was held).
    fn lock(&self) -> Result<MutexGuard<'_, Claims>, Error> {
        self.claims.lock().map_err(|_| Error::ReplayStoreUnavailable)
    }
}

impl ClaimStore for MemoryStore {
    fn claim(&self, key: &ReplayKey, ttl_seconds: u64) -> Result<Claim, Error> {
        let ttl_millis = checked_ttl(ttl_seconds)?.saturating_mul(1000);
        let now = self.clock.now_millis();
        let mut claims = self.lock()?;
        claims.drop_expired(now);
        let full = claims.by_key.len() >= self.capacity;
        let seq = claims.next_seq;
        let expires = now.saturating_add(ttl_millis);
        match claims.by_key.entry(*key) {
            hash_map::Entry::Occupied(_) => return Err(Error::DuplicateDelivery),
            hash_map::Entry::Vacant(_) if full => return Err(Error::ReplayStoreUnavailable),
            hash_map::Entry::Vacant(slot) => slot.insert(Entry { expires, seq }),
        };
        claims.next_seq = seq.wrapping_add(1);
        claims.by_expiry.insert((expires, seq), *key);
        Ok(Claim::with_token(*key, token(seq)))
    }

    fn release(&self, claim: &Claim) -> Result<bool, Error> {
        let mut claims = self.lock()?;
        let Some(entry) = claims.by_key.get(&claim.key) else { return Ok(false) };
        if token(entry.seq) != claim.token {
            return Ok(false);
        }
        let slot = (entry.expires, entry.seq);
        claims.by_key.remove(&claim.key);
        claims.by_expiry.remove(&slot);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> ReplayKey {
        // Any verified delivery's key will do; derive distinct ones by signing.
        let profile = hooksig::Profile::GitHub;
        let body = [n];
        let signed = hooksig::sign(&profile, b"secret", &body, hooksig::SignOptions::default()).map_err(|e| e.code());
        let signed = signed.unwrap_or_else(|code| unreachable!("{code}"));
        let headers: Vec<(&str, &str)> = signed.iter().map(|h| (h.name(), h.value())).collect();
        let verifier = hooksig::Verifier::new(profile, &["secret"]).unwrap_or_else(|e| unreachable!("{e}"));
        verifier.verify(&headers, &body, 0).unwrap_or_else(|e| unreachable!("{e}")).replay_key
    }

    #[test]
    fn expiry_order_and_reuse() -> Result<(), Error> {
        let clock = Arc::new(ManualClock::new(0));
        let store = MemoryStore::with_capacity(2).with_clock(clock.clone());
        let a = store.claim(&key(1), 10)?;
        store.claim(&key(2), 20)?;
        assert_eq!(store.claim(&key(3), 10), Err(Error::ReplayStoreUnavailable));
        clock.advance(Duration::from_millis(9_999));
        assert_eq!(store.claim(&key(1), 10), Err(Error::DuplicateDelivery));
        clock.advance(Duration::from_millis(1));
        // key 1 expired exactly now: reclaimed, so key 3 fits.
        store.claim(&key(3), 10)?;
        assert_eq!(store.len()?, 2);
        // The expired claim's release deletes nothing.
        assert!(!store.release(&a)?);
        Ok(())
    }

    #[test]
    fn zero_ttl_is_invalid() {
        assert_eq!(MemoryStore::new().claim(&key(1), 0), Err(Error::InvalidArgument));
    }
}
