// @ts-check
'use strict'
// `hooksig/web`: webhooks in handlers that take a standard `Request` (Next.js
// App Router route handlers, Hono, undici). Reads the body once, up to a limit.

const { HooksigError } = require('./hooksig.js')
const { DEFAULT_BODY_LIMIT, WebhookError, tooLarge, rawBodyUnavailable, settings, check, release, rejection, errorBody } = require('./adapter.js')

/**
 * Reads a body stream up to `limit` bytes (cancelled beyond: PAYLOAD_TOO_LARGE).
 * @param {ReadableStream<Uint8Array> | null} stream
 * @param {number} limit
 */
async function readLimited(stream, limit) {
  if (!stream) return Buffer.alloc(0)
  const reader = stream.getReader()
  /** @type {Uint8Array[]} */
  const chunks = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, size)
}

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

/** @param {string} url */
function pathAndQuery(url) {
  const { pathname, search } = new URL(url)
  return pathname + search
}

/** @param {{ status: number, code: string }} refused */
function errorResponse({ status, code }) {
  return new Response(errorBody(code), { status, headers: { 'content-type': 'application/json; charset=utf-8' } })
}

/**
 * Verifies with the request's headers, method and path + query and a body read here.
 * @param {ReturnType<typeof settings>} cfg
 * @param {Request} request
 * @param {() => Promise<Buffer>} read
 * @returns {Promise<import('./web').VerifyRequestResult>}
 */
async function verifyWith(cfg, request, read) {
  try {
    const body = await read()
    const { verified, claim } = await check(cfg, request.headers, body, request.method, pathAndQuery(request.url))
    return { verified, body, claim, code: null, response: null }
  } catch (error) {
    const refused = rejection(error)
    if (!refused) throw error
    return { verified: null, body: null, claim: null, code: refused.code, response: errorResponse(refused) }
  }
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

module.exports = { verifyRequest, webhook, DEFAULT_BODY_LIMIT, WebhookError, settings, verifyWith, readLimited, rawBodyUnavailable, tooLarge, release }
