// The types the framework adapters share (hooksig/express, hooksig/fastify, hooksig/web, hooksig/hono); their code is adapter.js.
import type { Verified, Verifier } from './index'
import type { Claim, ClaimStore } from './replay'
export type { Verifier }

/** The default most bytes of a body an adapter reads: 1 MiB (1_048_576). */
export declare const DEFAULT_BODY_LIMIT: number

export interface WebhookOptions {
  /** A replay store (`hooksig/replay`): each signed delivery runs the handler once. */
  store?: ClaimStore
  /** Most bytes of body read (default `DEFAULT_BODY_LIMIT`); beyond: 413 PAYLOAD_TOO_LARGE. */
  limit?: number
  /** Seconds a claim is kept when the window cannot bound it (`Verifier#replayTtl`). */
  retention?: number
  /** The clock in Unix seconds (default: the system clock). */
  now?: () => number
}

/** A verified delivery: the result and the exact raw body (parse it yourself). */
export interface Webhook {
  verified: Verified
  body: Buffer
  /** The replay claim (null without a store); the adapter releases it if the handler fails. */
  claim: Claim | null
}
