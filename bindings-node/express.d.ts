// `hooksig/express`: verify a webhook in an Express (or node:http) route. Loads no framework.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Verifier } from './index'
import type { Webhook, WebhookOptions } from './webhook'
export { DEFAULT_BODY_LIMIT, WebhookError, type Webhook, type WebhookOptions } from './webhook'

/**
 * A route handler: reads the raw body (up to `limit`), verifies it with the
 * request line, claims it in `store`, then calls `handler(req, res, webhook)`.
 * Rejections are answered `{"error": CODE}`: the error's status (400/401/500),
 * 200 DUPLICATE_DELIVERY (handler not run), 503 REPLAY_STORE_UNAVAILABLE,
 * 413 PAYLOAD_TOO_LARGE, 500 RAW_BODY_UNAVAILABLE (a body parser in front
 * consumed the body without `captureRawBody`). If the handler throws or
 * rejects, the claim is released and the error goes to `next`.
 */
export declare function webhook<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  verifier: Verifier,
  handler: (req: Req, res: Res, webhook: Webhook) => unknown,
  options?: WebhookOptions,
): (req: Req, res: Res, next?: (error?: unknown) => void) => Promise<void>

/** The `verify` option for `express.json()` (and text/urlencoded): keeps the raw bytes for `webhook`. */
export declare function captureRawBody(req: IncomingMessage, res: ServerResponse, buf: Buffer, encoding?: string): void
