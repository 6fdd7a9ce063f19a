// `hooksig/hono`: a Hono middleware (over hooksig/web). `c.get('hooksig')` is the verified webhook.
import type { MiddlewareHandler } from 'hono'
import type { Verifier } from './index'
import type { Webhook, WebhookOptions } from './webhook'
export { DEFAULT_BODY_LIMIT, type Webhook, type WebhookOptions } from './webhook'

export type HooksigEnv = { Variables: { hooksig: Webhook } }

/**
 * Reads the raw body (up to `limit`), verifies it with the request line and claims it in `store`;
 * rejections answer `{"error": CODE}` and skip the handler. If the handler throws, the claim is
 * released. An earlier `c.req.json()`/`text()` leaves no exact bytes: 500 RAW_BODY_UNAVAILABLE.
 */
export declare function hooksig(verifier: Verifier, options?: WebhookOptions): MiddlewareHandler<HooksigEnv>
