// `hooksig/web`: webhooks in handlers that take a standard `Request` (Next.js App Router, undici).
import type { Verified, Verifier } from './index'
import type { Claim } from './replay'
import type { Webhook, WebhookOptions } from './webhook'
export { DEFAULT_BODY_LIMIT, type Webhook, type WebhookOptions } from './webhook'

export type VerifyRequestResult =
  | { verified: Verified; body: Buffer; claim: Claim | null; code: null; response: null }
  /** Rejected: `response` is the answer to return (`{"error": code}` with its status). */
  | { verified: null; body: null; claim: null; code: string; response: Response }

/**
 * Reads the request's body once (up to `options.limit`, default 1 MiB), verifies it with the
 * request line and claims it in `options.store`. Never rejects for a bad delivery: check
 * `verified` and return `response` when it is null. With a store, if your handling fails,
 * `options.store.release(claim)` (or use `webhook`, which does).
 */
export declare function verifyRequest(request: Request, verifier: Verifier, options?: WebhookOptions): Promise<VerifyRequestResult>

/**
 * A route handler (`export const POST = webhook(verifier, handler)`): rejections are answered
 * for the handler; if the handler throws, the claim is released and the error propagates.
 */
export declare function webhook<Rest extends unknown[]>(
  verifier: Verifier,
  handler: (request: Request, webhook: Webhook, ...rest: Rest) => Response | Promise<Response>,
  options?: WebhookOptions,
): (request: Request, ...rest: Rest) => Promise<Response>
