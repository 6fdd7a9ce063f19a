// @ts-check
'use strict'
// `hooksig/hono`: a Hono middleware over `hooksig/web`. It does not load hono.

const { settings, verifyWith, readLimited, rawBodyUnavailable, tooLarge, release, DEFAULT_BODY_LIMIT } = require('./adapter.js')

/** @type {typeof import('./hono').hooksig} */
function hooksig(verifier, options) {
  const cfg = settings(verifier, options)
  return async (c, next) => {
    const req = /** @type {any} */ (c.req)
    /** @type {Record<string, Promise<any> | undefined>} */
    const cache = req.bodyCache ?? {}
    const read = async () => {
      if (Number(c.req.raw.headers.get('content-length')) > cfg.limit) throw tooLarge()
      // Bytes an earlier middleware read as an ArrayBuffer are exact; text or JSON are not.
      if (cache.arrayBuffer) return Buffer.from(await cache.arrayBuffer)
      if (c.req.raw.bodyUsed || Object.keys(cache).length > 0) throw rawBodyUnavailable()
      const body = await readLimited(c.req.raw.body, cfg.limit)
      // c.req.json()/text() after this parse these exact bytes.
      cache.arrayBuffer = Promise.resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength))
      return body
    }
    const result = await verifyWith(cfg, c.req.raw, read)
    if (result.response) return result.response
    c.set('hooksig', { verified: result.verified, body: result.body, claim: result.claim })
    try {
      await next()
    } catch (error) {
      await release(cfg, result.claim)
      throw error
    }
    // Hono's compose hands a handler's error to onError and records it on the context.
    if (/** @type {unknown} */ (c.error)) await release(cfg, result.claim)
  }
}

module.exports = { hooksig, DEFAULT_BODY_LIMIT }
