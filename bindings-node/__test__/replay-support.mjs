// What the replay tests and their worker share (not a test file): signed
// Stripe deliveries built the same way in every process (as the Rust
// crate's tests/support/deliveries.rs), and a real redis-server on a free
// loopback port, stopped by the test that started it.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

import { Verifier, sign } from 'hooksig'

export const SECRET = 'whsec_replay_test_secret'
/** The delivery time (Unix seconds) and the verifiers' `now`. */
export const NOW = 1_700_000_000

export const verifier = () => new Verifier('stripe', { secrets: SECRET })

/** A JSON body of exactly `len` bytes naming `salt` and `n`. */
export function body(salt, n, len = 300) {
  const head = `{"salt":"${salt}","n":${n},"pad":"`
  return Buffer.from(`${head}${'x'.repeat(Math.max(0, len - head.length - 2))}"}`)
}

/** Stripe delivery number `n` of a run named `salt`: `{ headers, body }`. */
export function stripe(salt, n) {
  const payload = body(salt, n)
  return { headers: sign('stripe', SECRET, payload, { timestamp: NOW }), body: payload }
}

/** Asks the server at `port` for PONG; true if it answered. */
async function pong(port) {
  const socket = connect(port, '127.0.0.1')
  try {
    await once(socket, 'connect')
    socket.write('PING\r\n')
    const [data] = await once(socket, 'data')
    return String(data) === '+PONG\r\n'
  } catch {
    return false
  } finally {
    socket.destroy()
  }
}

async function freePort() {
  const probe = createServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address())
  probe.close()
  await once(probe, 'close')
  return port
}

/** A running redis-server (`REDIS_SERVER` or the one on PATH): `url`, `pid`, `stop()`. */
export async function startRedis() {
  const program = process.env.REDIS_SERVER || 'redis-server'
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
    const child = spawn(program, args, { stdio: 'ignore' })
    const exited = once(child, 'exit')
    let error
    child.once('error', (e) => (error = e))
    for (let i = 0; i < 500 && child.exitCode === null && error === undefined; i++) {
      if (await pong(port)) {
        const stop = async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGKILL')
            await exited
          }
        }
        return { url: `redis://127.0.0.1:${port}/`, port, pid: child.pid, stop }
      }
      await sleep(20)
    }
    if (error) throw new Error(`cannot run ${program} (${error.message}): \`make test-node\` installs redis-server`)
    child.kill('SIGKILL')
  }
  throw new Error('redis-server did not start')
}
