// hooksig/fastify with a real Fastify app on 127.0.0.1: its JSON parser stays on the other routes.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'

import Fastify from 'fastify'
import { sign } from 'hooksig'
import { hooksigWebhook } from 'hooksig/fastify'

import { LIMIT, SECRET, contract, now, odd, post, recorder, requestLine, verifier } from './adapter-support.mjs'

async function start({ verifier, store, limit, rec }) {
  const app = Fastify()
  app.post('/api/json', async (request) => ({ parsed: request.body }))
  await app.register(hooksigWebhook, { verifier, store, limit, url: '/webhooks/stripe', handler: async (request, reply, hook) => rec.handle(hook) })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url: `${base}/webhooks/stripe`, close: () => app.close() }
}

contract('fastify plugin', start)
requestLine('fastify', start)

describe('fastify: the raw parser is scoped to the webhook route', () => {
  let app
  const rec = recorder()
  before(async () => {
    app = await start({ verifier: verifier(), limit: LIMIT, rec })
  })
  after(() => app.close())

  test('the other routes still get parsed JSON', async () => {
    const r = await post(app.url.replace('/webhooks/stripe', '/api/json'), {}, '{"a": 1}')
    assert.deepEqual(r.json, { parsed: { a: 1 } })
  })

  test('the webhook route gets the JSON bytes unparsed', async () => {
    const body = odd(11)
    const r = await post(app.url, sign('stripe', SECRET, body, { timestamp: now() }), body)
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(rec.seen.at(-1), body)
  })
})
