// Every verify and sign case of testdata/vectors.json through the package,
// asserting the exact code, secretIndex, timestamp and id. The body and
// header shapes rotate over the cases so every shape sees the whole file.
import assert from 'node:assert/strict'
import { timingSafeEqual } from 'node:crypto'
import { describe, test } from 'node:test'

import { HooksigError, Verifier, sign, verify } from 'hooksig'

import { lineOf, testdata, windowOf, wire } from './testdata.mjs'

const vectors = testdata('vectors.json')

function bodyOf(testCase, i) {
  const bytes = testCase.body_hex !== undefined ? Buffer.from(testCase.body_hex, 'hex') : Buffer.from(testCase.body, 'utf8')
  switch (i % 4) {
    case 0:
      return testCase.body_hex !== undefined ? bytes : testCase.body // a string is UTF-8
    case 1:
      return bytes
    case 2:
      return new Uint8Array(bytes)
    default: {
      // An ArrayBuffer holding exactly the body.
      const copy = new Uint8Array(bytes.length)
      copy.set(bytes)
      return copy.buffer
    }
  }
}

function headersOf(testCase, i) {
  const pairs = testCase.headers.map(([name, value]) => [wire(name), wire(value)])
  const textNames = pairs.every(([name]) => typeof name === 'string')
  switch (textNames ? i % 3 : 0) {
    case 0:
      return pairs
    case 1:
      return pairs.flat() // like req.rawHeaders
    default: {
      // A plain object: a name given more than once becomes an array of values.
      const object = {}
      for (const [name, value] of pairs) {
        object[name] = name in object ? [object[name], value].flat() : value
      }
      return object
    }
  }
}

/** The one verify (a Verifier's, or the one-shot), the request line given whenever the case has one. */
function run(testCase, i) {
  const headers = headersOf(testCase, i)
  const body = bodyOf(testCase, i)
  const call = { now: testCase.now ?? undefined, ...lineOf(testCase) }
  const options = { secrets: testCase.secrets, ...windowOf(testCase) }
  switch (i % 3) {
    case 0:
      return new Verifier(testCase.scheme, options).verify(headers, body, call)
    case 1:
      return verify(testCase.scheme, options, headers, body, call)
    default:
      return testCase.tolerance === undefined
        ? verify(testCase.scheme, testCase.secrets, headers, body, call)
        : new Verifier(testCase.scheme, options).verify(headers, body, call)
  }
}

function outcome(attempt) {
  try {
    return { code: 'OK', verified: attempt() }
  } catch (error) {
    assert.ok(error instanceof HooksigError, `not a HooksigError: ${error}`)
    return { code: error.code, verified: null }
  }
}

let keyed = 0
describe('verify cases', () => {
  assert.ok(vectors.cases.length >= 400, `only ${vectors.cases.length} cases`)
  vectors.cases.forEach((testCase, i) => {
    test(testCase.name, () => {
      const { code, verified } = outcome(() => run(testCase, i))
      assert.equal(code, testCase.expect)
      if (verified === null) return
      assert.equal(typeof verified.scheme, 'string')
      if (testCase.matched_secret !== undefined) assert.equal(verified.secretIndex, testCase.matched_secret)
      if (testCase.expect_timestamp !== undefined) assert.equal(verified.timestamp, testCase.expect_timestamp)
      if (testCase.expect_id !== undefined) assert.equal(verified.id, testCase.expect_id)
      if (testCase.expect_replay_key !== undefined) assert.equal(verified.replayKey, testCase.expect_replay_key)
      if (testCase.expect_id_signed !== undefined) assert.equal(verified.idSigned, testCase.expect_id_signed)
      if (testCase.expect === 'OK') keyed += testCase.expect_replay_key !== undefined ? 1 : 0
    })
  })
  test('the replay keys were checked', () => assert.ok(keyed >= 150, `only ${keyed} cases with expect_replay_key`))
})

/** Header values compared as bytes, in constant time (they carry MACs). */
function sameBytes(got, want) {
  const a = Buffer.from(got, 'utf8')
  const b = Buffer.from(want, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

describe('sign cases', () => {
  assert.ok(vectors.sign_cases.length >= 50, `only ${vectors.sign_cases.length} sign cases`)
  vectors.sign_cases.forEach((testCase, i) => {
    test(testCase.name, () => {
      const body = bodyOf(testCase, i)
      const timestamp = testCase.timestamp ?? undefined
      const options = { timestamp, id: testCase.id ?? undefined, keyId: testCase.request?.key_id ?? undefined }
      const { code, verified: headers } = outcome(() =>
        sign(testCase.scheme, testCase.secret, body, { ...options, ...lineOf(testCase) }),
      )
      assert.equal(code, testCase.expect)
      if (headers === null) return
      const names = testCase.headers.map(([name]) => name)
      assert.deepEqual(Object.keys(headers), names)
      for (const [name, value] of testCase.headers) {
        assert.ok(sameBytes(headers[name], value), `${name} differs`)
      }
      // What sign produces, verify accepts (S2S needs the key id header).
      if (testCase.request && !testCase.request.key_id) return
      const verifier = new Verifier(testCase.scheme, { secrets: [testCase.secret] })
      const verified = verifier.verify(headers, body, { now: timestamp ?? 0, ...lineOf(testCase) })
      assert.equal(verified.secretIndex, 0)
    })
  })
})
