// `make bench-wasm`: the edge build's verify in Node against what an edge
// handler would use instead, at 300 B and 64 KiB:
// - hooksig (wasm): `new Verifier` once; `.verify(headers, body)` (sync), and
//   `verifyRequest(verifier, request)` on a fresh `Request` (reads its body);
// - hooksig (napi): the Node package's native addon, same call;
// - @hookflo/tern: `verifyWithPlatformConfig(request, 'stripe', secret, 300)`
//   on a fresh `Request` (its edge API; it reads the body itself);
// - standardwebhooks, svix: `new Webhook(secret)` once, `.verify(body, headers)`.
// Stripe deliveries for hooksig, tern and hooksig's napi; Standard Webhooks
// for standardwebhooks and svix (paired with hooksig's standard-webhooks).
// Prints a table: the median of 7 interleaved rounds, time per verify.
import { createRequire } from 'node:module'

import { WebhookVerificationService } from '@hookflo/tern'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'

import { Verifier, sign, verifyRequest } from '../../bindings-node/edge/index.mjs'

const napi = createRequire(import.meta.url)('../../bindings-node/hooksig.js')

const STRIPE = 'whsec_bench_secret_0123456789'
const SW = 'whsec_' + Buffer.from('bench-secret-0123456789abcdef').toString('base64')
const SIZES = [300, 65536]
const EXTRA = { 'content-type': 'application/json', 'user-agent': 'Stripe/1.0', accept: '*/*', host: 'example.com' }

function bodyOf(size) {
  const head = '{"id":"evt_bench","data":"'
  return new TextEncoder().encode(head + 'x'.repeat(size - head.length - 2) + '"}')
}

const lower = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))

/** Contestant factories: (size) => [sync or async call, check]. */
function contestants(size, now) {
  const body = bodyOf(size)
  const text = new TextDecoder().decode(body)
  const stripeHeaders = { ...EXTRA, ...lower(sign('stripe', STRIPE, body, { timestamp: now })) }
  const swHeaders = { ...EXTRA, ...lower(sign('standard-webhooks', SW, body, { timestamp: now, id: 'msg_bench' })) }
  const wasmStripe = new Verifier('stripe', { secrets: STRIPE })
  const wasmSw = new Verifier('standard-webhooks', { secrets: SW })
  const napiStripe = new napi.Verifier('stripe', { secrets: STRIPE })
  const standard = new StandardWebhook(SW)
  const svix = new SvixWebhook(SW)
  const request = () => new Request('https://example.com/webhooks', { method: 'POST', headers: stripeHeaders, body })
  return [
    ['hooksig wasm stripe: verify', () => wasmStripe.verify(stripeHeaders, body)],
    ['hooksig wasm stripe: verifyRequest(new Request)', () => verifyRequest(wasmStripe, request())],
    ['hooksig napi stripe: verify', () => napiStripe.verify(stripeHeaders, body)],
    ['@hookflo/tern stripe (new Request)', async () => {
      const result = await WebhookVerificationService.verifyWithPlatformConfig(request(), 'stripe', STRIPE, 300)
      if (!result.isValid) throw new Error(`tern: ${result.error}`)
    }],
    ['hooksig wasm standard-webhooks: verify', () => wasmSw.verify(swHeaders, body)],
    ['standardwebhooks', () => standard.verify(text, swHeaders)],
    ['svix', () => svix.verify(text, swHeaders)],
  ]
}

async function timeOne(call, budgetMs) {
  const isAsync = call() instanceof Promise
  let n = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < budgetMs) {
    for (let i = 0; i < 16; i++) {
      if (isAsync) await call()
      else call()
    }
    n += 16
    elapsed = performance.now() - start
  }
  return (elapsed * 1e6) / n // ns per call
}

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`)

const now = Math.floor(Date.now() / 1000)
const rounds = Number(process.env.ROUNDS ?? 7)
const results = new Map()
for (const size of SIZES) {
  const list = contestants(size, now)
  for (const [name, call] of list) {
    await call() // each verifies (throws otherwise) and warms up
    await timeOne(call, 100)
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, call] of list) {
      const key = `${name}|${size}`
      if (!results.has(key)) results.set(key, [])
      results.get(key).push(await timeOne(call, size > 1000 ? 150 : 60))
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const names = contestants(300, now).map(([name]) => name)
console.log(`| contestant (Node ${process.version}) | 300 B | 64 KiB |`)
console.log('|---|---:|---:|')
for (const name of names) {
  console.log(`| ${name} | ${SIZES.map((s) => fmt(median(results.get(`${name}|${s}`)))).join(' | ')} |`)
}
