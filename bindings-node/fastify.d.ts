// `hooksig/fastify`: a plugin declaring one webhook route with a raw body parser scoped to it.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import type { Verifier } from './index'
import type { Webhook, WebhookOptions } from './webhook'
export { DEFAULT_BODY_LIMIT, type Webhook, type WebhookOptions } from './webhook'

export interface HooksigWebhookOptions extends WebhookOptions {
  verifier: Verifier
  /** The route's path (inside the plugin's prefix, if registered with one). */
  url: string
  /** Default 'POST'. */
  method?: HTTPMethods | HTTPMethods[]
  /** Runs after verification with the exact raw body; if it throws, the claim is released. */
  handler: (request: FastifyRequest, reply: FastifyReply, webhook: Webhook) => unknown
}

/**
 * `app.register(hooksigWebhook, { verifier, url, handler, store?, limit? })`. Rejections answer
 * `{"error": CODE}`: 400/401/500, 200 DUPLICATE_DELIVERY (handler not run), 503
 * REPLAY_STORE_UNAVAILABLE, 413 PAYLOAD_TOO_LARGE.
 */
export declare const hooksigWebhook: FastifyPluginAsync<HooksigWebhookOptions>
export default hooksigWebhook
