// Every case of testdata/explain.json through `explain`, asserting the
// verdict, the exact list of finding codes and every field the case gives;
// the header, body and option shapes rotate over the cases. Then: a signed
// request, the system clock, and bad arguments (the only thing that throws).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { HooksigError, explain, sign, verify } from 'hooksig'

import { diagnose } from '../examples/explain.mjs'
import { testdata, windowOf, wire } from './testdata.mjs'

const data = testdata('explain.json')

/** Shapes that keep header names as sent (findings name headers as received). */
function headersOf(testCase, i) {
  const pairs = testCase.headers.map(([name, value]) => [wire(name), wire(value)])
  switch (i % 4) {
    case 0:
      return pairs
    case 1:
      return pairs.flat() // like req.rawHeaders
    case 2:
      return new Map(pairs)
    default:
      return Object.fromEntries(pairs)
  }
}

function bodyOf(testCase, i) {
  const bytes = Buffer.from(testCase.body, 'utf8')
  switch (i % 4) {
    case 0:
      return testCase.body
    case 1:
      return bytes
    case 2:
      return new Uint8Array(bytes)
    default:
      return new Uint8Array(bytes).buffer
  }
}

/** The window goes in the secrets' options object or in explain's own options, by turns. */
function run(testCase, i) {
  const window = windowOf(testCase)
  const inOptions = i % 2 === 0
  const secrets = inOptions ? { secrets: testCase.secrets, ...window } : testCase.secrets
  const options = inOptions ? { now: testCase.now } : { now: testCase.now, ...window }
  return explain(testCase.scheme, secrets, headersOf(testCase, i), bodyOf(testCase, i), options)
}

function verifyCode(testCase) {
  try {
    verify(testCase.scheme, { secrets: testCase.secrets, ...windowOf(testCase) }, headersOf(testCase, 0), testCase.body, {
      now: testCase.now,
    })
    return 'OK'
  } catch (error) {
    assert.ok(error instanceof HooksigError, `not a HooksigError: ${error}`)
    return error.code
  }
}

/** Asserts that `run` throws HooksigError INVALID_ARGUMENT (or `code`). */
function throwsCode(run, what, code = 'INVALID_ARGUMENT') {
  assert.throws(run, (error) => error instanceof HooksigError && error.code === code, what)
}

/** The keys every explanation has (the core may add more; they are read by name). */
const keys = ({ verdict, secretIndex, findings }) => ({ verdict, secretIndex, findings })

describe('explain cases', () => {
  assert.ok(data.cases.length >= 25, `only ${data.cases.length} cases`)
  data.cases.forEach((testCase, i) => {
    test(testCase.name, () => {
      if (testCase.raises !== undefined) {
        throwsCode(() => run(testCase, i), testCase.name, testCase.raises)
        return
      }
      const got = run(testCase, i)
      assert.equal(got.verdict, testCase.expect)
      assert.equal(got.verdict, verifyCode(testCase), 'explain and verify disagree')
      if (got.verdict === 'OK') assert.equal(typeof got.secretIndex, 'number')
      else assert.equal(got.secretIndex, null)
      assert.deepEqual(
        got.findings.map((f) => f.code),
        testCase.findings.map((f) => f.code),
      )
      testCase.findings.forEach(({ code, fields }, k) => {
        const finding = got.findings[k]
        assert.deepEqual(finding.fields, fields, `${code} fields`)
        assert.equal(typeof finding.message, 'string')
        assert.ok(finding.message.length > 0)
      })
    })
  })
})

describe('explain', () => {
  const secret = 'It\'s a Secret to Everybody'
  const body = '{"id":"evt_1"}'

  test('a WHATWG Headers object from a real Request, and a pretty-printed body', () => {
    const headers = sign('github', secret, body, { id: 'd-1' })
    const request = new Request('http://127.0.0.1/hook', { method: 'POST', headers, body })
    const pretty = JSON.stringify(JSON.parse(body), null, 2)
    const got = explain('github', [secret], request.headers, pretty)
    assert.equal(got.verdict, 'SIGNATURE_MISMATCH')
    assert.deepEqual(got.findings.map((f) => f.code), ['BODY_RESERIALIZED'])
    // The received body's compact re-encoding is what was signed.
    assert.deepEqual(got.findings[0]?.fields, { form: 'compact' })
  })

  test('the README example: a secret read from a file with its newline', () => {
    const headers = sign('github', secret, body, { id: 'd-1' })
    const lines = diagnose(`${secret}\n`, headers, Buffer.from(body))
    assert.equal(lines.length, 2)
    assert.equal(lines[0], 'SIGNATURE_MISMATCH')
    assert.match(lines[1] ?? '', /^SECRET_WHITESPACE: secret #0 has whitespace around it/)
    assert.deepEqual(diagnose(secret, headers, body), ['OK'])
  })

  test('now defaults to the system clock', () => {
    const now = Math.floor(Date.now() / 1000)
    const headers = sign('stripe', 'whsec_x', body, { timestamp: now })
    assert.deepEqual(keys(explain('stripe', 'whsec_x', headers, body)), { verdict: 'OK', secretIndex: 0, findings: [] })
    const old = sign('stripe', 'whsec_x', body, { timestamp: now - 3600 })
    const late = explain('stripe', 'whsec_x', old, body)
    assert.equal(late.verdict, 'TIMESTAMP_TOO_OLD')
    assert.deepEqual(late.findings.map((f) => f.code), ['CLOCK_SKEW'])
    assert.ok(late.findings[0]?.fields.seconds >= 3600)
    assert.equal(explain('stripe', 'whsec_x', old, body, { tolerance: null }).verdict, 'OK')
  })

  test('a signed request (UnknownPay S2S) with method and pathAndQuery', () => {
    const line = { method: 'POST', pathAndQuery: '/v1/payouts?dry=1' }
    const headers = sign('unknownpay-s2s', 's2s-secret', body, { ...line, timestamp: 1700000000, keyId: 'key-1' })
    const request = { now: 1700000000, ...line }
    assert.deepEqual(keys(explain('unknownpay-s2s', ['other', 's2s-secret'], headers, body, request)), {
      verdict: 'OK',
      secretIndex: 1,
      findings: [],
    })
    const wrong = explain('unknownpay', 's2s-secret', headers, body, request)
    assert.deepEqual(wrong.findings.map((f) => [f.code, f.fields]), [['OTHER_PROFILE', { profile: 'unknownpay-s2s' }]])
    const moved = explain('unknownpay-s2s', 's2s-secret', headers, body, { ...request, pathAndQuery: '/v1/payouts' })
    assert.equal(moved.verdict, 'SIGNATURE_MISMATCH')
  })

  test('failures of the delivery or the secrets are verdicts, not throws', () => {
    assert.equal(explain('github', [], [], '').verdict, 'INVALID_ARGUMENT') // no secret
    assert.equal(explain('github', Array(9).fill('s'), [], '').verdict, 'INVALID_ARGUMENT')
    assert.equal(explain('github', [''], [], '').verdict, verifyCodeOf(() => verify('github', [''], [], '')))
    assert.equal(explain('github', 's', {}, 'body').verdict, 'MISSING_HEADER')
    assert.equal(explain('github', 's', [['X-Hub-Signature-256', 'sha256=zz']], '').verdict, 'NO_SIGNATURE')
    // Text is its UTF-8 bytes: the same verdict as those bytes, never a Latin-1 MALFORMED_HEADER.
    for (const value of ['sha256=\u0100', `sha256=${'é'.repeat(32)}`, 'sha256=\uD800']) {
      const asBytes = explain('github', 's', [['X-Hub-Signature-256', Buffer.from(value)]], '').verdict
      assert.equal(explain('github', 's', [['X-Hub-Signature-256', value]], '').verdict, asBytes, value)
      assert.equal(asBytes, verifyCodeOf(() => verify('github', 's', [['X-Hub-Signature-256', value]], '')))
    }
  })

  test('an unknown profile throws INVALID_ARGUMENT, as verify does', () => {
    throwsCode(() => explain('paypal', 's', [], ''), 'paypal')
    throwsCode(() => explain('custom;header=', 's', [], ''), 'a bad custom profile')
    assert.equal(verifyCodeOf(() => verify('paypal', 's', [], '')), 'INVALID_ARGUMENT')
  })

  test('bad arguments throw INVALID_ARGUMENT', () => {
    const bad = [
      () => explain(42, 's', [], ''),
      () => explain('github', 42, [], ''),
      () => explain('github', 's', 42, ''),
      () => explain('github', 's', [], 42),
      () => explain('github', 's', [], '', 'now'),
      () => explain('github', 's', [], '', { now: -1 }),
      () => explain('github', 's', [], '', { tolerance: 'long' }),
      () => explain('github', 's', [], '', { method: 'POST' }),
      () => explain('github', 's', [], '', { pathAndQuery: '/' }),
      () => explain('github', 's', [], '', { method: 'PO ST', pathAndQuery: '/' }),
      () => explain('github', 's', [], '', { tolerance: -1 }),
      () => explain('github', { secrets: 's', past: 1.5 }, [], ''),
      () => explain('github', { secrets: 's', future: true }, [], ''),
      () => explain('github', { secrets: 's', tolerance: 10n }, [], ''),
      () => explain('github', [42], [], ''),
      () => explain('github', { secrets: 42 }, [], ''),
      () => explain('github', 's', [['only-a-name']], ''),
    ]
    bad.forEach((call, k) => throwsCode(call, `call #${k}`))
  })
})

function verifyCodeOf(attempt) {
  try {
    attempt()
    return 'OK'
  } catch (error) {
    return error.code
  }
}
