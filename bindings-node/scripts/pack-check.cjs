// Run from a scratch project where `npm pack`'s tarball was installed:
// the package loads by name and verifies, rejects and signs.
'use strict'
const assert = require('node:assert/strict')
const { HooksigError, Verifier, sign } = require('hooksig')

const headers = sign('github', 'pack-secret', 'packed body', { id: 'delivery-1' })
const verified = new Verifier('github', { secrets: 'pack-secret' }).verify(headers, Buffer.from('packed body'))
assert.equal(verified.secretIndex, 0)
assert.equal(verified.id, 'delivery-1')
assert.throws(
  () => new Verifier('github', { secrets: 'pack-secret' }).verify(headers, 'packed bodY'),
  (error) => error instanceof HooksigError && error.code === 'SIGNATURE_MISMATCH',
)
// The replay entry ships too, and claims a verified delivery once (memory store).
const { MemoryStore, verifyOnce } = require('hooksig/replay')
const store = new MemoryStore()
const verifier = new Verifier('github', { secrets: 'pack-secret' })
verifyOnce(verifier, store, headers, 'packed body')
  .then(({ verified: first }) => {
    assert.equal(first.replayKey.length, 64)
    return verifyOnce(verifier, store, headers, 'packed body').then(
      () => assert.fail('a replay was accepted'),
      (error) => assert.equal(error.code, 'DUPLICATE_DELIVERY'),
    )
  })
  .then(() => console.log(`npm pack: ${require.resolve('hooksig')} installs, verifies, rejects and de-duplicates`))
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
