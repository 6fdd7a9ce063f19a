// One more OS process sharing a Redis, for replay-redis.test.mjs (not a test
// file). Builds the same signed deliveries as its parent, prints `ready`,
// waits for a line on stdin, then sends every one of DELIVERIES deliveries
// COPIES times, all at once, through verifyOnce with its own RedisStore,
// and prints one line per send: `<delivery number> <OK or error code>`.
//   node replay-worker.mjs URL PREFIX DELIVERIES COPIES
import { once } from 'node:events'

import { HooksigError } from 'hooksig'
import { RedisStore, verifyOnce } from 'hooksig/replay'

import { NOW, stripe, verifier } from './replay-support.mjs'

const [url, prefix, deliveries, copies] = process.argv.slice(2)
const store = new RedisStore(url, { prefix })
const check = verifier()
const all = Array.from({ length: Number(deliveries) }, (_, n) => stripe('race', n))
console.log('ready')
await once(process.stdin, 'data')
const sends = []
for (let copy = 0; copy < Number(copies); copy++) {
  all.forEach(({ headers, body }, n) => {
    const outcome = verifyOnce(check, store, headers, body, { now: NOW }).then(
      () => 'OK',
      (error) => (error instanceof HooksigError ? error.code : `THROWN ${error}`),
    )
    sends.push(outcome.then((code) => `${n} ${code}`))
  })
}
const lines = await Promise.all(sends)
console.log(lines.join('\n'))
await store.close()
process.stdin.destroy()
