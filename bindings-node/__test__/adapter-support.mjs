// What the adapter tests share (not a test file): the brief's case list run
// over real HTTP on 127.0.0.1 against any framework's server.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { after, before, describe, test } from 'node:test'

import { Verifier, sign } from 'hooksig'
import { MemoryStore } from 'hooksig/replay'

export const SECRET = 'whsec_adapter_secret'
export const LIMIT = 4096
export const now = () => Math.floor(Date.now() / 1000)
export const verifier = () => new Verifier('stripe', { secrets: SECRET })

/** JSON whose spelling a parse + re-serialise would change: only the raw bytes verify. */
export const odd = (n) => Buffer.from(`{ "n" : ${n},\n  "amount":  1.50, "note": "naïve €"  }`)

export async function listen(server) {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${server.address().port}`
}

export async function post(url, headers, body, contentType = 'application/json') {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body })
  const text = await response.text()
  let json = null
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, json, text }
}

/**
 * What a test app's webhook handler does: records the raw body it got, throws
 * once for a body containing "FAIL", else answers 200 `{ ok, scheme }`.
 */
export function recorder() {
  const seen = []
  let failed = false
  return {
    seen,
    /** Returns what to answer; throws on the first "FAIL" body. */
    handle(webhook) {
      const body = Buffer.from(webhook.body)
      seen.push(body)
      if (body.includes('FAIL') && !failed) {
        failed = true
        throw new Error('handler failed')
      }
      return { ok: true, scheme: webhook.verified.scheme, bytes: body.toString('hex') }
    },
  }
}

/**
 * The case list, for a framework: `start({ verifier, store, limit, rec })`
 * resolves to `{ url, close }` where POST `url` is the webhook route.
 */
export function contract(name, start) {
  describe(`${name}: the adapter contract over HTTP`, () => {
    const rec = recorder()
    const store = new MemoryStore()
    let app
    before(async () => {
      app = await start({ verifier: verifier(), store, limit: LIMIT, rec })
    })
    after(() => app.close())

    test('genuine: 200, the handler ran with the exact raw bytes', async () => {
      const body = odd(1)
      const r = await post(app.url, sign('stripe', SECRET, body, { timestamp: now() }), body)
      assert.equal(r.status, 200, r.text)
      assert.equal(r.json.scheme, 'stripe')
      assert.equal(r.json.bytes, body.toString('hex'))
      assert.deepEqual(rec.seen.at(-1), body)
    })

    test('tampered: 401, handler not run', async () => {
      const seen = rec.seen.length
      const body = odd(2)
      const r = await post(app.url, sign('stripe', SECRET, body, { timestamp: now() }), odd(3))
      assert.equal(r.status, 401)
      assert.deepEqual(r.json, { error: 'SIGNATURE_MISMATCH' })
      assert.equal(rec.seen.length, seen)
    })

    test('stale: 401', async () => {
      const body = odd(4)
      const r = await post(app.url, sign('stripe', SECRET, body, { timestamp: now() - 3600 }), body)
      assert.equal(r.status, 401)
      assert.deepEqual(r.json, { error: 'TIMESTAMP_TOO_OLD' })
    })

    test('no signature: 400, the answer never echoes input', async () => {
      const r = await post(app.url, { 'stripe-signature': 'secret-looking<script>' }, odd(5))
      assert.equal(r.status, 400)
      assert.deepEqual(Object.keys(r.json), ['error'])
      assert.doesNotMatch(r.text, /script/)
    })

    test('too large: 413 PAYLOAD_TOO_LARGE, handler not run', async () => {
      const seen = rec.seen.length
      const body = Buffer.alloc(LIMIT + 1, 'a')
      const r = await post(app.url, sign('stripe', SECRET, body, { timestamp: now() }), body, 'application/octet-stream')
      assert.equal(r.status, 413)
      assert.deepEqual(r.json, { error: 'PAYLOAD_TOO_LARGE' })
      assert.equal(rec.seen.length, seen)
    })

    test('exactly the limit is read', async () => {
      const body = Buffer.alloc(LIMIT, 'b')
      const r = await post(app.url, sign('stripe', SECRET, body, { timestamp: now() }), body, 'application/octet-stream')
      assert.equal(r.status, 200, r.text)
    })

    test('duplicate with the store: 200 DUPLICATE_DELIVERY, handler not run again', async () => {
      const body = odd(6)
      const headers = sign('stripe', SECRET, body, { timestamp: now() })
      assert.equal((await post(app.url, headers, body)).status, 200)
      const seen = rec.seen.length
      const again = await post(app.url, headers, body)
      assert.equal(again.status, 200)
      assert.deepEqual(again.json, { error: 'DUPLICATE_DELIVERY' })
      assert.equal(rec.seen.length, seen)
    })

    test('handler throws: an error status, the claim is released, the retry is accepted', async () => {
      const body = Buffer.from('{"FAIL": true}')
      const headers = sign('stripe', SECRET, body, { timestamp: now() })
      const first = await post(app.url, headers, body)
      assert.equal(first.status, 500)
      const retry = await post(app.url, headers, body)
      assert.equal(retry.status, 200, retry.text)
      assert.equal(retry.json.ok, true)
      assert.deepEqual((await post(app.url, headers, body)).json, { error: 'DUPLICATE_DELIVERY' })
    })
  })
}

/** The request line reaches verify: UnknownPay S2S signs method + path with query. */
export function requestLine(name, start) {
  describe(`${name}: the request line as received is verified`, () => {
    const rec = recorder()
    const s2s = new Verifier('unknownpay-s2s', { secrets: SECRET })
    let app
    before(async () => {
      app = await start({ verifier: s2s, limit: LIMIT, rec })
    })
    after(() => app.close())

    const signed = (pathAndQuery, body) =>
      sign('unknownpay-s2s', SECRET, body, { timestamp: now(), id: 'idem-1', keyId: 'key-1', method: 'POST', pathAndQuery })

    test('signed for this path and query: 200', async () => {
      const body = odd(7)
      const { pathname } = new URL(app.url)
      const r = await post(`${app.url}?a=1&b=%20`, signed(`${pathname}?a=1&b=%20`, body), body)
      assert.equal(r.status, 200, r.text)
    })

    test('signed for another query: 401', async () => {
      const body = odd(8)
      const { pathname } = new URL(app.url)
      const r = await post(`${app.url}?a=2`, signed(`${pathname}?a=1`, body), body)
      assert.equal(r.status, 401, r.text)
    })
  })
}
