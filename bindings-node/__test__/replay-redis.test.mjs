// hooksig/replay's RedisStore against a real redis-server started on a free
// loopback port (stopped at the end, also when a test fails): two node
// processes share it, re-spelled replays are duplicates, a stopped or hung
// Redis accepts nothing, a release lets the retry through.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'

import { Redis } from 'ioredis'

import { HooksigError, REPLAY_STORE_PREFIX, Verifier, sign } from 'hooksig'
import { RedisStore, verifyOnce } from 'hooksig/replay'

import { NOW, SECRET, body, startRedis, stripe, verifier } from './replay-support.mjs'

const WORKER = fileURLToPath(new URL('./replay-worker.mjs', import.meta.url))

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

const withHeader = (delivery, name, value) => ({ ...delivery, headers: { ...delivery.headers, [name]: value } })

/** A worker process, started and waiting for `go`. */
async function startWorker(args) {
  const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  assert.equal((await lines.next()).value, 'ready')
  const go = async () => {
    child.stdin.write('go\n')
    const out = []
    for await (const line of lines) out.push(line)
    const [code] = await once(child, 'exit').catch(() => [child.exitCode])
    return { out, code: child.exitCode ?? code }
  }
  return { child, go }
}

describe('RedisStore on a real redis-server', () => {
  let server
  let raw
  const stores = []
  const store = (options) => {
    const made = new RedisStore(server.url, options)
    stores.push(made)
    return made
  }
  before(async () => {
    server = await startRedis()
    raw = new Redis(server.url)
  })
  after(async () => {
    raw?.disconnect()
    for (const made of stores) await made.close()
    await server?.stop()
  })

  test('two processes: 20 deliveries each sent 10 times at once, each accepted exactly once', async () => {
    const args = [server.url, 'race:', '20', '5']
    const workers = [await startWorker(args), await startWorker(args)]
    try {
      const results = await Promise.all(workers.map((w) => w.go()))
      const outcomes = new Map()
      for (const { out, code } of results) {
        assert.equal(code, 0)
        assert.equal(out.length, 100)
        for (const line of out) outcomes.set(line, (outcomes.get(line) ?? 0) + 1)
      }
      for (let n = 0; n < 20; n++) {
        assert.equal(outcomes.get(`${n} OK`), 1, `delivery ${n}: ${[...outcomes]}`)
        assert.equal(outcomes.get(`${n} DUPLICATE_DELIVERY`), 9, `delivery ${n}`)
      }
      assert.equal([...outcomes.values()].reduce((a, b) => a + b), 200, 'no other outcome')
    } finally {
      for (const { child } of workers) if (child.exitCode === null) child.kill()
    }
    // 20 claims, named by the replay key, each kept for the window (300 s + 300 s).
    const keys = await raw.keys('race:*')
    assert.equal(keys.length, 20)
    const first = stripe('race', 0)
    const name = `race:${verifier().verify(first.headers, first.body, { now: NOW }).replayKey}`
    assert.ok(keys.includes(name))
    const ttl = await raw.pttl(name)
    assert.ok(ttl > 590_000 && ttl <= 600_000, `PTTL ${ttl}`)
  })

  test('re-spelled replays are duplicates', async () => {
    const shared = store()
    assert.equal(shared.redisKey('ab'), `${REPLAY_STORE_PREFIX}ab`)
    // GitHub: X-GitHub-Delivery is not signed; a replay with another id is the same delivery.
    const github = new Verifier('github', { secrets: SECRET })
    const payload = body('github', 0)
    const first = { headers: sign('github', SECRET, payload, { id: 'delivery-1' }), body: payload }
    assert.equal(await send(github, shared, first), 'OK')
    const otherId = withHeader(first, 'X-GitHub-Delivery', 'delivery-2')
    assert.equal(github.verify(otherId.headers, otherId.body).id, 'delivery-2')
    assert.equal(await send(github, shared, otherId), 'DUPLICATE_DELIVERY')

    // Stripe: the same signature in upper-case hex.
    const check = verifier()
    const original = stripe('respell', 0)
    assert.equal(await send(check, shared, original), 'OK')
    const [t, v1] = original.headers['Stripe-Signature'].split(',v1=')
    const upper = withHeader(original, 'Stripe-Signature', `${t},v1=${v1.toUpperCase()}`)
    assert.equal(check.verify(upper.headers, upper.body, { now: NOW }).secretIndex, 0)
    assert.equal(await send(check, shared, upper), 'DUPLICATE_DELIVERY')

    // Stripe rotation: the pair is accepted once; then either v1 alone is a duplicate.
    const rotated = 'whsec_replay_rotated_secret'
    const rotating = new Verifier('stripe', { secrets: [SECRET, rotated] })
    const rotation = body('rotation', 0)
    const signedWith = (secret) => ({ headers: sign('stripe', secret, rotation, { timestamp: NOW }), body: rotation })
    const [oldOne, newOne] = [signedWith(SECRET), signedWith(rotated)]
    const v1Of = (d) => d.headers['Stripe-Signature'].split(',v1=')[1]
    const pair = withHeader(oldOne, 'Stripe-Signature', `t=${NOW},v1=${v1Of(oldOne)},v1=${v1Of(newOne)}`)
    assert.equal(await send(rotating, shared, pair), 'OK')
    assert.equal(rotating.verify(newOne.headers, newOne.body, { now: NOW }).secretIndex, 1)
    assert.equal(await send(rotating, shared, newOne), 'DUPLICATE_DELIVERY')
    assert.equal(await send(rotating, shared, oldOne), 'DUPLICATE_DELIVERY')

    // A different delivery is still accepted.
    assert.equal(await send(check, shared, stripe('respell', 1)), 'OK')
  })

  test('handler failure: release, and the retry is accepted (a client passed in)', async () => {
    const client = new Redis(server.url)
    try {
      const passed = new RedisStore(client)
      const check = verifier()
      const delivery = stripe('release', 0)
      const { verified, claim } = await verifyOnce(check, passed, delivery.headers, delivery.body, { now: NOW })
      assert.equal(claim.replayKey, verified.replayKey)
      assert.equal(await send(check, passed, delivery), 'DUPLICATE_DELIVERY')
      assert.equal(await passed.release(claim), true)
      assert.equal(await send(check, passed, delivery), 'OK')
      assert.equal(await send(check, passed, delivery), 'DUPLICATE_DELIVERY')
      await passed.close() // not its client: still connected
      assert.equal(await client.ping(), 'PONG')
    } finally {
      client.disconnect()
    }
  })

  test('release deletes only its own token', async () => {
    const own = store()
    const check = verifier()
    const delivery = stripe('token', 0)
    const { replayKey } = check.verify(delivery.headers, delivery.body, { now: NOW })
    const name = own.redisKey(replayKey)
    const old = await own.claim(replayKey, 60)
    // The old claim expires, then someone else claims the key.
    await raw.pexpire(name, 1)
    await sleep(20)
    const renewed = await own.claim(replayKey, 60)
    assert.notEqual(old.token, renewed.token)
    assert.equal(await own.release(old), false)
    assert.equal(await raw.get(name), renewed.token)
    assert.equal(await send(check, own, delivery), 'DUPLICATE_DELIVERY')
    assert.equal(await own.release(renewed), true)
    assert.equal(await raw.get(name), null)
  })

  test('a hung Redis times out as REPLAY_STORE_UNAVAILABLE, then works again', async () => {
    const quick = store({ timeout: 200 })
    const check = verifier()
    assert.equal(await send(check, quick, stripe('hung', 0)), 'OK')
    process.kill(server.pid, 'SIGSTOP')
    let outcome
    try {
      outcome = await send(check, quick, stripe('hung', 1))
    } finally {
      process.kill(server.pid, 'SIGCONT')
    }
    assert.equal(outcome, 'REPLAY_STORE_UNAVAILABLE')
    // Back: the late answer to the timed-out claim may still have been stored, so a fresh delivery.
    let again = 'REPLAY_STORE_UNAVAILABLE'
    for (let i = 0; i < 50 && again === 'REPLAY_STORE_UNAVAILABLE'; i++) {
      again = await send(check, quick, stripe('hung', 2))
      if (again === 'REPLAY_STORE_UNAVAILABLE') await sleep(50)
    }
    assert.equal(again, 'OK')
  })

  test('bad arguments are INVALID_ARGUMENT', async () => {
    const own = store()
    const key = 'a'.repeat(64)
    for (const [k, ttl] of [['A'.repeat(64), 1], ['a'.repeat(63), 1], [key, 0], [key, 1.5], [key, '1'], [key, -1], [key, 2 ** 53]]) {
      await assert.rejects(own.claim(k, ttl), (e) => e instanceof HooksigError && e.code === 'INVALID_ARGUMENT')
    }
    await assert.rejects(own.release({}), (e) => e instanceof HooksigError && e.code === 'INVALID_ARGUMENT')
    assert.throws(() => new RedisStore(42), (e) => e instanceof HooksigError && e.code === 'INVALID_ARGUMENT')
  })
})

describe('Redis stopped mid-run', () => {
  test('nothing is accepted; a bad delivery still gets its own error', async () => {
    const server = await startRedis()
    const store = new RedisStore(server.url, { timeout: 300 })
    try {
      const check = verifier()
      for (let n = 0; n < 3; n++) assert.equal(await send(check, store, stripe('stop', n)), 'OK')
      await server.stop()
      // Fresh deliveries and replays: nothing accepted.
      for (let n = 0; n < 6; n++) assert.equal(await send(check, store, stripe('stop', n)), 'REPLAY_STORE_UNAVAILABLE')
      // Concurrently too.
      const burst = await Promise.all([6, 7, 8, 9].map((n) => send(check, store, stripe('stop', n))))
      assert.deepEqual(burst, Array(4).fill('REPLAY_STORE_UNAVAILABLE'))
      // A delivery that fails verification never reaches the store.
      assert.equal(await send(check, store, { ...stripe('stop', 9), body: '{}' }), 'SIGNATURE_MISMATCH')
      const first = stripe('stop', 0)
      const claim = { replayKey: check.verify(first.headers, first.body, { now: NOW }).replayKey, token: '0' }
      await assert.rejects(store.release(claim), (e) => e instanceof HooksigError && e.code === 'REPLAY_STORE_UNAVAILABLE')
    } finally {
      await store.close()
      await server.stop()
    }
  })
})
