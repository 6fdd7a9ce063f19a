// Node side of `make bench` (run by benches/run.py, one round per call).
//
// Every timed call is what a webhook handler does with the request Node hands
// it (`req.headers`: lower-cased names, the provider's headers plus eight usual
// ones; the raw body as a Buffer), with objects a user builds once built once:
// - hooksig: `new Verifier(profile, { secrets })` once; `.verify(headers, body)`
//   per call (the real clock, the default 300 s window);
// - hand-written (the baseline): `createHmac('sha256', secret).update(body)`,
//   hex-decoded header, length check + `timingSafeEqual` (UnknownPay's scheme);
// - stripe: `stripe.webhooks.signature.verifyHeader(body, header, secret, 300)`;
// - standardwebhooks / svix: `new Webhook(secret)` once, `.verify(body, headers)`;
// - @octokit/webhooks-methods: `await verify(secret, body.toString(), signature)`
//   (string payload only; Promise-based).
//
// Prints one JSON line per (contestant, size): the median of `--reps`
// interleaved batches, in ns per verify.

import { createHmac, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import { verify as octokitVerify } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'

const require = createRequire(import.meta.url)
const hooksig = require(process.env.HOOKSIG_NODE_MODULE || 'hooksig')

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    seconds: { type: 'string', default: '0.25' },
    reps: { type: 'string', default: '3' },
    round: { type: 'string', default: '0' },
  },
})
const data = args.data
const cases = JSON.parse(readFileSync(join(data, 'cases.json'), 'utf8'))
const sizes = cases.sizes.map(Number)
const bodies = new Map(sizes.map((size) => [size, readFileSync(join(data, `body-${size}.json`))]))

/** Headers as Node's `req.headers` has them: lower-cased names. */
function headersFor(profile, size, key = 'headers') {
  const all = { ...cases.extra_headers, 'Content-Length': String(size), ...cases.profiles[profile].sizes[String(size)][key] }
  return Object.fromEntries(Object.entries(all).map(([name, value]) => [name.toLowerCase(), value]))
}

const contestants = []

function hooksigCase(profile, two = false) {
  const secrets = cases.profiles[profile].secrets
  const verifier = new hooksig.Verifier(profile, { secrets: two ? secrets : secrets[0] })
  const make = (size) => {
    const headers = headersFor(profile, size, two ? 'headers_old' : 'headers')
    const body = bodies.get(size)
    if (verifier.verify(headers, body).secretIndex !== (two ? 1 : 0)) throw new Error(`hooksig ${profile}: wrong secret`)
    return () => verifier.verify(headers, body)
  }
  contestants.push({ name: `hooksig ${profile}${two ? ' (2 secrets, 2nd matches)' : ''}`, kind: 'hooksig', make })
}
for (const profile of ['unknownpay', 'key2pay', 'stripe', 'standard-webhooks', 'github']) hooksigCase(profile)
hooksigCase('standard-webhooks', true)

const rawSecret = cases.profiles.unknownpay.secrets[0]
contestants.push({
  name: 'node:crypto by hand',
  kind: 'baseline',
  pair: 'hooksig unknownpay',
  note: "`createHmac('sha256', secret).update(body).digest()`, hex-decoded header, length check + `timingSafeEqual`",
  make: (size) => {
    const headers = headersFor('unknownpay', size)
    const body = bodies.get(size)
    const call = () => {
      const header = headers['x-webhook-signature']
      if (typeof header !== 'string') throw new Error('missing')
      const given = Buffer.from(header, 'hex')
      const expected = createHmac('sha256', rawSecret).update(body).digest()
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('mismatch')
      return true
    }
    call()
    return call
  },
})

const stripe = new Stripe('sk_test_bench_not_used_for_requests')
const stripeSecret = cases.profiles.stripe.secrets[0]
contestants.push({
  name: 'stripe',
  kind: 'peer',
  pair: 'hooksig stripe',
  note: '`stripe.webhooks.signature.verifyHeader(body, header, secret, 300)`',
  make: (size) => {
    const header = headersFor('stripe', size)['stripe-signature']
    const body = bodies.get(size)
    const call = () => stripe.webhooks.signature.verifyHeader(body, header, stripeSecret, 300)
    call()
    return call
  },
})

const swSecret = cases.profiles['standard-webhooks'].secrets[0]
for (const [name, Webhook] of [
  ['standardwebhooks', StandardWebhook],
  ['svix', SvixWebhook],
]) {
  contestants.push({
    name,
    kind: 'peer',
    pair: 'hooksig standard-webhooks',
    note: `\`${name}\` \`new Webhook(secret)\` once, \`.verify(body, headers)\``,
    make: (size) => {
      const wh = new Webhook(swSecret)
      const headers = headersFor('standard-webhooks', size)
      const body = bodies.get(size)
      wh.verify(body, headers)
      return () => wh.verify(body, headers)
    },
  })
}

const ghSecret = cases.profiles.github.secrets[0]
contestants.push({
  name: '@octokit/webhooks-methods',
  kind: 'peer',
  pair: 'hooksig github',
  note: '`await verify(secret, body.toString(), signature)` (string payload only, Promise-based)',
  async: true,
  make: async (size) => {
    const signature = headersFor('github', size)['x-hub-signature-256']
    const body = bodies.get(size)
    const call = () => octokitVerify(ghSecret, body.toString('utf8'), signature)
    if (!(await call())) throw new Error('octokit: not verified')
    return call
  },
})

/** ns per call over a batch of about `seconds`. */
async function batch(call, isAsync, seconds) {
  let n = 1
  for (;;) {
    const t0 = process.hrtime.bigint()
    if (isAsync) for (let i = 0; i < n; i++) await call()
    else for (let i = 0; i < n; i++) call()
    const dt = Number(process.hrtime.bigint() - t0)
    if (dt >= seconds * 1e9 || n >= 1 << 24) return dt / n
    n = Math.max(n * 2, Math.floor(((n * seconds * 1e9) / Math.max(dt, 1)) * 1.1))
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const reps = Number(args.reps)
const per = Number(args.seconds) / reps
const calls = new Map()
for (const c of contestants) for (const size of sizes) calls.set(`${c.name}|${size}`, await c.make(size))
const times = new Map([...calls.keys()].map((k) => [k, []]))
for (let rep = 0; rep < reps; rep++) {
  const shift = (Number(args.round) + rep) % contestants.length
  const order = [...contestants.slice(shift), ...contestants.slice(0, shift)]
  for (const size of sizes) {
    for (const c of order) {
      const key = `${c.name}|${size}`
      times.get(key).push(await batch(calls.get(key), Boolean(c.async), per))
    }
  }
}

const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version
const packages = {}
for (const name of ['stripe', 'standardwebhooks', 'svix', '@octokit/webhooks-methods']) {
  packages[name] = version(name)
}
packages.hooksig = version('hooksig')
console.log(JSON.stringify({ meta: { runtime: `Node ${process.version}`, packages } }))
for (const c of contestants) {
  for (const size of sizes) {
    const ns = median(times.get(`${c.name}|${size}`))
    console.log(JSON.stringify({ name: c.name, kind: c.kind, pair: c.pair ?? '', note: c.note ?? '', size, ns }))
  }
}
