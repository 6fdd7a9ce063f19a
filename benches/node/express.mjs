// `make bench-express`: requests per second through an Express webhook route,
// on loopback, for the same app written three ways (and hooksig twice):
//
// - hooksig/express: `webhook(verifier, handler)` on the route (it reads the
//   raw body itself);
// - hooksig/express behind a global `express.json()` (the body kept as
//   received while the parser reads it), and the same with the parser's
//   `verify: captureRawBody` hook instead (what the tap costs);
// - node:crypto by hand: `express.raw()` on the route, the Stripe header
//   split by hand, the 300 s window, `createHmac` + `timingSafeEqual`;
// - @hookflo/tern: `createWebhookMiddleware({ platform: 'stripe', secret })`
//   on the route, as its README shows.
//
// Every handler parses the JSON body and answers `{"received": id}`. Each app
// runs in its own Node process pinned to CPU 0; wrk (one thread, 16
// connections, pinned to CPU 1) posts the same signed Stripe delivery (300 B
// and 64 KiB bodies, signed at the start of each round). Before timing, each
// app must answer the genuine delivery 200 and a tampered one 400, and wrk
// must see no other status. Rounds interleave the contestants; a figure is
// the median over rounds, with the range. Writes benches/RESULTS-express.md.
//
// Usage: node express.mjs [--seconds 5] [--rounds 3]     (the whole run)
//        node express.mjs --serve NAME                   (one app; prints its port)

import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import { createWebhookMiddleware } from '@hookflo/tern/express'
import express from 'express'
import { Verifier, sign } from 'hooksig'
import { captureRawBody, webhook } from 'hooksig/express'

const SECRET = 'whsec_bench_express_secret'
const ROUTE = '/webhooks/stripe'
const SIZES = [300, 65536]
const TOLERANCE = 300

/** The apps, by name: each an Express app with the webhook route. */
const apps = {
  'hooksig/express': () => {
    const app = express()
    const verifier = new Verifier('stripe', { secrets: SECRET })
    app.post(ROUTE, webhook(verifier, (req, res, { body }) => res.json({ received: JSON.parse(body.toString('utf8')).id })))
    return app
  },
  'hooksig/express behind express.json()': () => {
    const app = express()
    app.use(express.json({ limit: '1mb' }))
    const verifier = new Verifier('stripe', { secrets: SECRET })
    app.post(ROUTE, webhook(verifier, (req, res, { body }) => res.json({ received: JSON.parse(body.toString('utf8')).id })))
    return app
  },
  'hooksig/express behind express.json({ verify: captureRawBody })': () => {
    const app = express()
    app.use(express.json({ limit: '1mb', verify: captureRawBody }))
    const verifier = new Verifier('stripe', { secrets: SECRET })
    const handler = (req, res, { body }) => res.json({ received: JSON.parse(body.toString('utf8')).id })
    app.post(ROUTE, webhook(verifier, handler, { keepRawBody: false }))
    return app
  },
  'node:crypto by hand': () => {
    const app = express()
    app.post(ROUTE, express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
      if (!verifyByHand(req.get('stripe-signature') ?? '', req.body)) return res.status(400).json({ error: 'invalid signature' })
      res.json({ received: JSON.parse(req.body.toString('utf8')).id })
    })
    return app
  },
  '@hookflo/tern': () => {
    const app = express()
    app.post(ROUTE, createWebhookMiddleware({ platform: 'stripe', secret: SECRET, toleranceInSeconds: TOLERANCE }), (req, res) =>
      res.json({ received: /** @type {any} */ (req).webhook.payload.id }),
    )
    return app
  },
}

/** What a merchant writes from Stripe's docs: `t=…,v1=…`, the window, HMAC, a constant-time compare. */
function verifyByHand(header, body) {
  let timestamp = NaN
  const signatures = []
  for (const part of header.split(',')) {
    const at = part.indexOf('=')
    const key = part.slice(0, at)
    const value = part.slice(at + 1)
    if (key === 't') timestamp = Number(value)
    else if (key === 'v1') signatures.push(value)
  }
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE) return false
  const expected = createHmac('sha256', SECRET).update(`${timestamp}.`).update(body).digest()
  return signatures.some((hex) => {
    const given = Buffer.from(hex, 'hex')
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

/** A Stripe event of exactly `size` bytes (its id, then padding). */
function bodyOf(size) {
  const head = `{"id":"evt_bench_${size}","object":"event","type":"payment_intent.succeeded","data":{"pad":"`
  const tail = '"}}'
  return Buffer.from(head + 'x'.repeat(size - head.length - tail.length) + tail)
}

async function serve(name) {
  const server = createServer(apps[name]())
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  process.stdout.write(`${server.address().port}\n`)
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
}

/** Starts one app in its own process on CPU 0; resolves to { url, stop }. */
async function start(name) {
  const child = spawn('taskset', ['-c', '0', process.execPath, new URL(import.meta.url).pathname, '--serve', name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const [chunk] = await once(child.stdout, 'data')
  const url = `http://127.0.0.1:${Number(String(chunk).trim())}${ROUTE}`
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

/** The genuine delivery must get 200, a tampered one 400 (each app's rejection status). */
async function check(name, url, body, signature) {
  const post = (b) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: b })
  const good = await post(body)
  const answer = await good.json()
  if (good.status !== 200 || answer.received !== JSON.parse(body).id) throw new Error(`${name}: genuine delivery got ${good.status}`)
  const tampered = Buffer.from(body)
  tampered[tampered.length - 4] ^= 1
  const bad = await post(tampered)
  await bad.arrayBuffer()
  if (bad.status !== 400 && bad.status !== 401) throw new Error(`${name}: tampered delivery got ${bad.status}`)
}

/** wrk on CPU 1 for `seconds`: requests per second, failing on any status but 2xx. */
function wrk(url, script, seconds) {
  const out = execFileSync('taskset', ['-c', '1', 'wrk', '-t1', '-c16', `-d${seconds}s`, '-s', script, url], { encoding: 'utf8' })
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`wrk saw failures:\n${out}`)
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(out)
  if (!rate) throw new Error(`wrk printed no rate:\n${out}`)
  return Number(rate[1])
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (x) => Math.round(x).toLocaleString('en-US')

async function main() {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' }, serve: { type: 'string' } } })
  if (values.serve) return serve(values.serve)
  const seconds = Number(values.seconds)
  const rounds = Number(values.rounds)
  const dir = mkdtempSync(join(tmpdir(), 'hooksig-bench-express-'))
  const began = Date.now()
  const loadStart = loadavg()[0]
  /** @type {Map<string, number[]>} rates by `name size` */
  const rates = new Map()
  try {
    for (let round = 0; round < rounds; round++) {
      for (const size of SIZES) {
        const body = bodyOf(size)
        const signature = sign('stripe', SECRET, body, { timestamp: Math.floor(Date.now() / 1000) })['Stripe-Signature']
        const bodyFile = join(dir, `body-${size}.json`)
        writeFileSync(bodyFile, body)
        const script = join(dir, `post-${size}.lua`)
        writeFileSync(
          script,
          `wrk.method = "POST"\nlocal f = io.open("${bodyFile}", "rb")\nwrk.body = f:read("*a")\nf:close()\n` +
            `wrk.headers["Content-Type"] = "application/json"\nwrk.headers["Stripe-Signature"] = "${signature}"\n`,
        )
        // A different order each round, so no contestant always runs first.
        const names = Object.keys(apps)
        const order = names.map((_, i) => names[(i + round) % names.length])
        for (const name of order) {
          const app = await start(name)
          try {
            await check(name, app.url, body, signature)
            wrk(app.url, script, 1) // warm-up
            const rate = wrk(app.url, script, seconds)
            const key = `${name} ${size}`
            rates.set(key, [...(rates.get(key) ?? []), rate])
            process.stderr.write(`round ${round + 1}/${rounds} ${size} B ${name}: ${fmt(rate)} req/s\n`)
          } finally {
            await app.stop()
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const versions = ['express', '@hookflo/tern', 'hooksig'].map((p) => `${p} ${JSON.parse(readFileSync(new URL(`node_modules/${p}/package.json`, import.meta.url), 'utf8')).version}`)
  const wrkVersion = /^wrk \S+/.exec(spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout)?.[0] ?? 'wrk'
  const lines = [
    '# Express adapter: requests per second',
    '',
    `Generated by \`make bench-express\` (\`benches/node/express.mjs\`); do not edit by hand. ${rounds} round(s) of ${seconds} s; run took ${Math.round((Date.now() - began) / 1000)} s, finished ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    'The same Express app five ways (see the script\'s header): every handler parses the JSON body and answers `{"received": id}`. One app at a time in its own Node process pinned to CPU 0; `wrk -t1 -c16` pinned to CPU 1 posts one signed Stripe delivery over loopback (keep-alive). Each app answered the genuine delivery 200 and a tampered one 400 before timing, and wrk saw only 2xx. A figure is the median over rounds, with the range; `× by hand` and `× tern` are hooksig\'s rate over theirs (higher is better for hooksig).',
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; Node ${process.version}; ${versions.join(', ')}; ${wrkVersion}. Load average (1 min) at start / end: ${loadStart.toFixed(2)} / ${loadavg()[0].toFixed(2)}.`,
    '',
    '| body | contestant | req/s | range | × by hand | × tern |',
    '|---:|---|---:|---|---:|---:|',
  ]
  for (const size of SIZES) {
    const at = (name) => median(rates.get(`${name} ${size}`))
    for (const name of Object.keys(apps)) {
      const all = rates.get(`${name} ${size}`)
      const ours = name.startsWith('hooksig')
      const ratio = (other) => (ours ? (at(name) / at(other)).toFixed(2) : '')
      lines.push(
        `| ${size >= 1024 ? `${size / 1024} KiB` : `${size} B`} | ${ours ? `**${name}**` : name} | ${fmt(at(name))} | ${fmt(Math.min(...all))}–${fmt(Math.max(...all))} | ${ratio('node:crypto by hand')} | ${ratio('@hookflo/tern')} |`,
      )
    }
  }
  const out = new URL('../RESULTS-express.md', import.meta.url)
  writeFileSync(out, `${lines.join('\n')}\n`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

await main()
