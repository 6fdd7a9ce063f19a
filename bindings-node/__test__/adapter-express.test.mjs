// hooksig/express with a real Express app on 127.0.0.1, a global express.json() in front.
import assert from 'node:assert/strict'
import { createServer, request } from 'node:http'
import { after, before, describe, test } from 'node:test'

import express from 'express'
import { Verifier, sign } from 'hooksig'
import { captureRawBody, webhook } from 'hooksig/express'

import { LIMIT, SECRET, contract, listen, now, odd, post, recorder, requestLine, verifier } from './adapter-support.mjs'

/**
 * An app with a JSON parser installed globally before the webhook route, as
 * apps have (the user changes nothing for the webhook), and a route that
 * reports what the adapter's tap holds for its request.
 */
async function start({ verifier, store, limit, rec }, parser = express.json({ limit: '1mb' }), options = {}) {
  const app = express()
  app.use(parser)
  app.post('/webhooks/stripe', webhook(verifier, (req, res, hook) => res.json(rec.handle(hook)), { store, limit, ...options }))
  app.post('/api/json', (req, res) => {
    const tap = Object.getOwnPropertySymbols(req).find((s) => s.description === 'hooksig.tap')
    res.json({ parsed: req.body, tap: tap === undefined ? 'none' : req[tap] })
  })
  const server = createServer(app)
  const url = `${await listen(server)}/webhooks/stripe`
  return { url, close: () => server.close() }
}

contract('express + global express.json() (the raw bytes kept as received)', start)
contract('express + global express.json({ verify: captureRawBody }), keepRawBody: false', (o) =>
  start(o, express.json({ verify: captureRawBody, limit: '1mb' }), { keepRawBody: false }),
)
contract('express, no body parser', (o) => start(o, (req, res, next) => next()))
contract('plain node:http', async ({ verifier, store, limit, rec }) => {
  const handle = webhook(verifier, (req, res, hook) => res.end(JSON.stringify(rec.handle(hook))), { store, limit })
  const server = createServer((req, res) =>
    handle(req, res).catch(() => {
      res.statusCode = 500
      res.end('{}')
    }),
  )
  return { url: `${await listen(server)}/hook`, close: () => server.close() }
})
requestLine('express', start)

describe('express: the body is verified as received, never as parsed', () => {
  let withTap
  let without
  const rec = recorder()
  before(async () => {
    withTap = await start({ verifier: verifier(), limit: LIMIT, rec })
    without = await start({ verifier: verifier(), limit: LIMIT, rec }, express.json(), { keepRawBody: false })
  })
  after(() => {
    withTap.close()
    without.close()
  })

  test('the other routes still get parsed JSON, and the tap keeps nothing of an unsigned request', async () => {
    const r = await post(withTap.url.replace('/webhooks/stripe', '/api/json'), {}, '{"a": 1}')
    assert.deepEqual(r.json, { parsed: { a: 1 }, tap: null })
  })

  test('a signed request to another route: the tap holds its bytes as received', async () => {
    const body = odd(11)
    const r = await post(withTap.url.replace('/webhooks/stripe', '/api/json'), sign('stripe', SECRET, body, { timestamp: now() }), body)
    assert.equal(r.json.tap.state, 'ended')
    assert.equal(r.json.tap.size, body.length)
  })

  test('a body larger than every limit: the tap drops it, 413', async () => {
    const body = Buffer.from(JSON.stringify({ pad: 'x'.repeat(LIMIT * 4) }))
    const seen = rec.seen.length
    const r = await post(withTap.url, sign('stripe', SECRET, body, { timestamp: now() }), body)
    assert.equal(r.status, 413)
    assert.deepEqual(r.json, { error: 'PAYLOAD_TOO_LARGE' })
    assert.equal(rec.seen.length, seen)
  })

  test('express.json() in front, keepRawBody: false and no captureRawBody: 500 RAW_BODY_UNAVAILABLE, handler not run', async () => {
    const body = odd(9)
    const seen = rec.seen.length
    const r = await post(without.url, sign('stripe', SECRET, body, { timestamp: now() }), body)
    assert.equal(r.status, 500)
    assert.deepEqual(r.json, { error: 'RAW_BODY_UNAVAILABLE' })
    assert.equal(rec.seen.length, seen)
  })

  test('a repeated signature header reaches the core as received (every copy)', async () => {
    const body = odd(12)
    const genuine = sign('stripe', SECRET, body, { timestamp: now() })['Stripe-Signature']
    for (const copies of [[genuine, 't=1,v1=00'], ['t=1,v1=00', genuine], [genuine, genuine]]) {
      let expected
      try {
        verifier().verify(copies.map((value) => ['Stripe-Signature', value]), body)
        expected = { status: 200 }
      } catch (error) {
        expected = { status: error.httpStatus, json: { error: error.code } }
      }
      const r = await new Promise((resolve, reject) => {
        const req = request(withTap.url, { method: 'POST' }, (res) => {
          let text = ''
          res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode, text }))
        })
        req.on('error', reject)
        req.setHeader('content-type', 'application/json')
        req.setHeader('Stripe-Signature', copies)
        req.end(body)
      })
      assert.equal(r.status, expected.status, r.text)
      if (expected.json) assert.deepEqual(JSON.parse(r.text), expected.json)
    }
  })

  test('a webhook made after its request arrived behind a parser: 500 RAW_BODY_UNAVAILABLE, not a mismatch', async () => {
    const body = odd(13)
    const app = express()
    app.use(express.json())
    const verifierFor = new Verifier('github', { secrets: SECRET })
    let late
    app.post('/late', (req, res, next) => {
      late ??= webhook(verifierFor, (_req, r, hook) => r.json(rec.handle(hook)))
      late(req, res, next)
    })
    const server = createServer(app)
    const url = `${await listen(server)}/late`
    try {
      const r = await post(url, sign('github', SECRET, body, { id: 'late-1' }), body)
      assert.equal(r.status, 500)
      assert.deepEqual(r.json, { error: 'RAW_BODY_UNAVAILABLE' })
      const again = await post(url, sign('github', SECRET, body, { id: 'late-2' }), body)
      assert.equal(again.status, 200, again.text)
    } finally {
      server.close()
    }
  })

  test('a chunked body, sent in pieces, behind express.json(): the tap keeps every piece in order', async () => {
    const body = Buffer.from(JSON.stringify({ id: 'evt_chunked', pad: 'x'.repeat(3000) }))
    const headers = sign('stripe', SECRET, body, { timestamp: now() })
    const r = await new Promise((resolve, reject) => {
      const req = request(withTap.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode, text }))
      })
      req.on('error', reject)
      let at = 0
      const next = () => {
        if (at >= body.length) return req.end()
        req.write(body.subarray(at, (at += 701)))
        setTimeout(next, 2)
      }
      next()
    })
    assert.equal(r.status, 200, r.text)
    assert.equal(JSON.parse(r.text).bytes, body.toString('hex'))
  })

  test('keepRawBody must be a boolean', () => {
    assert.throws(() => webhook(verifier(), () => {}, { keepRawBody: 'yes' }), { code: 'INVALID_ARGUMENT' })
  })

  test('a content type that parser skips is read from the stream', async () => {
    const body = Buffer.from([0xff, 0x00, 0xfe])
    const r = await post(without.url, sign('stripe', SECRET, body, { timestamp: now() }), body, 'application/octet-stream')
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(rec.seen.at(-1), body)
  })

  test('a signature over the re-serialised JSON does not verify the raw bytes', async () => {
    const body = odd(10)
    const reserialised = JSON.stringify(JSON.parse(body))
    const r = await post(withTap.url, sign('stripe', SECRET, reserialised, { timestamp: now() }), body)
    assert.equal(r.status, 401)
  })
})

test('the adapter entry points load no framework', async () => {
  const { execFileSync } = await import('node:child_process')
  const script =
    "for (const m of ['hooksig/express', 'hooksig/fastify', 'hooksig/web', 'hooksig/hono']) require(m);" +
    "process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules[\\\\/](express|fastify|hono|@hono)[\\\\/]/.test(k))))"
  assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: new URL('..', import.meta.url) })), [])
})
