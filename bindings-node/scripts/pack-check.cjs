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
console.log(`npm pack: ${require.resolve('hooksig')} installs, verifies and rejects`)
