//! The shared claim store: Redis (or anything speaking its protocol: Valkey…).

use core::fmt;
use core::time::Duration;
use std::sync::Mutex;

use crate::{Claim, ClaimStore, Error, ReplayKey, checked_ttl};

/// The default key prefix: a claim is `hooksig:replay:<replay key hex>`.
pub const DEFAULT_PREFIX: &str = hooksig::REPLAY_STORE_PREFIX;

/// The default connect, read and write timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// Idle connections kept for reuse; more concurrent callers open more and
/// close the extra ones when done.
const MAX_IDLE: usize = 16;

/// Compare-and-delete: a release deletes the key only while it holds the
/// releasing claim's token.
const RELEASE: &str = "if redis.call('get',KEYS[1])==ARGV[1] then return redis.call('del',KEYS[1]) else return 0 end";

/// A [`ClaimStore`] in Redis, shared by every process that uses the same
/// server, prefix and verifier secrets.
///
/// - claim: `SET <prefix><key hex> <token> NX PX <ttl ms>`, atomic in Redis:
///   `OK` is a fresh claim, nil a duplicate;
/// - release: a Lua compare-and-delete on the token ([`Claim::token_hex`]);
/// - every connection, IO or protocol error, timeout or error reply
///   (`OOM`, `READONLY`…) is [`Error::ReplayStoreUnavailable`]: the
///   delivery is never accepted unchecked. A connection that failed is
///   dropped; the next call opens a new one.
///
/// Connect, read and write timeouts are [`DEFAULT_TIMEOUT`] (1 s) unless set
/// with [`RedisStore::with_timeout`]. Connections are opened lazily and
/// pooled (up to 16 idle), so one store serves many threads.
pub struct RedisStore {
    client: redis::Client,
    prefix: String,
    timeout: Duration,
    idle: Mutex<Vec<redis::Connection>>,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the URL: it may carry a password.
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store on the server at `url` (`redis://host:port/db`,
    /// `redis://:password@host`, `unix:///path`…). Does not connect yet.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a URL the client cannot parse.
    pub fn open(url: &str) -> Result<RedisStore, Error> {
        let client = redis::Client::open(url).map_err(|_| Error::InvalidArgument)?;
        Ok(RedisStore { client, prefix: DEFAULT_PREFIX.to_owned(), timeout: DEFAULT_TIMEOUT, idle: Mutex::default() })
    }

    /// The same store with another key prefix (one per application sharing
    /// the server).
    #[must_use]
    pub fn with_prefix(mut self, prefix: &str) -> RedisStore {
        prefix.clone_into(&mut self.prefix);
        self
    }

    /// The same store with another connect/read/write timeout (at least 1 ms).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> RedisStore {
        self.timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// The Redis key of a replay key.
    #[must_use]
    pub fn redis_key(&self, key: &ReplayKey) -> String {
        let hex = key.to_hex();
        let mut name = String::with_capacity(self.prefix.len() + hex.len());
        name.push_str(&self.prefix);
        name.extend(hex.iter().map(|&b| char::from(b)));
        name
    }

    /// Runs `command` on a pooled (or new) connection; any failure drops the
    /// connection and is [`Error::ReplayStoreUnavailable`].
    fn run<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T, Error> {
        let pooled = self.idle.lock().map_err(|_| Error::ReplayStoreUnavailable)?.pop();
        let mut connection = match pooled {
            Some(connection) => connection,
            None => self.connect()?,
        };
        let answer = command.query(&mut connection).map_err(|_| Error::ReplayStoreUnavailable)?;
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < MAX_IDLE
        {
            idle.push(connection);
        }
        Ok(answer)
    }

    fn connect(&self) -> Result<redis::Connection, Error> {
        let unavailable = |_| Error::ReplayStoreUnavailable;
        let connection = self.client.get_connection_with_timeout(self.timeout).map_err(unavailable)?;
        connection.set_read_timeout(Some(self.timeout)).map_err(unavailable)?;
        connection.set_write_timeout(Some(self.timeout)).map_err(unavailable)?;
        Ok(connection)
    }
}

impl ClaimStore for RedisStore {
    fn claim(&self, key: &ReplayKey, ttl_seconds: u64) -> Result<Claim, Error> {
        let ttl_millis = checked_ttl(ttl_seconds)?.saturating_mul(1000);
        let claim = Claim::new(*key)?;
        let mut set = redis::cmd("SET");
        set.arg(self.redis_key(key)).arg(claim.token_hex()).arg("NX").arg("PX").arg(ttl_millis);
        match self.run::<Option<String>>(&set)? {
            Some(ok) if ok == "OK" => Ok(claim),
            Some(_) => Err(Error::ReplayStoreUnavailable),
            None => Err(Error::DuplicateDelivery),
        }
    }

    fn release(&self, claim: &Claim) -> Result<bool, Error> {
        let mut eval = redis::cmd("EVAL");
        eval.arg(RELEASE).arg(1).arg(self.redis_key(&claim.key)).arg(claim.token_hex());
        Ok(self.run::<i64>(&eval)? == 1)
    }
}
