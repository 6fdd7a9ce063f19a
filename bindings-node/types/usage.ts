// Compiled by `tsc --noEmit --strict` (make test-node): the published types
// describe what the tests run. Never executed.
import type { IncomingMessage } from 'node:http'
import express from 'express'
import {
  type BodyInput,
  type ErrorCode,
  type Explanation,
  type Finding,
  type FindingCode,
  type HeadersInput,
  HooksigError,
  type Verified,
  Verifier,
  COMPACT_INDEX_BITS,
  errorCodes,
  explain,
  sign,
  verify,
} from 'hooksig'
import { type Claim, type ClaimStore, DEFAULT_STORE_CAPACITY, MemoryStore, REPLAY_STORE_PREFIX, RedisStore, verifyOnce } from 'hooksig/replay'
import { Redis } from 'ioredis'

const verifier = new Verifier('stripe', { secrets: ['whsec_old', 'whsec_new'], tolerance: 300, past: 600 })
new Verifier('github', { secrets: 'secret', tolerance: null })
new Verifier('github', { secrets: [Buffer.from('a'), new Uint8Array(2), new ArrayBuffer(3)] })

function handle(req: IncomingMessage, body: Buffer): number {
  try {
    const verified: Verified = verifier.verify(req.headers, body, { now: Math.floor(Date.now() / 1000) })
    const index: number = verified.secretIndex
    const timestamp: number | null = verified.timestamp
    const id: string | null = verified.id
    return index + (timestamp ?? 0) + (id?.length ?? 0)
  } catch (error) {
    if (error instanceof HooksigError) {
      const code: ErrorCode = error.code
      if (code === 'SIGNATURE_MISMATCH') return 401
      return error.httpStatus
    }
    throw error
  }
}

function rawHeaders(req: IncomingMessage, body: Uint8Array): Verified {
  return verifier.verify(req.rawHeaders, body)
}

async function fromRequest(request: Request): Promise<Verified> {
  return verify('stripe', { secrets: 'whsec_x', tolerance: null }, request.headers, await request.arrayBuffer())
}

const shapes: HeadersInput[] = [
  { 'stripe-signature': 't=1,v1=00' },
  { 'x-many': ['a', 'b'], 'x-none': undefined },
  new Headers({ 'stripe-signature': 't=1,v1=00' }),
  new Map([['stripe-signature', 't=1,v1=00']]),
  [['Stripe-Signature', 't=1,v1=00']],
  [[Buffer.from('Stripe-Signature'), Buffer.from('t=1,v1=00')]],
  ['Stripe-Signature', 't=1,v1=00'],
]
const bodies: BodyInput[] = ['text', Buffer.from('x'), new Uint8Array(1), new ArrayBuffer(1)]

const headers: Record<string, string> = sign('stripe', 'whsec_x', '{}', { timestamp: 1_700_000_000 })
const line = { method: 'POST', pathAndQuery: '/v1/payouts' }
const s2s: Record<string, string> = sign('unknownpay-s2s', 'secret', '{}', { ...line, timestamp: 1, keyId: 'k', id: 'i' })
const again: Verified = new Verifier('unknownpay-s2s', { secrets: 'secret' }).verify(s2s, '{}', { ...line, now: 1 })
const bits: number = COMPACT_INDEX_BITS
const statuses: number[] = errorCodes().map((e) => e.httpStatus)

const app = express()
app.post('/hook', express.raw({ type: () => true }), (req, res) => {
  const verified = verifier.verify(req.headers, req.body as Buffer)
  res.json({ id: verified.id })
})

const explained: Explanation = explain('stripe', { secrets: ['whsec_x'], past: 60 }, shapes[0] ?? [], bodies[1] ?? '', {
  now: 1,
  tolerance: null,
})
const verdict: 'OK' | ErrorCode = explained.verdict
const matched: number | null = explained.secretIndex
const found: Finding[] = explain('unknownpay-s2s', 'secret', s2s, '{}', { method: 'POST', pathAndQuery: '/' }).findings
const codes: FindingCode[] = found.map((f) => f.code)
const fields: Array<string | number | undefined> = found.map((f) => f.fields['secret_index'] ?? f.fields['header'])
const messages: string[] = found.map((f) => f.message)

// @ts-expect-error: not a finding code
const wrongFinding: FindingCode = 'SIGNATURE_MISMATCH'
// @ts-expect-error: explain's options have no timestamp
explain('github', 's', {}, '', { timestamp: 1 })
// @ts-expect-error: a number is not a body
verifier.verify({}, 42)
// @ts-expect-error: options need secrets
new Verifier('github', {})
// @ts-expect-error: there is one verify
verifier.verifyRequest({}, '', { now: 1 })
// @ts-expect-error: a window is a number or null
new Verifier('github', { secrets: 's', tolerance: '300' })
// @ts-expect-error: an unknown code
const wrongCode: ErrorCode = 'NOPE'

// hooksig/replay: a store, verifyOnce, release; Verified's replay fields.
async function once(req: IncomingMessage, body: Buffer, store: ClaimStore): Promise<number> {
  try {
    const { verified, claim }: { verified: Verified; claim: Claim } = await verifyOnce(verifier, store, req.headers, body, {
      retention: 3600,
    })
    const key: string = verified.replayKey
    const signedId: boolean = verified.idSigned
    if (key.length !== 64 || !signedId) await store.release(claim)
    return 200
  } catch (error) {
    if (error instanceof HooksigError && error.code === 'DUPLICATE_DELIVERY') return 200
    if (error instanceof HooksigError && error.code === 'REPLAY_STORE_UNAVAILABLE') return 503
    throw error
  }
}
const memory: ClaimStore = new MemoryStore({ capacity: DEFAULT_STORE_CAPACITY, now: () => performance.now() })
const redis = new RedisStore('redis://127.0.0.1:6379/', { prefix: REPLAY_STORE_PREFIX, timeout: 1000 })
const passed: ClaimStore = new RedisStore(new Redis('redis://127.0.0.1:6379/'))
const ttl: number = verifier.replayTtl() + verifier.replayTtl(60)
const released: Promise<boolean> = redis.release({ replayKey: 'a'.repeat(64), token: 't' })
// @ts-expect-error: a store needs set and eval
new RedisStore({})

export { once, memory, redis, passed, ttl, released }
export { handle, rawHeaders, fromRequest, shapes, bodies, headers, again, bits, statuses, app, wrongCode }
export { explained, verdict, matched, codes, fields, messages, wrongFinding }

// The framework adapters (hooksig/express, hooksig/fastify, hooksig/web, hooksig/hono).
import { captureRawBody, webhook as expressWebhook, type Webhook, DEFAULT_BODY_LIMIT } from 'hooksig/express'
import { hooksigWebhook } from 'hooksig/fastify'
import { verifyRequest, webhook as routeHandler } from 'hooksig/web'
import { hooksig as honoHooksig } from 'hooksig/hono'
import Fastify from 'fastify'
import { Hono } from 'hono'

const adapterStore = new MemoryStore()
const expressApp = express()
expressApp.use(express.json())
expressApp.post(
  '/webhooks/stripe',
  expressWebhook(verifier, (req, res, hook: Webhook) => {
    const event: unknown = JSON.parse(hook.body.toString('utf8'))
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ received: hook.verified.scheme, event }))
  }, { store: adapterStore, limit: DEFAULT_BODY_LIMIT }),
)
const noTapApp = express()
noTapApp.use(express.json({ verify: captureRawBody }))
noTapApp.post('/webhooks/stripe', expressWebhook(verifier, (_req, res) => res.end(), { keepRawBody: false }))
const wanted: boolean = verifier.wantsHeader('Stripe-Signature')

const fastifyApp = Fastify()
void fastifyApp.register(hooksigWebhook, {
  verifier,
  url: '/webhooks/stripe',
  store: adapterStore,
  handler: async (_request, reply, hook) => reply.send({ received: hook.verified.scheme }),
})

export const POST = routeHandler(verifier, (_request, hook) => Response.json({ id: hook.verified.secretIndex }))
export async function PUT(request: Request): Promise<Response> {
  const result = await verifyRequest(request, verifier, { limit: 65_536, now: () => Math.floor(Date.now() / 1000) })
  if (result.verified === null) return result.response
  const length: number = result.body.length
  return Response.json({ length, code: result.code })
}

const honoApp = new Hono()
honoApp.post('/webhooks/stripe', honoHooksig(verifier, { store: adapterStore }), (c) => c.json({ scheme: c.get('hooksig').verified.scheme }))
