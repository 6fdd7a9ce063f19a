// hooksig/replay's MemoryStore: a real node:http server on loopback takes
// concurrent deliveries through verifyOnce (each accepted exactly once);
// bounded and fail closed; release; the TTL the core decides.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { after, before, describe, test } from 'node:test'

import { DEFAULT_RETENTION, DEFAULT_STORE_CAPACITY, HooksigError, Verifier, sign } from 'hooksig'
import { MemoryStore, verifyOnce } from 'hooksig/replay'

import { NOW, SECRET, body, stripe, verifier } from './replay-support.mjs'

/** `verifyOnce`'s outcome: 'OK' or the HooksigError's code. */
async function send(check, store, delivery, options = {}) {
  try {
    await verifyOnce(check, store, delivery.headers, delivery.body, { now: NOW, ...options })
    return 'OK'
  } catch (error) {
    assert.ok(error instanceof HooksigError, `not a HooksigError: ${error}`)
    return error.code
  }
}

/** A clock that moves only when told to (milliseconds). */
function manualClock() {
  let now = 0
  return { now: () => now, advance: (ms) => (now += ms) }
}

describe('a node:http server with a MemoryStore', () => {
  const store = new MemoryStore()
  const check = verifier()
  let handled = 0
  let server
  let url
  before(async () => {
    server = createServer(async (req, res) => {
      const chunks = []
      for await (const chunk of req) chunks.push(chunk)
      const reply = (status, json) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
      try {
        const { verified, claim } = await verifyOnce(check, store, req.headers, Buffer.concat(chunks), { now: NOW })
        // The handler: fails when asked to; then the claim is released so the retry is processed.
        if (req.headers['x-test-handler'] === 'fail') {
          await store.release(claim)
          return reply(500, { error: 'handler failed' })
        }
        handled += 1
        reply(200, { accepted: verified.replayKey })
      } catch (error) {
        if (!(error instanceof HooksigError)) throw error
        reply(error.httpStatus, { error: error.code })
      }
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    url = `http://127.0.0.1:${server.address().port}/hook`
  })
  after(() => server.close())

  const post = async ({ headers, body: payload }, extra = {}) => {
    const response = await fetch(url, { method: 'POST', headers: { ...headers, ...extra }, body: payload })
    return { status: response.status, json: await response.json() }
  }

  test('20 deliveries each sent 10 times at once: each accepted exactly once', async () => {
    const all = Array.from({ length: 20 }, (_, n) => stripe('http', n))
    const sends = []
    for (let copy = 0; copy < 10; copy++) all.forEach((delivery, n) => sends.push(post(delivery).then((r) => [n, r])))
    const accepted = Array(20).fill(0)
    let duplicates = 0
    for (const [n, { status, json }] of await Promise.all(sends)) {
      assert.equal(status, 200, JSON.stringify(json))
      if (json.accepted) accepted[n] += 1
      else if (json.error === 'DUPLICATE_DELIVERY') duplicates += 1
      else assert.fail(`delivery ${n}: ${JSON.stringify(json)}`)
    }
    assert.deepEqual(accepted, Array(20).fill(1))
    assert.equal(duplicates, 180)
    assert.equal(handled, 20)
    assert.equal(store.size, 20)
  })

  test('handler failure releases the claim: the retry is accepted, once', async () => {
    const delivery = stripe('http-retry', 0)
    assert.equal((await post(delivery, { 'x-test-handler': 'fail' })).status, 500)
    assert.ok((await post(delivery)).json.accepted)
    assert.deepEqual(await post(delivery), { status: 200, json: { error: 'DUPLICATE_DELIVERY' } })
  })

  test('a forged delivery is refused without a claim', async () => {
    const before = store.size
    assert.deepEqual(await post({ ...stripe('http-forged', 0), body: '{}' }), { status: 401, json: { error: 'SIGNATURE_MISMATCH' } })
    assert.equal(store.size, before)
  })
})

describe('MemoryStore', () => {
  test('bounded by the core\'s DEFAULT_STORE_CAPACITY by default', async () => {
    assert.equal(DEFAULT_STORE_CAPACITY, 100_000)
    const store = new MemoryStore()
    const key = (i) => i.toString(16).padStart(64, '0')
    for (let i = 0; i < DEFAULT_STORE_CAPACITY; i++) await store.claim(key(i), 60)
    await assert.rejects(store.claim(key(DEFAULT_STORE_CAPACITY), 60), (e) => e.code === 'REPLAY_STORE_UNAVAILABLE')
    await assert.rejects(store.claim(key(0), 60), (e) => e.code === 'DUPLICATE_DELIVERY')
  })

  test('a full store refuses instead of forgetting', async () => {
    const clock = manualClock()
    const store = new MemoryStore({ capacity: 3, now: clock.now })
    const check = verifier()
    for (let n = 0; n < 3; n++) assert.equal(await send(check, store, stripe('full', n)), 'OK')
    assert.equal(await send(check, store, stripe('full', 3)), 'REPLAY_STORE_UNAVAILABLE')
    assert.equal(await send(check, store, stripe('full', 0)), 'DUPLICATE_DELIVERY')
    // The claims last the window, 600 s: one millisecond before, still full.
    clock.advance(599_999)
    assert.equal(await send(check, store, stripe('full', 3)), 'REPLAY_STORE_UNAVAILABLE')
    clock.advance(1)
    assert.equal(await send(check, store, stripe('full', 3)), 'OK')
    assert.equal(store.size, 1)
  })

  test('release deletes only its own claim', async () => {
    const clock = manualClock()
    const store = new MemoryStore({ now: clock.now })
    const check = verifier()
    const delivery = stripe('token', 0)
    const { replayKey } = check.verify(delivery.headers, delivery.body, { now: NOW })
    const old = await store.claim(replayKey, 60)
    clock.advance(60_000)
    const renewed = await store.claim(replayKey, 60)
    assert.equal(await store.release(old), false)
    assert.equal(await send(check, store, delivery), 'DUPLICATE_DELIVERY')
    assert.equal(await store.release(renewed), true)
    assert.equal(await store.release(renewed), false)
    assert.equal(await send(check, store, delivery), 'OK')
  })

  test('released claims do not pile up', async () => {
    const store = new MemoryStore({ capacity: 2 })
    const key = 'b'.repeat(64)
    for (let i = 0; i < 1000; i++) assert.equal(await store.release(await store.claim(key, 3600)), true)
    assert.equal(store.size, 0)
  })

  test('a failed verify never touches the store', async () => {
    const store = new MemoryStore({ capacity: 0 })
    const good = stripe('verify', 0)
    assert.equal(await send(verifier(), store, { ...good, body: '{}' }), 'SIGNATURE_MISMATCH')
    assert.equal(await send(verifier(), store, good), 'REPLAY_STORE_UNAVAILABLE')
  })

  test('the TTL is the window or the retention (the core decides)', async () => {
    const clock = manualClock()
    const store = new MemoryStore({ now: clock.now })
    const github = new Verifier('github', { secrets: SECRET })
    assert.equal(github.replayTtl(), DEFAULT_RETENTION)
    assert.equal(github.replayTtl(10), 10)
    assert.equal(verifier().replayTtl(10), 600)
    assert.equal(new Verifier('stripe', { secrets: SECRET, past: 60, future: 5 }).replayTtl(), 65)
    assert.equal(new Verifier('stripe', { secrets: SECRET, tolerance: null }).replayTtl(10), 10)
    for (const bad of [-1, 1.5, '10', true, 2 ** 60]) {
      assert.throws(() => github.replayTtl(bad), (e) => e instanceof HooksigError && e.code === 'INVALID_ARGUMENT')
    }
    const payload = body('ttl', 0)
    const delivery = { headers: sign('github', SECRET, payload), body: payload }
    assert.equal(await send(github, store, delivery, { retention: 10 }), 'OK')
    clock.advance(9_999)
    assert.equal(await send(github, store, delivery, { retention: 10 }), 'DUPLICATE_DELIVERY')
    clock.advance(1)
    assert.equal(await send(github, store, delivery), 'OK')
    clock.advance(DEFAULT_RETENTION * 1000 - 1)
    assert.equal(await send(github, store, delivery), 'DUPLICATE_DELIVERY')
    clock.advance(1)
    assert.equal(await send(github, store, delivery), 'OK')
  })

  test('bad arguments are INVALID_ARGUMENT', async () => {
    const store = new MemoryStore()
    const invalid = (e) => e instanceof HooksigError && e.code === 'INVALID_ARGUMENT'
    for (const [key, ttl] of [['A'.repeat(64), 1], [42, 1], ['a'.repeat(64), 0], ['a'.repeat(64), 0.5]]) {
      await assert.rejects(store.claim(key, ttl), invalid)
    }
    await assert.rejects(store.release(null), invalid)
    assert.throws(() => new MemoryStore({ capacity: -1 }), invalid)
  })
})

test("require('hooksig') loads neither hooksig/replay nor a Redis client", () => {
  const script = "require('hooksig'); console.log(JSON.stringify(Object.keys(require.cache)))"
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: new URL('..', import.meta.url) }).toString())
  assert.ok(loaded.some((path) => path.endsWith('hooksig.js')))
  assert.deepEqual(loaded.filter((path) => /replay|redis/.test(path)), [])
  const replay = "require('hooksig/replay'); console.log(JSON.stringify(Object.keys(require.cache)))"
  const withReplay = JSON.parse(execFileSync(process.execPath, ['-e', replay], { cwd: new URL('..', import.meta.url) }).toString())
  assert.deepEqual(withReplay.filter((path) => /redis/.test(path)), [], 'a MemoryStore user needs no Redis client')
})
