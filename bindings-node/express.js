// @ts-check
'use strict'
// `hooksig/express`: a route handler that reads the raw body itself, verifies
// it (and claims it in a replay store), then runs your handler with the
// result and the bytes. It does not load express (it works with node:http too).

const { IncomingMessage } = require('node:http')
const { HooksigError } = require('./hooksig.js')
const { DEFAULT_BODY_LIMIT, tooLarge, rawBodyUnavailable, settings, check, release, rejection, errorBody, wantedHeaders } = require('./adapter.js')

const RAW = Symbol.for('hooksig.rawBody')

/**
 * The `verify` option of `express.json()` / `express.text()` / `express.urlencoded()`:
 * keeps the exact bytes those parsers read, for a webhook route behind them.
 * Not needed since the tap below; kept for apps that pass it.
 * @type {typeof import('./express').captureRawBody}
 */
function captureRawBody(req, _res, buf) {
  /** @type {any} */ (req)[RAW] = Buffer.from(buf)
}

// The tap: a body parser installed in front of the webhook route (a global
// `express.json()`) reads the stream and keeps only what it parsed. So, once
// a `webhook` keeping raw bodies exists, every request's body chunks are seen
// as Node's HTTP parser pushes them into the request (`IncomingMessage#push`),
// and a request carrying a header one of those webhooks' verifiers reads (the
// core's `wantsHeader`: the signature headers) keeps a reference to each
// chunk, up to the largest limit. Any other request costs one header scan.
const TAP = Symbol('hooksig.tap')
/** @type {Set<import('./index').Verifier>} the verifiers of the webhooks that keep raw bodies */
const tapped = new Set()
let tapLimit = 0

/**
 * A signed request's body as received: `open` while chunks arrive, `ended`
 * when whole, `over` past the limit (chunks dropped), `dropped` when the
 * adapter reads the stream itself. null: a request with none of the headers.
 * @typedef {{ chunks: Buffer[], size: number, state: 'open' | 'ended' | 'over' | 'dropped' }} Tap
 * @typedef {IncomingMessage & { body?: unknown, _body?: unknown, [TAP]?: Tap | null }} Req
 */

/** @param {import('./index').Verifier} verifier @param {number} limit */
function keepRawBodies(verifier, limit) {
  if (tapped.size === 0) {
    const push = IncomingMessage.prototype.push
    /** @this {Req} @param {any} chunk @param {BufferEncoding} [encoding] */
    IncomingMessage.prototype.push = function hooksigTap(chunk, encoding) {
      let tap = this[TAP]
      if (tap === undefined) tap = this[TAP] = signed(this) ? { chunks: [], size: 0, state: 'open' } : null
      if (tap !== null && tap.state === 'open') {
        if (chunk === null) tap.state = 'ended'
        else {
          const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding)
          tap.size += bytes.length
          if (tap.size > tapLimit) {
            tap.state = 'over'
            tap.chunks = []
          } else tap.chunks.push(bytes)
        }
      }
      return push.call(this, chunk, encoding)
    }
  }
  tapped.add(verifier)
  tapLimit = Math.max(tapLimit, limit)
}

/** @param {IncomingMessage} req */
function signed(req) {
  const raw = req.rawHeaders
  for (const verifier of tapped) for (let i = 0; i < raw.length; i += 2) if (verifier.wantsHeader(raw[i])) return true
  return false
}

/**
 * The raw body: bytes kept by `captureRawBody`, a Buffer left by `express.raw()`,
 * bytes the tap kept while a parser in front read the stream, or the stream
 * read here up to `limit`. A stream consumed with none of these:
 * RAW_BODY_UNAVAILABLE (never re-serialised JSON), unless the request has
 * none of the verifier's headers: then no body can verify, and the core names
 * the missing header.
 * @param {Req} req
 * @param {number} limit
 * @param {boolean} keep whether the tap covers this webhook's verifier
 * @param {boolean} unsigned whether the request has none of the verifier's headers
 * @returns {Promise<Buffer>}
 */
function rawBody(req, limit, keep, unsigned) {
  const kept = /** @type {any} */ (req)[RAW]
  const tap = keep ? req[TAP] : undefined
  const consumed = req._body === true || req.readableDidRead || req.readableEnded
  let raw = Buffer.isBuffer(kept) ? kept : req._body === true && Buffer.isBuffer(req.body) ? req.body : null
  if (!raw && consumed && tap?.state === 'over') return Promise.reject(tooLarge())
  if (!raw && consumed && tap?.state === 'ended') raw = Buffer.concat(tap.chunks, tap.size)
  if (raw) return raw.length > limit ? Promise.reject(tooLarge()) : Promise.resolve(raw)
  if (consumed) return unsigned ? Promise.resolve(Buffer.alloc(0)) : Promise.reject(rawBodyUnavailable())
  // Read here: the tap's copy is not needed.
  if (req[TAP]) Object.assign(req[TAP], { chunks: [], state: 'dropped' })
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
  const keep = options?.keepRawBody ?? true
  if (typeof handler !== 'function' || typeof keep !== 'boolean') throw new HooksigError('INVALID_ARGUMENT')
  if (keep) keepRawBodies(verifier, cfg.limit)
  return async function hooksigWebhook(req, res, next) {
    /** @type {import('./webhook').Webhook} */
    let hook
    try {
      const headers = wantedHeaders(verifier, req.rawHeaders)
      const body = await rawBody(req, cfg.limit, keep, Object.keys(headers).length === 0)
      // The request line as received: Express' originalUrl, node:http's url.
      const pathAndQuery = /** @type {any} */ (req).originalUrl ?? req.url ?? '/'
      const { verified, claim } = await check(cfg, headers, body, req.method ?? '', pathAndQuery)
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

module.exports = { webhook, captureRawBody, DEFAULT_BODY_LIMIT }
