// Real round trips on 127.0.0.1: signed POSTs sent with fetch to the Express
// example and to a plain node:http server; a Headers object from a Request.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { after, before, describe, test } from 'node:test'

import { HooksigError, Verifier, sign, verify } from 'hooksig'

import { createApp } from '../examples/express.mjs'

const secret = 'whsec_node_round_trip'
const body = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded', amount: 4200, note: 'naïve €' })
const now = () => Math.floor(Date.now() / 1000)

async function listen(server) {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  return `http://127.0.0.1:${port}`
}

/** The cases every server must tell apart: [what, headers, body, status]. */
function deliveries() {
  const signed = sign('stripe', secret, body, { timestamp: now() })
  const stale = sign('stripe', secret, body, { timestamp: now() - 3600 })
  const otherSecret = sign('stripe', 'whsec_someone_else', body, { timestamp: now() })
  return [
    ['valid', signed, body, 200],
    ['tampered body', signed, body.replace('4200', '4201'), 401],
    ['another secret', otherSecret, body, 401],
    ['stale timestamp', stale, body, 401],
    ['no signature header', {}, body, 400],
    ['garbage header', { 'Stripe-Signature': 'nonsense' }, body, 400],
  ]
}

async function post(url, headers, payload) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  })
  return { status: response.status, json: await response.json() }
}

describe('Express app (examples/express.mjs) with express.raw', () => {
  let server
  let url
  before(async () => {
    server = createServer(createApp(secret))
    url = `${await listen(server)}/webhooks/stripe`
  })
  after(() => server.close())

  for (const [what, headers, payload, status] of deliveries()) {
    test(`${what} -> ${status}`, async () => {
      const response = await post(url, headers, payload)
      assert.equal(response.status, status)
      if (status === 200) assert.equal(typeof response.json.timestamp, 'number')
      else assert.match(response.json.error, /^[A-Z_]+$/)
    })
  }

  test('a body that is not JSON is still verified as bytes', async () => {
    const raw = Buffer.from([0xff, 0x00, 0xfe, 0x0a])
    const headers = sign('stripe', secret, raw, { timestamp: now() })
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers }, body: raw })
    assert.equal(response.status, 200)
  })
})

describe('plain node:http server', () => {
  const verifier = new Verifier('stripe', { secrets: ['whsec_old', secret] })
  let server
  let url
  const seen = []
  before(async () => {
    server = createServer(async (req, res) => {
      const chunks = []
      for await (const chunk of req) chunks.push(chunk)
      const raw = Buffer.concat(chunks)
      // The same verdict from req.headers and from the flat req.rawHeaders.
      const verdicts = [req.headers, req.rawHeaders].map((headers) => {
        try {
          const verified = verifier.verify(headers, raw)
          return { status: 200, secretIndex: verified.secretIndex }
        } catch (error) {
          assert.ok(error instanceof HooksigError)
          return { status: error.httpStatus, code: error.code }
        }
      })
      seen.push(verdicts)
      res.writeHead(verdicts[0].status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(verdicts[0]))
    })
    url = await listen(server)
  })
  after(() => server.close())

  for (const [what, headers, payload, status] of deliveries()) {
    test(`${what} -> ${status}`, async () => {
      const response = await post(url, headers, payload)
      assert.equal(response.status, status)
      if (status === 200) assert.equal(response.json.secretIndex, 1)
      const [fromHeaders, fromRaw] = seen.at(-1)
      assert.deepEqual(fromRaw, fromHeaders)
    })
  }
})

describe('WHATWG Headers', () => {
  test('from a real Request', async () => {
    const timestamp = now()
    const request = new Request('http://127.0.0.1/hook', { method: 'POST', headers: sign('stripe', secret, body, { timestamp }), body })
    const verified = verify('stripe', secret, request.headers, await request.arrayBuffer())
    assert.equal(verified.timestamp, timestamp)
    assert.equal(verified.secretIndex, 0)
  })

  test('a tampered Request is rejected', async () => {
    const request = new Request('http://127.0.0.1/hook', {
      method: 'POST',
      headers: sign('stripe', secret, body, { timestamp: now() }),
      body: `${body} `,
    })
    const tampered = await request.arrayBuffer()
    assert.throws(
      () => verify('stripe', secret, request.headers, tampered),
      (error) => error instanceof HooksigError && error.code === 'SIGNATURE_MISMATCH' && error.httpStatus === 401,
    )
  })

  test('a non-ASCII delivery id: node:http gives Latin-1 text, so its bytes are passed', async () => {
    const key = `whsec_${Buffer.from('a standard webhooks key of 24+').toString('base64')}`
    const timestamp = now()
    const headers = sign('standard-webhooks', key, body, { timestamp, id: 'msg_é€' })
    // fetch sends ByteStrings: the id's UTF-8 bytes, one character each.
    const onWire = Object.fromEntries(Object.entries(headers).map(([n, v]) => [n, Buffer.from(v).toString('latin1')]))
    let server
    const received = new Promise((resolve) => {
      server = createServer((req, res) => {
        const chunks = []
        req.on('data', (c) => chunks.push(c))
        req.on('end', () => {
          const raw = Buffer.concat(chunks)
          const bytes = Object.fromEntries(Object.entries(req.headers).map(([n, v]) => [n, Buffer.from(String(v), 'latin1')]))
          let asText
          try {
            verify('standard-webhooks', key, req.headers, raw)
          } catch (error) {
            asText = error
          }
          resolve({ asText, asBytes: verify('standard-webhooks', key, bytes, raw) })
          res.end()
        })
      })
    })
    const url = await listen(server)
    await fetch(url, { method: 'POST', headers: onWire, body })
    const { asText, asBytes } = await received
    server.close()
    // Text is its UTF-8 bytes (every binding's rule): 'msg_Ã©â\x82¬' is not what was signed.
    assert.ok(asText instanceof HooksigError && asText.code === 'SIGNATURE_MISMATCH', String(asText))
    assert.equal(asBytes.id, 'msg_é€')
    assert.equal(asBytes.timestamp, timestamp)
  })
})

describe('README', () => {
  test("the Node section's example is examples/express.mjs, which the tests above run", async () => {
    const { readFile } = await import('node:fs/promises')
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('## Node'))
    const snippet = section.slice(section.indexOf('```js\n') + 6, section.indexOf('```\n', section.indexOf('```js\n') + 6))
    const example = await readFile(new URL('../examples/express.mjs', import.meta.url), 'utf8')
    assert.ok(snippet.length > 200, 'no js example in the Node section')
    assert.ok(example.includes(snippet), 'README Node example differs from examples/express.mjs')
  })
})
