// The edge build inside real edge runtimes: a workerd (npm `workerd`) and a
// Deno (npm `deno`) each serve tests/edge/worker.mjs on 127.0.0.1 on a free
// port; Stripe deliveries are POSTed over loopback: genuine -> 200,
// tampered -> 401, stale -> 401, unsigned -> 400. Servers stop at the end.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { sign } from '../../bindings-node/edge/index.mjs'

const here = fileURLToPath(new URL('./edge/', import.meta.url))
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url))
const SECRET = 'whsec_edge_test_secret'

/** A port nobody listens on (the OS's choice), released for the server to take. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Starts `command`, waits until it answers HTTP on `port` (or exits). */
async function serve(command, args, port, env = {}) {
  const child = spawn(command, args, { cwd: here, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
  for (let i = 0; i < 600; i++) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 100))])
    if (code !== undefined) throw new Error(`${command} exited (${code}):\n${output}`)
    try {
      await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '' })
      return { child, exited, output: () => output }
    } catch {
      // not listening yet
    }
  }
  child.kill('SIGKILL')
  throw new Error(`${command} did not listen on ${port}:\n${output}`)
}

async function stop(server) {
  if (server.child.exitCode !== null) return
  server.child.kill('SIGTERM')
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000)
  await server.exited
  clearTimeout(timer)
}

/** POSTs a delivery; its status and JSON answer. */
async function post(port, headers, body) {
  const response = await fetch(`http://127.0.0.1:${port}/webhooks/stripe?x=1`, { method: 'POST', headers, body })
  return { status: response.status, json: await response.json() }
}

async function deliveries(port) {
  const body = '{"id":"evt_edge","object":"event","amount":1250}'
  const now = Math.floor(Date.now() / 1000)
  const genuine = sign('stripe', SECRET, body, { timestamp: now })
  const ok = await post(port, genuine, body)
  assert.equal(ok.status, 200, JSON.stringify(ok.json))
  assert.deepEqual([ok.json.scheme, ok.json.timestamp], ['stripe', now])
  assert.match(ok.json.replayKey, /^[0-9a-f]{64}$/)
  const tampered = await post(port, genuine, body.replace('1250', '9999'))
  assert.deepEqual([tampered.status, tampered.json.error], [401, 'SIGNATURE_MISMATCH'])
  const stale = await post(port, sign('stripe', SECRET, body, { timestamp: now - 3600 }), body)
  assert.deepEqual([stale.status, stale.json.error], [401, 'TIMESTAMP_TOO_OLD'])
  const unsigned = await post(port, { 'content-type': 'application/json' }, body)
  assert.deepEqual([unsigned.status, unsigned.json.error], [400, 'MISSING_HEADER'])
  const forged = await post(port, sign('stripe', 'whsec_other', body, { timestamp: now }), body)
  assert.deepEqual([forged.status, forged.json.error], [401, 'SIGNATURE_MISMATCH'])
}

const servers = []
after(async () => {
  await Promise.all(servers.map(stop))
})

describe('edge runtimes', () => {
  test('workerd serves the Worker: genuine 200, tampered 401, stale 401, unsigned 400', async () => {
    const port = await freePort()
    const server = await serve(bin('workerd'), ['serve', 'config.capnp', '--socket-addr', `http=127.0.0.1:${port}`], port)
    servers.push(server)
    await deliveries(port)
    await stop(server)
    assert.notEqual(server.child.exitCode ?? server.child.signalCode, null, 'workerd still running')
  })

  test('Deno serves the same Worker (deno serve, import map)', async () => {
    const port = await freePort()
    const denoDir = mkdtempSync(join(tmpdir(), 'hooksig-deno-'))
    const server = await serve(
      bin('deno'),
      ['serve', '--quiet', '--no-prompt', '--config', 'deno.json', '--allow-read', '--allow-net=127.0.0.1', '--host', '127.0.0.1', '--port', String(port), 'worker.mjs'],
      port,
      { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    )
    servers.push(server)
    try {
      await deliveries(port)
    } finally {
      await stop(server)
      rmSync(denoDir, { recursive: true, force: true })
    }
  })
})
