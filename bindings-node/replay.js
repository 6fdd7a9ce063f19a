// @ts-check
'use strict'
// `hooksig/replay`: process each signed delivery once. A store claims a
// verified delivery's `replayKey` atomically; a second claim is
// DUPLICATE_DELIVERY, a store that cannot answer REPLAY_STORE_UNAVAILABLE
// (never an acceptance). The same contract as the Rust crate hooksig-replay.
// `require('hooksig')` never loads this file, nor this file a Redis client
// until a RedisStore is made from a URL.

const { randomBytes } = require('node:crypto')
const { HooksigError, REPLAY_STORE_PREFIX, DEFAULT_STORE_CAPACITY } = require('./hooksig.js')

/** @typedef {import('./replay').Claim} Claim */

const KEY = /^[0-9a-f]{64}$/
/** Compare-and-delete: a release deletes the key only while it holds the releasing claim's token. */
const RELEASE = "if redis.call('get',KEYS[1])==ARGV[1] then return redis.call('del',KEYS[1]) else return 0 end"

/**
 * A claim's arguments, checked: a replay key's hex and a TTL in whole seconds (≥ 1, in ms a safe integer).
 * @param {unknown} key @param {unknown} ttl
 */
function checked(key, ttl) {
  const ms = typeof ttl === 'number' ? ttl * 1000 : NaN
  if (typeof key !== 'string' || !KEY.test(key) || !Number.isInteger(ttl) || ms < 1000 || !Number.isSafeInteger(ms)) {
    throw new HooksigError('INVALID_ARGUMENT')
  }
  return ms
}

/** @param {unknown} claim @returns {Claim} */
function claimOf(claim) {
  const c = /** @type {any} */ (claim)
  if (typeof c !== 'object' || c === null || typeof c.replayKey !== 'string' || typeof c.token !== 'string') {
    throw new HooksigError('INVALID_ARGUMENT')
  }
  return c
}

/** A min-heap of `[expires, seq, key]`, by expiry then age. */
class Expiries {
  /** @type {Array<[number, number, string]>} */
  items = []
  /** @param {[number, number, string]} item */
  push(item) {
    const a = this.items
    let i = a.push(item) - 1
    while (i > 0) {
      const up = (i - 1) >> 1
      if (!Expiries.less(a[i], a[up])) break
      ;[a[i], a[up]] = [a[up], a[i]]
      i = up
    }
  }
  pop() {
    const a = this.items
    const top = a[0]
    const last = /** @type {[number, number, string]} */ (a.pop())
    if (a.length === 0) return top
    a[0] = last
    for (let i = 0; ; ) {
      const l = 2 * i + 1
      const m = l + 1 < a.length && Expiries.less(a[l + 1], a[l]) ? l + 1 : l
      if (m >= a.length || !Expiries.less(a[m], a[i])) return top
      ;[a[i], a[m]] = [a[m], a[i]]
      i = m
    }
  }
  /** @param {[number, number, string]} x @param {[number, number, string]} y */
  static less(x, y) {
    return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1])
  }
}

/**
 * An in-process store: one process, no server. Bounded: at most `capacity`
 * unexpired claims (default `DEFAULT_STORE_CAPACITY`); when full of
 * unexpired claims it refuses a new one (REPLAY_STORE_UNAVAILABLE) rather
 * than forget one. Claims expire by `now()` (milliseconds, monotonic;
 * default `performance.now`), not by the delivery's clock.
 */
class MemoryStore {
  /** @type {Map<string, { expires: number, seq: number }>} */
  #claims = new Map()
  #expiries = new Expiries()
  #seq = 0
  #capacity
  #now

  /** @param {import('./replay').MemoryStoreOptions} [options] */
  constructor(options = {}) {
    const { capacity = DEFAULT_STORE_CAPACITY, now = () => performance.now() } = options
    if (!Number.isSafeInteger(capacity) || capacity < 0 || typeof now !== 'function') throw new HooksigError('INVALID_ARGUMENT')
    this.#capacity = capacity
    this.#now = now
  }

  /** How many unexpired claims it holds. */
  get size() {
    this.#dropExpired(this.#now())
    return this.#claims.size
  }

  /** @param {number} now */
  #dropExpired(now) {
    const heap = this.#expiries
    while (heap.items.length > 0 && heap.items[0][0] <= now) {
      const [, seq, key] = /** @type {[number, number, string]} */ (heap.pop())
      if (this.#claims.get(key)?.seq === seq) this.#claims.delete(key)
    }
  }

  /** @type {import('./replay').ClaimStore['claim']} */
  async claim(replayKey, ttlSeconds) {
    const ms = checked(replayKey, ttlSeconds)
    const now = this.#now()
    this.#dropExpired(now)
    if (this.#claims.has(replayKey)) throw new HooksigError('DUPLICATE_DELIVERY')
    if (this.#claims.size >= this.#capacity) throw new HooksigError('REPLAY_STORE_UNAVAILABLE')
    const seq = this.#seq++
    const expires = now + ms
    this.#claims.set(replayKey, { expires, seq })
    // Released claims leave their expiry behind: rebuild when those outnumber the live ones.
    if (this.#expiries.items.length > 2 * this.#claims.size + 64) this.#rebuild()
    this.#expiries.push([expires, seq, replayKey])
    return { replayKey, token: String(seq) }
  }

  #rebuild() {
    this.#expiries = new Expiries()
    for (const [key, { expires, seq }] of this.#claims) this.#expiries.push([expires, seq, key])
  }

  /** @type {import('./replay').ClaimStore['release']} */
  async release(claim) {
    const { replayKey, token } = claimOf(claim)
    const held = this.#claims.get(replayKey)
    if (held === undefined || String(held.seq) !== token) return false
    this.#claims.delete(replayKey)
    return true
  }
}

/**
 * A store in Redis, shared by every process using the same server, prefix
 * and verifier secrets: `SET <prefix><key> <token> NX PX <ttl ms>`; release
 * is a compare-and-delete on the token. Every connection error, timeout
 * (default 1 s) or error reply is REPLAY_STORE_UNAVAILABLE.
 */
class RedisStore {
  /** @type {import('./replay').RedisClient} */
  #client
  #own
  #prefix
  #timeout

  /**
   * @param {string | import('./replay').RedisClient} urlOrClient
   * @param {import('./replay').RedisStoreOptions} [options]
   */
  constructor(urlOrClient, options = {}) {
    const { prefix = REPLAY_STORE_PREFIX, timeout = 1000 } = options
    if (typeof prefix !== 'string' || !(Number.isFinite(timeout) && timeout > 0)) throw new HooksigError('INVALID_ARGUMENT')
    this.#prefix = prefix
    this.#timeout = timeout
    this.#own = typeof urlOrClient === 'string'
    if (typeof urlOrClient === 'string') {
      const { Redis } = require('ioredis')
      let client
      try {
        client = new Redis(urlOrClient, {
          connectTimeout: timeout,
          commandTimeout: timeout,
          // A command waits for a connection at most until the next failed attempt, then fails.
          maxRetriesPerRequest: 0,
          retryStrategy: (/** @type {number} */ times) => Math.min(times * 50, 1000),
        })
      } catch (error) {
        throw new HooksigError('INVALID_ARGUMENT', error)
      }
      // Failures reach the caller as REPLAY_STORE_UNAVAILABLE; no unhandled 'error' events.
      client.on('error', () => {})
      this.#client = client
    } else if (typeof urlOrClient?.set === 'function' && typeof urlOrClient?.eval === 'function') {
      this.#client = urlOrClient
    } else {
      throw new HooksigError('INVALID_ARGUMENT')
    }
  }

  /** @param {string} replayKey */
  redisKey(replayKey) {
    return this.#prefix + replayKey
  }

  /**
   * Runs one command: any rejection, or no answer within the timeout, is REPLAY_STORE_UNAVAILABLE.
   * @template T
   * @param {() => Promise<T>} command
   * @returns {Promise<T>}
   */
  async #run(command) {
    /** @type {NodeJS.Timeout | undefined} */
    let timer
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis: no answer in time')), this.#timeout)
    })
    try {
      return /** @type {T} */ (await Promise.race([command(), late]))
    } catch (error) {
      throw new HooksigError('REPLAY_STORE_UNAVAILABLE', error)
    } finally {
      clearTimeout(timer)
    }
  }

  /** @type {import('./replay').ClaimStore['claim']} */
  async claim(replayKey, ttlSeconds) {
    const ms = checked(replayKey, ttlSeconds)
    const token = randomBytes(16).toString('hex')
    const answer = await this.#run(() => this.#client.set(this.redisKey(replayKey), token, 'PX', ms, 'NX'))
    if (answer === null) throw new HooksigError('DUPLICATE_DELIVERY')
    if (answer !== 'OK') throw new HooksigError('REPLAY_STORE_UNAVAILABLE')
    return { replayKey, token }
  }

  /** @type {import('./replay').ClaimStore['release']} */
  async release(claim) {
    const { replayKey, token } = claimOf(claim)
    const deleted = await this.#run(() => this.#client.eval(RELEASE, 1, this.redisKey(replayKey), token))
    return deleted === 1
  }

  /** Closes the connection this store opened from a URL (a client passed in is the caller's). */
  async close() {
    if (this.#own) this.#client.disconnect?.()
  }
}

/**
 * Verifies a delivery (a failed one never reaches the store), then claims
 * its `replayKey` for `verifier.replayTtl(options.retention)` seconds.
 * Run the handler on success; if it fails, `store.release(claim)` so the
 * sender's retry is processed.
 * @type {typeof import('./replay').verifyOnce}
 */
async function verifyOnce(verifier, store, headers, body, options) {
  const verified = verifier.verify(headers, body, options)
  const claim = await store.claim(verified.replayKey, verifier.replayTtl(options?.retention))
  return { verified, claim }
}

module.exports = { MemoryStore, RedisStore, verifyOnce, REPLAY_STORE_PREFIX, DEFAULT_STORE_CAPACITY }
