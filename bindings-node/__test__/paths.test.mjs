// Verifier#verify has two ways through the native layer: a plain object's
// keys are walked in hooksig.js and the wanted ones cross in one call
// (`verifyHeaders`), every other shape goes through the general `verify`.
// Every verify case of testdata/vectors.json, and junk on top, must give the
// same outcome both ways; the spies prove which way each call went.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'

import { HooksigError, Verifier, sign } from 'hooksig'

import { lineOf, testdata, windowOf, wire } from './testdata.mjs'

// The native binding hooksig.js wraps (the same module instance).
const native = createRequire(import.meta.url)('../index.js')
const calls = { fast: 0, general: 0 }
for (const [method, counter] of [
  ['verifyHeaders', 'fast'],
  ['verify', 'general'],
]) {
  const original = native.Verifier.prototype[method]
  native.Verifier.prototype[method] = function (...args) {
    calls[counter] += 1
    return original.apply(this, args)
  }
}

/** The outcome of `run`, and which native method(s) it called. */
function outcome(run) {
  const before = { ...calls }
  let result
  try {
    result = { code: 'OK', verified: run() }
  } catch (error) {
    assert.ok(error instanceof HooksigError, `not a HooksigError: ${error}`)
    result = { code: error.code, verified: null }
  }
  return { ...result, fast: calls.fast - before.fast, general: calls.general - before.general }
}

/** `object`'s own properties (getters too) on an object whose prototype is not Object.prototype: the general path. */
function notPlain(object) {
  return Object.create(Object.create(null), Object.getOwnPropertyDescriptors(object))
}

/** Both paths give `verifier` the same headers; asserts they agree, returns the fast one's outcome. */
function bothPaths(verifier, headers, body, options) {
  const fast = outcome(() => verifier.verify(headers, body, options))
  const general = outcome(() => verifier.verify(notPlain(headers), body, options))
  assert.equal(general.fast, 0, 'the general path called verifyHeaders')
  assert.equal(general.general, 1)
  assert.equal(fast.code, general.code)
  assert.deepEqual(fast.verified, general.verified)
  return fast
}

const vectors = testdata('vectors.json')

describe('every verify case, plain object and general path alike', () => {
  let eligible = 0
  vectors.cases.forEach((testCase) => {
    test(testCase.name, () => {
      const pairs = testCase.headers.map(([name, value]) => [wire(name), wire(value)])
      if (!pairs.every(([name]) => typeof name === 'string')) return // byte names: no object shape
      // A name given more than once becomes an array of values (general path).
      const object = {}
      for (const [name, value] of pairs) object[name] = name in object ? [object[name], value].flat() : value
      const body = testCase.body_hex !== undefined ? Buffer.from(testCase.body_hex, 'hex') : testCase.body
      const verifier = outcome(() => new Verifier(testCase.scheme, { secrets: testCase.secrets, ...windowOf(testCase) }))
      if (verifier.code !== 'OK') {
        assert.equal(verifier.code, testCase.expect)
        return
      }
      const got = bothPaths(verifier.verified, object, body, { now: testCase.now ?? undefined, ...lineOf(testCase) })
      assert.equal(got.code, testCase.expect)
      if (testCase.expect_id !== undefined) assert.equal(got.verified.id, testCase.expect_id)
      if (testCase.expect_replay_key !== undefined) assert.equal(got.verified.replayKey, testCase.expect_replay_key)
      if (testCase.expect_id_signed !== undefined) assert.equal(got.verified.idSigned, testCase.expect_id_signed)
      // At most four distinct names with string values always fit the fast path.
      const names = new Set(pairs.map(([name]) => name))
      if (names.size === pairs.length && pairs.length <= 4 && pairs.every(([, value]) => typeof value === 'string')) {
        assert.deepEqual([got.fast, got.general], [1, 0], 'not the fast path')
        eligible += 1
      }
    })
  })
  test('most cases took the fast path', () => assert.ok(eligible >= 400, `only ${eligible}`))
})

describe('junk around the wanted headers, both paths', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const body = '{"type":"ping"}'
  const now = 1_700_000_000
  const standard = new Verifier('standard-webhooks', { secrets: [secret] })
  /** `req.headers` of a delivery with this id: lower-case names, the values as sign gives them (text). */
  const headersWith = (id) =>
    Object.fromEntries(
      Object.entries(sign('standard-webhooks', secret, body, { timestamp: now, id })).map(([name, value]) => [
        name.toLowerCase(),
        value,
      ]),
    )
  const lower = headersWith('msg_1')
  const longId = `msg_${'i'.repeat(400)}`
  const svix = Object.fromEntries(Object.entries(lower).map(([name, value]) => [name.replace('webhook-', 'svix-'), value]))
  const other = sign('standard-webhooks', secret, 'other body', { timestamp: now, id: 'msg_1' })['webhook-signature']
  const junk = {
    'x-odd': 'Ā is not a ByteString',
    'x-list': ['a', 'b'],
    'x-bytes': Buffer.from([0xff]),
    'x-null': null,
    'x-number': 7,
    'x-undefined': undefined,
    'x-long': 'v'.repeat(5000),
    ['x-'.padEnd(300, 'n')]: 'a name longer than any buffer',
  }
  const cases = {
    'the headers alone': [lower, 'OK'],
    'with junk the profile does not read': [{ ...junk, ...lower }, 'OK'],
    'svix names': [svix, 'OK'],
    'CGI names': [Object.fromEntries(Object.entries(lower).map(([n, v]) => [`HTTP_${n.toUpperCase().replaceAll('-', '_')}`, v])), 'OK'],
    'a wanted header twice in different case': [{ ...lower, 'WEBHOOK-SIGNATURE': other }, 'MALFORMED_HEADER'],
    'the same value twice in different case': [{ ...lower, 'Webhook-Id': 'msg_1' }, null],
    'webhook- and svix- names together (more than four wanted)': [{ ...lower, ...svix, 'Webhook-Id': 'msg_1' }, null],
    // Text is its UTF-8 bytes: another id is another MAC, whatever its characters.
    'a wanted value above U+00FF': [{ ...lower, 'webhook-id': 'msg_€' }, 'SIGNATURE_MISMATCH'],
    'a wanted non-ASCII value': [headersWith('msg_é€'), 'OK'],
    'a wanted value with a lone surrogate (UTF-8: U+FFFD)': [headersWith('msg_\uD800'), 'OK'],
    'a wanted value longer than the stack buffer': [headersWith(longId), 'OK'],
    'a long wanted value above U+00FF': [{ ...headersWith(longId), 'webhook-id': `${longId}Ā` }, 'SIGNATURE_MISMATCH'],
    'a long non-ASCII wanted value': [headersWith(`${longId}€`), 'OK'],
    'an undefined wanted value': [{ ...lower, 'webhook-id': undefined }, null],
    'an array wanted value': [{ ...lower, 'webhook-signature': [lower['webhook-signature']] }, 'OK'],
    'a null wanted value': [{ ...lower, 'webhook-id': null }, 'INVALID_ARGUMENT'],
    'a Buffer wanted value': [{ ...lower, 'webhook-id': Buffer.from('msg_1') }, 'OK'],
    'a number wanted value': [{ ...lower, 'webhook-timestamp': now }, 'INVALID_ARGUMENT'],
    'a wrong signature': [{ ...lower, 'webhook-signature': other }, 'SIGNATURE_MISMATCH'],
    'no signature header': [{ 'webhook-id': 'msg_1', 'webhook-timestamp': String(now) }, 'MISSING_HEADER'],
    'nothing at all': [{}, 'MISSING_HEADER'],
  }
  for (const [name, [headers, expect]] of Object.entries(cases)) {
    test(name, () => {
      const got = bothPaths(standard, headers, body, { now })
      if (expect !== null) assert.equal(got.code, expect)
    })
  }
  test('the id and timestamp come back as given, whichever path', () => {
    const got = bothPaths(standard, { ...junk, ...lower }, body, { now })
    const { replayKey } = standard.verify(Object.entries(lower), body, { now })
    const verified = { scheme: 'standard-webhooks', secretIndex: 0, timestamp: now, id: 'msg_1', idSigned: true, replayKey }
    assert.deepEqual(got.verified, verified)
    assert.equal(got.fast, 1)
    // A non-ASCII id is its text's UTF-8, and comes back as that text.
    const utf8 = bothPaths(standard, headersWith('msg_é€'), body, { now })
    assert.deepEqual([utf8.code, utf8.verified?.id], ['OK', 'msg_é€'])
    const surrogate = bothPaths(standard, headersWith('msg_\uD800'), body, { now })
    assert.deepEqual([surrogate.code, surrogate.verified?.id], ['OK', 'msg_\uFFFD'])
    const long = bothPaths(standard, headersWith(longId), body, { now })
    assert.deepEqual([long.code, long.verified?.id, long.fast], ['OK', longId, 1])
  })
  test('bad options and bodies are the same error both ways', () => {
    for (const [bad, options] of [
      [body, 'not an object'],
      [body, { now: -1 }],
      [42, { now }],
      [null, { now }],
    ]) {
      assert.equal(bothPaths(standard, lower, bad, options).code, 'INVALID_ARGUMENT')
    }
  })
  test('a throwing getter on a wanted header is INVALID_ARGUMENT both ways', () => {
    const headers = Object.defineProperty({ ...lower }, 'webhook-id', {
      enumerable: true,
      get() {
        throw new RangeError('from a getter')
      },
    })
    assert.equal(bothPaths(standard, headers, body, { now }).code, 'INVALID_ARGUMENT')
  })
  test('a second secret, the index packed and unpacked', () => {
    const two = new Verifier('standard-webhooks', { secrets: ['whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', secret] })
    const got = bothPaths(two, lower, body, { now })
    assert.equal(got.verified.secretIndex, 1)
    assert.equal(got.fast, 1)
  })
  test('more header names than the verifier remembers still verify, both ways', () => {
    const many = { ...lower }
    for (let i = 0; i < 600; i++) many[`x-junk-${i}`] = String(i)
    for (let round = 0; round < 2; round++) assert.equal(bothPaths(standard, many, body, { now }).code, 'OK')
    // The remembered names did not crowd out the wanted ones (asked again each call).
    const late = new Verifier('standard-webhooks', { secrets: [secret] })
    const junkFirst = {}
    for (let i = 0; i < 600; i++) junkFirst[`x-junk-${i}`] = String(i)
    assert.equal(bothPaths(late, { ...junkFirst, ...lower }, body, { now }).code, 'OK')
    assert.equal(bothPaths(late, { ...junkFirst, ...lower, 'WEBHOOK-ID': 'other' }, body, { now }).code, 'MALFORMED_HEADER')
  })
})
