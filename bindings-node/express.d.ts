// `hooksig/express`: verify a webhook in an Express (or node:http) route. Loads no framework.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Verifier } from './index'
import type { Webhook, WebhookOptions } from './webhook'
export { DEFAULT_BODY_LIMIT, type Webhook, type WebhookOptions } from './webhook'

/**
 * A route handler: reads the raw body (up to `limit`), verifies it with the
 * request line, claims it in `store`, then calls `handler(req, res, webhook)`.
 * Rejections are answered `{"error": CODE}`: the error's status (400/401/500),
 * 200 DUPLICATE_DELIVERY (handler not run), 503 REPLAY_STORE_UNAVAILABLE,
 * 413 PAYLOAD_TOO_LARGE, 500 RAW_BODY_UNAVAILABLE (a body parser in front
 * consumed the body and no raw copy exists: `keepRawBody: false`, or a
 * request that did not come through Node's HTTP parser). If the handler
 * throws or rejects, the claim is released and the error goes to `next`.
 */
export declare function webhook<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  verifier: Verifier,
  handler: (req: Req, res: Res, webhook: Webhook) => unknown,
  options?: ExpressWebhookOptions,
): (req: Req, res: Res, next?: (error?: unknown) => void) => Promise<void>

export interface ExpressWebhookOptions extends WebhookOptions {
  /**
   * Keep the raw bytes of requests carrying this verifier's headers as Node
   * receives them, so a body parser installed in front (a global
   * `express.json()`) does not lose them (default true). With false, such a
   * parser in front means 500 RAW_BODY_UNAVAILABLE.
   */
  keepRawBody?: boolean
}

/** The `verify` option for `express.json()` (and text/urlencoded): keeps the raw bytes for `webhook` (not needed with `keepRawBody`). */
export declare function captureRawBody(req: IncomingMessage, res: ServerResponse, buf: Buffer, encoding?: string): void
