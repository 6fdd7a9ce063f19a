// @ts-check
'use strict'
// `hooksig/express`: a route handler that reads the raw body itself, verifies
// it (and claims it in a replay store), then runs your handler with the
// result and the bytes. It does not load express (it works with node:http too).

const { HooksigError } = require('./hooksig.js')
const { DEFAULT_BODY_LIMIT, WebhookError, tooLarge, rawBodyUnavailable, settings, check, release, rejection, errorBody } = require('./adapter.js')

const RAW = Symbol.for('hooksig.rawBody')

/**
 * The `verify` option of `express.json()` / `express.text()` / `express.urlencoded()`:
 * keeps the exact bytes those parsers read, for a webhook route behind them.
 * @type {typeof import('./express').captureRawBody}
 */
function captureRawBody(req, _res, buf) {
  /** @type {any} */ (req)[RAW] = Buffer.from(buf)
}

/**
 * The raw body: bytes kept by `captureRawBody`, a Buffer left by `express.raw()`,
 * or the stream read here up to `limit`. A stream a parser consumed without
 * keeping the bytes: RAW_BODY_UNAVAILABLE (never re-serialised JSON).
 * @param {import('node:http').IncomingMessage & { body?: unknown, _body?: unknown }} req
 * @param {number} limit
 * @returns {Promise<Buffer>}
 */
function rawBody(req, limit) {
  const kept = /** @type {any} */ (req)[RAW]
  const raw = Buffer.isBuffer(kept) ? kept : req._body === true && Buffer.isBuffer(req.body) ? req.body : null
  if (raw) return raw.length > limit ? Promise.reject(tooLarge()) : Promise.resolve(raw)
  if (req._body === true || req.readableDidRead || req.readableEnded) return Promise.reject(rawBodyUnavailable())
  const declared = Number(req.headers['content-length'])
  if (declared > limit) return Promise.reject(tooLarge())
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted)
    }
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length
      if (size > limit) {
        done()
        req.pause()
        reject(tooLarge())
      } else chunks.push(chunk)
    }
    const onEnd = () => {
      done()
      resolve(Buffer.concat(chunks, size))
    }
    /** @param {Error} error */
    const onError = (error) => {
      done()
      reject(error)
    }
    const onAborted = () => onError(new Error('request aborted'))
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted)
  })
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {{ status: number, code: string }} answer
 */
function answer(res, { status, code }) {
  if (res.headersSent) {
    res.end()
    return
  }
  res.statusCode = status
  res.setHeader('content-type', 'application/json; charset=utf-8')
  // A body left unread (413) must not be taken for the next request on this connection.
  if (status === 413) res.setHeader('connection', 'close')
  res.end(errorBody(code))
}

/** @type {typeof import('./express').webhook} */
function webhook(verifier, handler, options) {
  const cfg = settings(verifier, options)
  if (typeof handler !== 'function') throw new HooksigError('INVALID_ARGUMENT')
  return async function hooksigWebhook(req, res, next) {
    /** @type {import('./webhook').Webhook} */
    let hook
    try {
      const body = await rawBody(req, cfg.limit)
      // The request line as received: Express' originalUrl, node:http's url.
      const pathAndQuery = /** @type {any} */ (req).originalUrl ?? req.url ?? '/'
      const headers = []
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]])
      const { verified, claim } = await check(cfg, /** @type {[string, string][]} */ (headers), body, req.method ?? '', pathAndQuery)
      hook = { verified, body, claim }
    } catch (error) {
      const refused = rejection(error)
      if (refused) return answer(res, refused)
      if (next) return next(error)
      throw error
    }
    try {
      await handler(req, res, hook)
    } catch (error) {
      await release(cfg, hook.claim)
      if (next) return next(error)
      throw error
    }
  }
}

module.exports = { webhook, captureRawBody, DEFAULT_BODY_LIMIT, WebhookError }
