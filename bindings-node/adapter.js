// @ts-check
'use strict'
// What every framework adapter shares (hooksig/express, hooksig/fastify,
// hooksig/web, hooksig/hono): the options, verify-then-claim, the release of
// a claim when the handler fails, and the `{"error": CODE}` answers. It
// loads no framework.

const { HooksigError, DEFAULT_BODY_LIMIT } = require('./hooksig.js')

/** The core's codes for what only an adapter meets: a body over the limit (413), a body consumed before it (500). */
const tooLarge = () => new HooksigError('PAYLOAD_TOO_LARGE')
const rawBodyUnavailable = () => new HooksigError('RAW_BODY_UNAVAILABLE')

/**
 * The adapter's settings, checked once at start-up (INVALID_ARGUMENT otherwise).
 * @param {import('./webhook').Verifier} verifier
 * @param {import('./webhook').WebhookOptions | undefined} options
 */
function settings(verifier, options = {}) {
  const { store, limit = DEFAULT_BODY_LIMIT, retention, now } = options
  const ok =
    typeof verifier?.verify === 'function' &&
    typeof verifier?.wantsHeader === 'function' &&
    typeof verifier?.replayTtl === 'function' &&
    Number.isSafeInteger(limit) &&
    limit >= 0 &&
    (store === undefined || (typeof store?.claim === 'function' && typeof store?.release === 'function')) &&
    (now === undefined || typeof now === 'function')
  if (!ok) throw new HooksigError('INVALID_ARGUMENT')
  if (store !== undefined) verifier.replayTtl(retention) // a bad retention fails now, not per request
  return { verifier, store, limit, retention, now }
}

/**
 * The headers as received that the verifier reads: a plain object (the
 * verifier's one-call path), or name/value pairs once a name repeats (the
 * core then sees every copy, as received).
 * @param {import('./index').Verifier} verifier
 * @param {string[]} raw `rawHeaders`
 * @returns {Record<string, string> | [string, string][]}
 */
function wantedHeaders(verifier, raw) {
  /** @type {Record<string, string>} */
  const picked = {}
  /** @type {[string, string][] | null} */
  let pairs = null
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]
    if (!verifier.wantsHeader(name)) continue
    if (pairs) pairs.push([name, raw[i + 1]])
    else if (Object.hasOwn(picked, name)) pairs = [...Object.entries(picked), [name, raw[i + 1]]]
    else picked[name] = raw[i + 1]
  }
  return pairs ?? picked
}

/**
 * Verifies (a failure never touches the store), then claims the replay key.
 * A store that throws anything but a HooksigError is REPLAY_STORE_UNAVAILABLE.
 * @param {ReturnType<typeof settings>} cfg
 * @param {import('./index').HeadersInput} headers
 * @param {Uint8Array} body
 * @param {string} method
 * @param {string} pathAndQuery
 */
async function check(cfg, headers, body, method, pathAndQuery) {
  /** @type {import('./index').VerifyOptions} */
  const options = { method, pathAndQuery }
  if (cfg.now) options.now = cfg.now()
  const verified = cfg.verifier.verify(headers, body, options)
  if (!cfg.store) return { verified, claim: null }
  try {
    return { verified, claim: await cfg.store.claim(verified.replayKey, cfg.verifier.replayTtl(cfg.retention)) }
  } catch (error) {
    throw error instanceof HooksigError ? error : new HooksigError('REPLAY_STORE_UNAVAILABLE', error)
  }
}

/**
 * Releases a claim after the handler failed, so the sender's retry is processed.
 * A store failure here is not the handler's error: the claim then expires.
 * @param {ReturnType<typeof settings>} cfg
 * @param {import('./replay').Claim | null} claim
 */
async function release(cfg, claim) {
  if (claim && cfg.store) await cfg.store.release(claim).catch(() => false)
}

/**
 * The answer for an error the adapter rejects the request with, or null for
 * anything else (the caller lets it propagate).
 * @param {unknown} error
 * @returns {{ status: number, code: string } | null}
 */
function rejection(error) {
  if (error instanceof HooksigError) return { status: error.httpStatus, code: error.code }
  return null
}

/** @param {string} code */
const errorBody = (code) => JSON.stringify({ error: code })

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

module.exports = {
  DEFAULT_BODY_LIMIT,
  tooLarge,
  rawBodyUnavailable,
  settings,
  check,
  release,
  rejection,
  errorBody,
  wantedHeaders,
  readLimited,
  verifyWith,
}
