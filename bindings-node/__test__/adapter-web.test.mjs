// hooksig/web: a Next.js-style route handler called with undici Requests, and
// hooksig/hono on a real Hono app served by @hono/node-server on 127.0.0.1.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'

import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { sign } from 'hooksig'
import { hooksig } from 'hooksig/hono'
import { MemoryStore } from 'hooksig/replay'
import { verifyRequest, webhook } from 'hooksig/web'
// Node's global Request is undici's (no separate package needed).

import { LIMIT, SECRET, contract, now, odd, post, recorder, requestLine, verifier } from './adapter-support.mjs'

/** A Hono app with a global middleware in front (`before`) and the webhook route. */
async function startHono({ verifier, store, limit, rec }, before = async (c, next) => next()) {
  const app = new Hono()
  app.use(before)
  app.post('/webhooks/stripe', hooksig(verifier, { store, limit }), (c) => c.json(rec.handle(c.get('hooksig'))))
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((resolve) => server.once('listening', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/webhooks/stripe`, close: () => server.close() }
}

contract('hono middleware', startHono)
requestLine('hono', startHono)

describe('hono: the body is verified as received', () => {
  const rec = recorder()
  let parsedFirst
  let bytesFirst
  before(async () => {
    parsedFirst = await startHono({ verifier: verifier(), limit: LIMIT, rec }, async (c, next) => {
      await c.req.json().catch(() => null)
      await next()
    })
    bytesFirst = await startHono({ verifier: verifier(), limit: LIMIT, rec }, async (c, next) => {
      await c.req.arrayBuffer()
      await next()
    })
  })
  after(() => {
    parsedFirst.close()
    bytesFirst.close()
  })

  test('a middleware that parsed JSON first: 500 RAW_BODY_UNAVAILABLE, never the re-serialised JSON', async () => {
    const body = odd(12)
    const r = await post(parsedFirst.url, sign('stripe', SECRET, body, { timestamp: now() }), body)
    assert.equal(r.status, 500)
    assert.deepEqual(r.json, { error: 'RAW_BODY_UNAVAILABLE' })
  })

  test('a middleware that read the bytes first: its exact bytes are verified', async () => {
    const body = odd(13)
    const r = await post(bytesFirst.url, sign('stripe', SECRET, body, { timestamp: now() }), body)
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(rec.seen.at(-1), body)
  })
})

/** A Next.js App Router route (`export const POST = …`), driven like Next drives it: with a Request. */
function nextRoute({ verifier, store, limit, rec }) {
  return webhook(verifier, (request, hook) => Response.json(rec.handle(hook)), { store, limit })
}

/** Calls a route handler with an undici Request; the answer as `post` gives it. */
async function call(route, url, headers, body, contentType = 'application/json') {
  const request = new Request(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body, duplex: 'half' })
  let response
  try {
    response = await route(request)
  } catch {
    return { status: 500, json: null, text: '' }
  }
  const text = await response.text()
  return { status: response.status, json: JSON.parse(text), text }
}

describe('web: a Next.js-style route handler with undici Requests', () => {
  const rec = recorder()
  const store = new MemoryStore()
  const route = nextRoute({ verifier: verifier(), store, limit: LIMIT, rec })
  const url = 'https://example.test/api/webhooks/stripe'

  test('genuine: 200 with the raw bytes; tampered 401; stale 401', async () => {
    const body = odd(14)
    const ok = await call(route, url, sign('stripe', SECRET, body, { timestamp: now() }), body)
    assert.equal(ok.status, 200, ok.text)
    assert.equal(ok.json.bytes, body.toString('hex'))
    const tampered = await call(route, url, sign('stripe', SECRET, body, { timestamp: now() }), odd(15))
    assert.deepEqual([tampered.status, tampered.json], [401, { error: 'SIGNATURE_MISMATCH' }])
    const stale = await call(route, url, sign('stripe', SECRET, body, { timestamp: now() - 3600 }), body)
    assert.deepEqual([stale.status, stale.json], [401, { error: 'TIMESTAMP_TOO_OLD' }])
  })

  test('too large, without a Content-Length (a stream): 413, the stream cancelled', async () => {
    const big = Buffer.alloc(LIMIT + 1, 'c')
    let pulled = 0
    const stream = new ReadableStream({
      pull(controller) {
        if (pulled >= big.length * 4) return controller.close()
        controller.enqueue(big.subarray(0, 1024))
        pulled += 1024
      },
    })
    const r = await call(route, url, sign('stripe', SECRET, big, { timestamp: now() }), stream, 'application/octet-stream')
    assert.deepEqual([r.status, r.json], [413, { error: 'PAYLOAD_TOO_LARGE' }])
    assert.ok(pulled < big.length * 4)
  })

  test('duplicate: 200 DUPLICATE_DELIVERY; handler throws: released, the retry accepted', async () => {
    const body = Buffer.from('{"FAIL": 1}')
    const headers = sign('stripe', SECRET, body, { timestamp: now() })
    assert.equal((await call(route, url, headers, body)).status, 500)
    const seen = rec.seen.length
    assert.equal((await call(route, url, headers, body)).status, 200)
    assert.equal(rec.seen.length, seen + 1)
    assert.deepEqual((await call(route, url, headers, body)).json, { error: 'DUPLICATE_DELIVERY' })
    assert.equal(rec.seen.length, seen + 1)
  })

  test('verifyRequest: { verified, body } once; a body already read is RAW_BODY_UNAVAILABLE', async () => {
    const body = odd(16)
    const headers = sign('stripe', SECRET, body, { timestamp: now() })
    const request = new Request(url, { method: 'POST', headers, body })
    const result = await verifyRequest(request, verifier())
    assert.equal(result.verified?.scheme, 'stripe')
    assert.deepEqual(result.body, body)
    const again = await verifyRequest(request, verifier())
    assert.equal(again.verified, null)
    assert.equal(again.response?.status, 500)
    assert.deepEqual(await again.response?.json(), { error: 'RAW_BODY_UNAVAILABLE' })
  })

  test('the request line is the URL path with its query', async () => {
    const s2s = new (await import('hooksig')).Verifier('unknownpay-s2s', { secrets: SECRET })
    const body = odd(17)
    const headers = sign('unknownpay-s2s', SECRET, body, { timestamp: now(), id: 'i', keyId: 'k', method: 'POST', pathAndQuery: '/api/hook?x=1' })
    const ok = await verifyRequest(new Request('https://example.test/api/hook?x=1', { method: 'POST', headers, body }), s2s)
    assert.equal(ok.code, null)
    const other = await verifyRequest(new Request('https://example.test/api/hook?x=2', { method: 'POST', headers, body }), s2s)
    assert.equal(other.code, 'SIGNATURE_MISMATCH')
  })
})
