// @ts-check
'use strict'
// `hooksig/web`: webhooks in handlers that take a standard `Request` (Next.js
// App Router route handlers, Hono, undici). Reads the body once, up to a limit.

const { HooksigError } = require('./hooksig.js')
const { DEFAULT_BODY_LIMIT, tooLarge, rawBodyUnavailable, settings, release, readLimited, verifyWith } = require('./adapter.js')

/**
 * The raw body of a Request, read once (RAW_BODY_UNAVAILABLE if already read).
 * @param {Request} request
 * @param {number} limit
 */
async function requestBody(request, limit) {
  if (Number(request.headers.get('content-length')) > limit) throw tooLarge()
  if (request.bodyUsed) throw rawBodyUnavailable()
  return readLimited(request.body, limit)
}

/** @type {typeof import('./web').verifyRequest} */
function verifyRequest(request, verifier, options) {
  const cfg = settings(verifier, options)
  return verifyWith(cfg, request, () => requestBody(request, cfg.limit))
}

/** @type {typeof import('./web').webhook} */
function webhook(verifier, handler, options) {
  const cfg = settings(verifier, options)
  if (typeof handler !== 'function') throw new HooksigError('INVALID_ARGUMENT')
  return async (request, ...rest) => {
    const result = await verifyWith(cfg, request, () => requestBody(request, cfg.limit))
    if (result.response) return result.response
    try {
      return await handler(request, result, ...rest)
    } catch (error) {
      await release(cfg, result.claim)
      throw error
    }
  }
}

module.exports = { verifyRequest, webhook, DEFAULT_BODY_LIMIT }
