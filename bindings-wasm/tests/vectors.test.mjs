// Every case of testdata/vectors.json and testdata/explain.json through the
// edge build (hooksig.wasm) in Node: the exact code, secretIndex, timestamp,
// id, idSigned and replayKey; header and body shapes rotate over the cases.
import assert from 'node:assert/strict'
import { timingSafeEqual } from 'node:crypto'
import { describe, test } from 'node:test'

import { HooksigError, Verifier, errorCodes, explain, sign, verify, verifyRequest } from '../../bindings-node/edge/index.mjs'

import { bodyOf, lineOf, testdata, windowOf, wire } from './testdata.mjs'

const vectors = testdata('vectors.json')
const explainCases = testdata('explain.json')

/** Headers by turns: pairs, a flat list, a plain object (repeats as arrays), a WHATWG Headers, a Map. */
function headersOf(testCase, i) {
  const pairs = testCase.headers.map(([name, value]) => [wire(name), wire(value)])
  const text = pairs.every(([n, v]) => typeof n === 'string' && typeof v === 'string')
  const names = pairs.map(([n]) => (typeof n === 'string' ? n.toLowerCase() : null))
  const unique = text && new Set(names).size === names.length
  switch (text ? i % 5 : i % 2) {
    case 0:
      return pairs
    case 1:
      return pairs.flat()
    case 2: {
      const object = {}
      for (const [name, value] of pairs) object[name] = name in object ? [object[name], value].flat() : value
      return object
    }
    case 3: {
      // Headers joins repeats with ", " and rejects some bytes: only for cases it can carry as sent.
      if (!unique || pairs.some(([, v]) => /[\0\r\n]|^[ \t]|[ \t]$/.test(v) || /[^\x20-\x7e]/.test(v))) return pairs
      try {
        return new Headers(pairs)
      } catch {
        return pairs
      }
    }
    default:
      return unique ? new Map(pairs) : pairs
  }
}

function outcome(attempt) {
  try {
    return { code: 'OK', value: attempt() }
  } catch (error) {
    assert.ok(error instanceof HooksigError, `not a HooksigError: ${error}`)
    return { code: error.code, value: null }
  }
}

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

describe('verify cases', () => {
  assert.ok(vectors.cases.length >= 400, `only ${vectors.cases.length} cases`)
  vectors.cases.forEach((testCase, i) => {
    test(testCase.name, () => {
      const { code, value } = outcome(() => run(testCase, i))
      assert.equal(code, testCase.expect)
      if (value === null) return
      assert.equal(typeof value.scheme, 'string')
      if (testCase.matched_secret !== undefined) assert.equal(value.secretIndex, testCase.matched_secret)
      if (testCase.expect_timestamp !== undefined) assert.equal(value.timestamp, testCase.expect_timestamp)
      if (testCase.expect_id !== undefined) assert.equal(value.id, testCase.expect_id)
      if (testCase.expect_id_signed !== undefined) assert.equal(value.idSigned, testCase.expect_id_signed)
      if (testCase.expect_replay_key !== undefined) assert.equal(value.replayKey, testCase.expect_replay_key)
    })
  })
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
      const { code, value: headers } = outcome(() => sign(testCase.scheme, testCase.secret, body, { ...options, ...lineOf(testCase) }))
      assert.equal(code, testCase.expect)
      if (headers === null) return
      assert.deepEqual(Object.keys(headers), testCase.headers.map(([name]) => name))
      for (const [name, value] of testCase.headers) assert.ok(sameBytes(headers[name], value), `${name} differs`)
      if (testCase.request && !testCase.request.key_id) return
      const verified = new Verifier(testCase.scheme, { secrets: [testCase.secret] }).verify(headers, body, {
        now: timestamp ?? 0,
        ...lineOf(testCase),
      })
      assert.equal(verified.secretIndex, 0)
    })
  })
})

describe('explain cases', () => {
  assert.ok(explainCases.cases.length >= 25, `only ${explainCases.cases.length} cases`)
  explainCases.cases.forEach((testCase, i) => {
    test(testCase.name, () => {
      const window = windowOf(testCase)
      const inOptions = i % 2 === 0
      const secrets = inOptions ? { secrets: testCase.secrets, ...window } : testCase.secrets
      const options = inOptions ? { now: testCase.now } : { now: testCase.now, ...window }
      const pairs = testCase.headers.map(([name, value]) => [wire(name), wire(value)])
      const headers = i % 3 === 0 ? pairs : i % 3 === 1 ? pairs.flat() : new Map(pairs)
      const go = () => explain(testCase.scheme, secrets, headers, bodyOf(testCase, i), options)
      if (testCase.raises !== undefined) {
        assert.throws(go, (e) => e instanceof HooksigError && e.code === testCase.raises)
        return
      }
      const got = go()
      assert.equal(got.verdict, testCase.expect)
      if (got.verdict === 'OK') assert.equal(typeof got.secretIndex, 'number')
      else assert.equal(got.secretIndex, null)
      assert.deepEqual(got.findings.map((f) => f.code), testCase.findings.map((f) => f.code))
      testCase.findings.forEach(({ code, fields }, k) => {
        assert.deepEqual(got.findings[k].fields, fields, `${code} fields`)
        assert.ok(got.findings[k].message.length > 0)
      })
    })
  })
})

const throwsCode = (run, what, code = 'INVALID_ARGUMENT') =>
  assert.throws(run, (error) => error instanceof HooksigError && error.code === code, what)

describe('arguments', () => {
  const secret = 'whsec_test_secret'
  const body = '{"id":"evt_1"}'

  test('window options: -1, 1.5, "300", true, 1e30, NaN, Infinity are INVALID_ARGUMENT everywhere', () => {
    for (const name of ['tolerance', 'past', 'future']) {
      for (const bad of [-1, 1.5, '300', true, 1e30, NaN, Infinity, 10n]) {
        const what = `${name}: ${String(bad)}`
        throwsCode(() => new Verifier('stripe', { secrets: [secret], [name]: bad }), what)
        throwsCode(() => verify('stripe', { secrets: [secret], [name]: bad }, {}, body), what)
        throwsCode(() => explain('stripe', [secret], {}, body, { [name]: bad }), what)
      }
    }
    throwsCode(() => new Verifier('stripe', { secrets: [secret], tolerance: null, past: 5 }), 'past with the window off')
  })

  test('a Stripe delivery signed in 2001 is rejected with tolerance -1 (not a disabled window)', () => {
    const headers = sign('stripe', secret, body, { timestamp: 1_000_000_000 })
    throwsCode(() => verify('stripe', { secrets: [secret], tolerance: -1 }, headers, body))
    throwsCode(() => verify('stripe', secret, headers, body), 'stale', 'TIMESTAMP_TOO_OLD')
    assert.equal(verify('stripe', { secrets: [secret], tolerance: null }, headers, body).timestamp, 1_000_000_000)
  })

  test('wrong types are INVALID_ARGUMENT, never a TypeError', () => {
    const headers = sign('github', secret, body)
    const v = new Verifier('github', { secrets: secret })
    for (const [what, go] of [
      ['profile number', () => new Verifier(5, { secrets: secret })],
      ['unknown profile', () => new Verifier('nope', { secrets: secret })],
      ['no options', () => new Verifier('github')],
      ['secrets number', () => new Verifier('github', { secrets: 5 })],
      ['nine secrets', () => new Verifier('github', { secrets: Array(9).fill(secret) })],
      ['headers string', () => v.verify('x', body)],
      ['headers null', () => v.verify(null, body)],
      ['header value number', () => v.verify({ 'X-Hub-Signature-256': 5 }, body)],
      ['odd flat list', () => v.verify(['X-Hub-Signature-256'], body)],
      ['body number', () => v.verify(headers, 5)],
      ['body Uint16Array', () => v.verify(headers, new Uint16Array(2))],
      ['now string', () => v.verify(headers, body, { now: '1' })],
      ['now fraction', () => v.verify(headers, body, { now: 1.5 })],
      ['now negative', () => v.verify(headers, body, { now: -1 })],
      ['method only', () => v.verify(headers, body, { method: 'POST' })],
      ['method number', () => v.verify(headers, body, { method: 1, pathAndQuery: '/' })],
      ['options array', () => v.verify(headers, body, [])],
      ['sign timestamp string', () => sign('stripe', secret, body, { timestamp: '1' })],
      ['sign key id for github', () => sign('github', secret, body, { keyId: 'k' })],
      ['sign without timestamp', () => sign('stripe', secret, body)],
      ['explain unknown profile', () => explain('nope', [secret], headers, body)],
      ['throwing iterator', () => v.verify({ entries() { throw new Error('boom') } }, body)],
    ]) {
      throwsCode(go, what)
    }
  })

  test('text header values are their UTF-8 bytes, as in every binding', () => {
    const id = 'dép-ünï-1'
    const headers = sign('github', secret, body, { id })
    assert.equal(verify('github', secret, headers, body).id, id)
    const bytes = [...Object.entries(headers)].map(([n, v]) => [n, new TextEncoder().encode(v)])
    assert.equal(verify('github', secret, bytes, body).id, id)
  })

  test('error codes: the core list, with statuses', () => {
    const codes = errorCodes()
    assert.equal(codes[0].code, 'MISSING_HEADER')
    assert.equal(codes.find((c) => c.code === 'SIGNATURE_MISMATCH')?.httpStatus, 401)
    assert.ok(codes.some((c) => c.code === 'INTERNAL'))
    assert.deepEqual(codes.slice(-2).map((c) => [c.code, c.httpStatus]), [['PAYLOAD_TOO_LARGE', 413], ['RAW_BODY_UNAVAILABLE', 500]])
  })

  test('verifyRequest reads a Request: headers, raw body, request line', async () => {
    const line = { method: 'POST', pathAndQuery: '/v1/payouts?dry=1' }
    const headers = sign('unknownpay-s2s', 's2s-secret', body, { ...line, timestamp: 1700000000, keyId: 'key-1', id: 'idem-1' })
    const request = () => new Request(`http://127.0.0.1${line.pathAndQuery}`, { method: 'POST', headers, body })
    const v = new Verifier('unknownpay-s2s', { secrets: 's2s-secret' })
    const got = await verifyRequest(v, request(), { now: 1700000000 })
    assert.deepEqual([got.secretIndex, got.timestamp, got.id], [0, 1700000000, 'idem-1'])
    const moved = new Request('http://127.0.0.1/v1/other', { method: 'POST', headers, body })
    await assert.rejects(verifyRequest(v, moved, { now: 1700000000 }), (e) => e.code === 'SIGNATURE_MISMATCH')
    await assert.rejects(verifyRequest({}, request()), (e) => e.code === 'INVALID_ARGUMENT')
  })

  test('large bodies and many verifiers (memory is reused and freed)', () => {
    const big = new Uint8Array(1 << 20).fill(97)
    const headers = sign('github', secret, big)
    for (let i = 0; i < 200; i++) {
      const v = new Verifier('github', { secrets: [secret] })
      assert.equal(v.verify(headers, big).secretIndex, 0)
      v.dispose()
    }
    assert.equal(verify('github', secret, headers, 'a'.repeat(1 << 20)).scheme, 'github')
  })
})
