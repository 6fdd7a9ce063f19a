// `hooksig/replay`: claim stores, so that each signed delivery is processed once.
import type { BodyInput, HeadersInput, Verified, Verifier, VerifyOptions } from './index'
export { DEFAULT_STORE_CAPACITY, REPLAY_STORE_PREFIX } from './index'

/** A successful claim: the replay key and a token only this claim holds. */
export interface Claim {
  readonly replayKey: string
  readonly token: string
}

/** Where replay keys are claimed: `claim` is atomic and fails closed. */
export interface ClaimStore {
  /**
   * Claims `replayKey` (64 hex digits) for `ttlSeconds` (a whole number ≥ 1).
   * Rejects with a HooksigError: DUPLICATE_DELIVERY if an unexpired claim
   * exists, REPLAY_STORE_UNAVAILABLE if the store cannot answer.
   */
  claim(replayKey: string, ttlSeconds: number): Promise<Claim>
  /** Undoes `claim` while the key still holds its token (false: expired or replaced). */
  release(claim: Claim): Promise<boolean>
}

export interface MemoryStoreOptions {
  /** Most unexpired claims held (default `DEFAULT_STORE_CAPACITY`); a full store refuses new claims. */
  capacity?: number
  /** The store's clock in milliseconds, monotonic (default `performance.now`). */
  now?: () => number
}

/** An in-process store: one process, bounded, no server. */
export declare class MemoryStore implements ClaimStore {
  constructor(options?: MemoryStoreOptions)
  /** How many unexpired claims it holds. */
  readonly size: number
  claim(replayKey: string, ttlSeconds: number): Promise<Claim>
  release(claim: Claim): Promise<boolean>
}

/** The commands a RedisStore sends: an `ioredis` client has them. */
export interface RedisClient {
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<string | null>
  eval(script: string, numKeys: number, key: string, token: string): Promise<unknown>
  disconnect?(): void
}

export interface RedisStoreOptions {
  /** Key prefix (default `REPLAY_STORE_PREFIX`, shared with every hooksig language). */
  prefix?: string
  /** Connect and command timeout in milliseconds (default 1000). */
  timeout?: number
}

/** A store in Redis shared by every process: `SET key token NX PX ttl`, compare-and-delete release. */
export declare class RedisStore implements ClaimStore {
  /** A `redis://` URL (an `ioredis` client is made; `ioredis` must be installed) or your client. */
  constructor(urlOrClient: string | RedisClient, options?: RedisStoreOptions)
  /** The Redis key of a replay key: prefix + hex. */
  redisKey(replayKey: string): string
  claim(replayKey: string, ttlSeconds: number): Promise<Claim>
  release(claim: Claim): Promise<boolean>
  /** Disconnects a client this store made from a URL. */
  close(): Promise<void>
}

export interface VerifyOnceOptions extends VerifyOptions {
  /** Seconds to keep a claim when the window cannot bound it (default `DEFAULT_RETENTION`). */
  retention?: number
}

/**
 * Verifies, then claims `verified.replayKey` for `verifier.replayTtl(retention)`.
 * Rejects with the verify error, or DUPLICATE_DELIVERY (answer 200, skip the
 * handler) or REPLAY_STORE_UNAVAILABLE (answer 503).
 */
export declare function verifyOnce(
  verifier: Verifier,
  store: ClaimStore,
  headers: HeadersInput,
  body: BodyInput,
  options?: VerifyOnceOptions,
): Promise<{ verified: Verified; claim: Claim }>
