// Every body and header shape the package takes, and the errors for
// everything else: only HooksigError, with INVALID_ARGUMENT for wrong types.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { HooksigError, Verifier, errorCodes, explain, sign, verify } from 'hooksig'

const secret = "It's a Secret to Everybody"
const text = 'Hello, World! naïve €'
const bytes = Buffer.from(text, 'utf8')
const signed = sign('github', secret, text, { id: 'delivery-1' }) // { X-Hub-Signature-256, X-GitHub-Delivery }
const signature = signed['X-Hub-Signature-256']
const github = new Verifier('github', { secrets: [secret] })

/** Asserts that `run` throws a HooksigError with `code`. */
function throwsCode(run, code, what = '') {
  assert.throws(run, (error) => {
    assert.ok(error instanceof HooksigError, `not a HooksigError: ${error} ${what}`)
    assert.ok(error instanceof Error)
    assert.equal(error.name, 'HooksigError')
    assert.equal(error.code, code, what)
    return true
  }, what)
}

describe('bodies', () => {
  const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
  const inLargerBuffer = Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')]).subarray(2, 2 + bytes.length)
  const shapes = {
    string: text,
    Buffer: bytes,
    Uint8Array: new Uint8Array(bytes),
    ArrayBuffer: arrayBuffer,
    'Uint8Array view at an offset': new Uint8Array(inLargerBuffer.buffer, inLargerBuffer.byteOffset, inLargerBuffer.length),
    'Buffer view at an offset': inLargerBuffer,
  }
  for (const [shape, body] of Object.entries(shapes)) {
    test(`${shape}: verifies, and one changed byte does not`, () => {
      assert.equal(github.verify(signed, body).secretIndex, 0)
      const tampered = Buffer.from(bytes)
      tampered[0] ^= 1
      throwsCode(() => github.verify(signed, tampered), 'SIGNATURE_MISMATCH')
      // What sign takes in that shape, verify accepts.
      assert.equal(github.verify(sign('github', secret, body), bytes).secretIndex, 0)
    })
  }
  test('an empty body of every shape', () => {
    const empty = sign('github', secret, '')
    for (const body of ['', Buffer.alloc(0), new Uint8Array(0), new ArrayBuffer(0)]) {
      assert.equal(github.verify(empty, body).secretIndex, 0)
    }
  })
  for (const [shape, body] of Object.entries({
    undefined,
    null: null,
    number: 42,
    object: { text },
    array: [1, 2, 3],
    Int16Array: new Int16Array(4),
    DataView: new DataView(new ArrayBuffer(4)),
  })) {
    test(`${shape} is INVALID_ARGUMENT`, () => {
      throwsCode(() => github.verify(signed, body), 'INVALID_ARGUMENT')
      throwsCode(() => sign('github', secret, body), 'INVALID_ARGUMENT')
    })
  }
})

describe('headers', () => {
  const lower = { 'x-hub-signature-256': signature, 'x-github-delivery': 'delivery-1', 'content-type': 'application/json' }
  const shapes = {
    'IncomingHttpHeaders (lower-case keys)': lower,
    'plain object, provider spelling': signed,
    'plain object, any case': { 'X-HUB-SIGNATURE-256': signature, 'x-GitHub-delivery': 'delivery-1' },
    'CGI names ($_SERVER style)': { HTTP_X_HUB_SIGNATURE_256: signature, HTTP_X_GITHUB_DELIVERY: 'delivery-1' },
    'array values (one value sent twice)': { 'x-hub-signature-256': [signature, signature], 'x-github-delivery': ['delivery-1'] },
    'object with a null prototype': Object.assign(Object.create(null), lower),
    'Buffer values': { 'x-hub-signature-256': Buffer.from(signature), 'x-github-delivery': Buffer.from('delivery-1') },
    'WHATWG Headers': new Headers(lower),
    Map: new Map(Object.entries(lower)),
    '[name, value] pairs': Object.entries(signed),
    'rawHeaders (flat list)': ['Host', '127.0.0.1', 'X-Hub-Signature-256', signature, 'X-GitHub-Delivery', 'delivery-1'],
    'pairs with Buffer names and values': [[Buffer.from('X-Hub-Signature-256'), Buffer.from(signature)], [Buffer.from('X-GitHub-Delivery'), 'delivery-1']],
  }
  // One signed delivery, one replay key, whatever the shape (GitHub's id is not signed).
  const replayKey = github.verify(signed, bytes).replayKey
  assert.match(replayKey, /^[0-9a-f]{64}$/)
  const expected = { scheme: 'github', secretIndex: 0, timestamp: null, id: 'delivery-1', idSigned: false, replayKey }
  for (const [shape, headers] of Object.entries(shapes)) {
    test(`${shape}: verifies, with the id and the replay key`, () => {
      assert.deepEqual(github.verify(headers, bytes), expected)
    })
  }
  test('conflicting values of one header are MALFORMED_HEADER in every shape', () => {
    const other = sign('github', 'another secret', text)['X-Hub-Signature-256']
    const conflicting = [
      { 'x-hub-signature-256': [signature, other] },
      { 'X-Hub-Signature-256': signature, 'x-hub-signature-256': other },
      [['x-hub-signature-256', signature], ['X-Hub-Signature-256', other]],
      ['x-hub-signature-256', signature, 'X-Hub-Signature-256', other],
      new Map([['x-hub-signature-256', signature], ['X-HUB-SIGNATURE-256', other]]),
    ]
    for (const headers of conflicting) throwsCode(() => github.verify(headers, bytes), 'MALFORMED_HEADER')
  })
  test('headers the profile does not read are never looked at', () => {
    const noisy = { ...lower, 'x-odd': 'Ā is not a ByteString', 'x-list': ['a', 'b'], 'x-bytes': Buffer.from([0xff]) }
    assert.equal(github.verify(noisy, bytes).secretIndex, 0)
    const raw = ['X-Odd', '\u{1F600}', 'X-Hub-Signature-256', signature]
    assert.equal(github.verify(raw, bytes).secretIndex, 0)
  })
  test('a text value is its UTF-8 bytes, whatever its characters (as in every binding)', () => {
    // What Python gives for the same str: the id back as text, never MALFORMED_HEADER for U+0100 and up.
    const euro = { 'x-hub-signature-256': signature, 'x-github-delivery': 'id-€' }
    assert.deepEqual(github.verify(euro, bytes), { ...expected, id: 'id-€' })
    assert.equal(github.verify([['X-GitHub-Delivery', 'dlv-é-😀'], ['X-Hub-Signature-256', signature]], bytes).id, 'dlv-é-😀')
    const outcome = (headers) => {
      try {
        return github.verify(headers, bytes).id
      } catch (error) {
        return error.code
      }
    }
    for (const value of [`${signature}Ā`, `${signature.slice(0, -1)}é`, `sha256=${'é'.repeat(32)}`, `${signature}\uD800`]) {
      const asBytes = outcome({ 'x-hub-signature-256': Buffer.from(value, 'utf8') })
      assert.notEqual(asBytes, 'delivery-1')
      for (const shape of [{ 'x-hub-signature-256': value }, [['X-Hub-Signature-256', value]], new Map([['x-hub-signature-256', value]])]) {
        assert.equal(outcome(shape), asBytes, value)
      }
    }
  })
  test('a missing header, an empty shape', () => {
    for (const headers of [{}, [], new Headers(), new Map(), { 'content-type': 'text/plain' }]) {
      throwsCode(() => github.verify(headers, bytes), 'MISSING_HEADER')
    }
  })
  for (const [shape, headers] of Object.entries({
    undefined,
    null: null,
    string: `X-Hub-Signature-256: ${signature}`,
    number: 1,
    Buffer: Buffer.from(signature),
    ArrayBuffer: new ArrayBuffer(8),
    'odd-length rawHeaders': ['X-Hub-Signature-256', signature, 'Host'],
    'a pair of three': [['X-Hub-Signature-256', signature, 'x']],
    'a pair with a number value': [['X-Hub-Signature-256', 7]],
    'a number value': { 'x-hub-signature-256': 7 },
    'a null value': { 'x-hub-signature-256': null },
    'a nested array value': { 'x-hub-signature-256': [[signature]] },
  })) {
    test(`${shape} is INVALID_ARGUMENT`, () => throwsCode(() => github.verify(headers, bytes), 'INVALID_ARGUMENT'))
  }
  test('a throwing getter or entries() is INVALID_ARGUMENT, with the cause kept', () => {
    const getter = {
      get 'x-hub-signature-256'() {
        throw new RangeError('from a getter')
      },
    }
    const entries = {
      entries() {
        throw new RangeError('from entries')
      },
    }
    for (const headers of [getter, entries]) {
      assert.throws(
        () => github.verify(headers, bytes),
        (error) => error instanceof HooksigError && error.code === 'INVALID_ARGUMENT' && error.cause instanceof RangeError,
      )
    }
  })
})

describe('options and arguments', () => {
  const t = 1_700_000_000
  const stripe = sign('stripe', 'whsec_x', text, { timestamp: t })
  test('tolerance, past, future and now', () => {
    assert.equal(new Verifier('stripe', { secrets: 'whsec_x' }).verify(stripe, text, { now: t + 300 }).timestamp, t)
    throwsCode(() => new Verifier('stripe', { secrets: 'whsec_x' }).verify(stripe, text, { now: t + 301 }), 'TIMESTAMP_TOO_OLD')
    throwsCode(() => new Verifier('stripe', { secrets: 'whsec_x' }).verify(stripe, text), 'TIMESTAMP_TOO_OLD') // the system clock
    throwsCode(() => new Verifier('stripe', { secrets: 'whsec_x', tolerance: 10 }).verify(stripe, text, { now: t - 11 }), 'TIMESTAMP_IN_FUTURE')
    const pastOnly = new Verifier('stripe', { secrets: 'whsec_x', past: 3600 })
    assert.equal(pastOnly.verify(stripe, text, { now: t + 3600 }).secretIndex, 0)
    throwsCode(() => pastOnly.verify(stripe, text, { now: t - 301 }), 'TIMESTAMP_IN_FUTURE')
    const disabled = new Verifier('stripe', { secrets: 'whsec_x', tolerance: null })
    assert.equal(disabled.verify(stripe, text, { now: 0 }).secretIndex, 0)
    throwsCode(() => new Verifier('stripe', { secrets: 'whsec_x', tolerance: null, past: 5 }), 'INVALID_ARGUMENT')
  })
  test('secrets: one, several (rotation), bytes; secretIndex says which', () => {
    assert.equal(verify('github', [Buffer.from('old'), 'older', secret], signed, text).secretIndex, 2)
    assert.equal(verify('github', { secrets: new TextEncoder().encode(secret) }, signed, text).secretIndex, 0)
    throwsCode(() => verify('github', ['a', 'b'], signed, text), 'SIGNATURE_MISMATCH')
    throwsCode(() => verify('github', [], signed, text), 'INVALID_ARGUMENT')
    throwsCode(() => verify('github', Array(9).fill(secret), signed, text), 'INVALID_ARGUMENT')
    throwsCode(() => verify('github', [''], signed, text), 'INVALID_SECRET')
    throwsCode(() => new Verifier('standard-webhooks', { secrets: 'whsec_***' }), 'INVALID_SECRET')
  })
  test('custom profiles are parsed by the core', () => {
    const custom = 'custom;header=X-Sig;prefix=sha256=;encoding=hex'
    const headers = sign(custom, secret, text)
    assert.deepEqual(Object.keys(headers), ['X-Sig'])
    assert.equal(verify(custom, secret, headers, text).scheme, 'custom')
  })
  test('one verify and one sign for a signed request (UnknownPay S2S) too', () => {
    const request = { method: 'POST', pathAndQuery: '/v1/payouts?dry=1' }
    const headers = sign('unknownpay-s2s', 's2s-secret', text, { ...request, timestamp: t, keyId: 'merchant-1', id: 'idem-1' })
    assert.deepEqual(Object.keys(headers).sort(), ['Idempotency-Key', 'X-Api-Key', 'X-Signature', 'X-Timestamp'])
    const s2s = new Verifier('unknownpay-s2s', { secrets: ['s2s-secret'] })
    const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
    const { replayKey } = s2s.verify(headers, text, { ...request, now: t })
    for (const shape of [headers, lower, Object.entries(headers)]) {
      const verified = { scheme: 'unknownpay-s2s', secretIndex: 0, timestamp: t, id: 'idem-1', idSigned: false, replayKey }
      assert.deepEqual(s2s.verify(shape, text, { ...request, now: t }), verified)
      throwsCode(() => s2s.verify(shape, text, { ...request, pathAndQuery: '/v1/payouts', now: t }), 'SIGNATURE_MISMATCH')
      throwsCode(() => s2s.verify(shape, text, { now: t }), 'INVALID_ARGUMENT') // the line is required
      throwsCode(() => s2s.verify(shape, text, { method: 'POST', now: t }), 'INVALID_ARGUMENT') // both or neither
      throwsCode(() => s2s.verify(shape, text, { ...request, method: 'PO ST', now: t }), 'INVALID_ARGUMENT')
    }
    assert.equal(verify('unknownpay-s2s', 's2s-secret', headers, text, { ...request, now: t }).timestamp, t)
    // Any other profile takes the line and ignores it.
    assert.equal(github.verify(signed, text, request).secretIndex, 0)
    assert.deepEqual(sign('github', secret, text, { ...request, id: 'delivery-1' }), signed)
    throwsCode(() => sign('unknownpay-s2s', 's2s-secret', text, { timestamp: t }), 'INVALID_ARGUMENT')
    throwsCode(() => sign('unknownpay-s2s', 's2s-secret', text, { ...request }), 'INVALID_ARGUMENT')
    throwsCode(() => sign('unknownpay-s2s', 's2s-secret', text, { ...request, timestamp: '1' }), 'INVALID_ARGUMENT')
    throwsCode(() => sign('unknownpay-s2s', 's2s-secret', text, { pathAndQuery: '/x', timestamp: t }), 'INVALID_ARGUMENT')
    throwsCode(() => sign('github', secret, text, { keyId: 'k' }), 'INVALID_ARGUMENT') // no such header
  })
  test('window options are the core\'s: bad values are INVALID_ARGUMENT everywhere', () => {
    const bad = [-1, 1.5, '300', true, 10n, 1e30, NaN, Infinity, {}, [300]]
    for (const name of ['tolerance', 'past', 'future']) {
      for (const value of bad) {
        const options = { secrets: 'whsec_x', [name]: value }
        const what = `${name}: ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)}`
        throwsCode(() => new Verifier('stripe', options), 'INVALID_ARGUMENT', what)
        throwsCode(() => verify('stripe', options, stripe, text, { now: t }), 'INVALID_ARGUMENT', what)
        throwsCode(() => explain('stripe', options, stripe, text, { now: t }), 'INVALID_ARGUMENT', what)
        throwsCode(() => explain('stripe', 'whsec_x', stripe, text, { now: t, [name]: value }), 'INVALID_ARGUMENT', what)
      }
      // undefined is absent (the default window), 0 is exactly now, the largest window is the core's.
      assert.equal(new Verifier('stripe', { secrets: 'whsec_x', [name]: undefined }).verify(stripe, text, { now: t }).timestamp, t)
      assert.equal(new Verifier('stripe', { secrets: 'whsec_x', [name]: 0 }).verify(stripe, text, { now: t }).timestamp, t)
      assert.equal(new Verifier('stripe', { secrets: 'whsec_x', [name]: 366 * 86400 }).verify(stripe, text, { now: t }).timestamp, t)
      throwsCode(() => new Verifier('stripe', { secrets: 'whsec_x', [name]: 366 * 86400 + 1 }), 'INVALID_ARGUMENT')
    }
  })
  test('a Stripe delivery signed in 2001 is rejected with tolerance -1 (no window of 2^64 - 1)', () => {
    const old = sign('stripe', 'whsec_x', text, { timestamp: 1_000_000_000 })
    throwsCode(() => new Verifier('stripe', { secrets: 'whsec_x', tolerance: -1 }), 'INVALID_ARGUMENT')
    throwsCode(() => verify('stripe', { secrets: 'whsec_x', tolerance: -1 }, old, text, { now: t }), 'INVALID_ARGUMENT')
    throwsCode(() => explain('stripe', 'whsec_x', old, text, { now: t, tolerance: -1 }), 'INVALID_ARGUMENT')
    throwsCode(() => verify('stripe', 'whsec_x', old, text, { now: t }), 'TIMESTAMP_TOO_OLD')
    assert.equal(verify('stripe', { secrets: 'whsec_x', tolerance: null }, old, text, { now: t }).timestamp, 1_000_000_000)
  })
  const wrong = {
    'profile not a string': () => new Verifier(1, { secrets: 'x' }),
    'unknown profile': () => new Verifier('no-such-provider', { secrets: 'x' }),
    'options missing': () => new Verifier('github'),
    'options a string': () => new Verifier('github', 'x'),
    'secrets missing': () => new Verifier('github', {}),
    'secrets a number': () => new Verifier('github', { secrets: 5 }),
    'a secret a number': () => new Verifier('github', { secrets: ['x', 5] }),
    'now a string': () => github.verify(signed, text, { now: '1700000000' }),
    'now negative': () => github.verify(signed, text, { now: -1 }),
    'now beyond 2^53': () => github.verify(signed, text, { now: 2 ** 60 }),
    'verify options a number': () => github.verify(signed, text, 5),
    'one-shot secrets a number': () => verify('github', 5, signed, text),
    'one-shot secrets null': () => verify('github', null, signed, text),
    'sign timestamp a string': () => sign('stripe', 'whsec_x', text, { timestamp: '1' }),
    'sign without a timestamp where one is signed': () => sign('stripe', 'whsec_x', text),
    'sign id a number': () => sign('github', secret, text, { id: 1 }),
    'sign method a number': () => sign('github', secret, text, { method: 1, pathAndQuery: '/' }),
    'verify method a number': () => github.verify(signed, text, { method: 1, pathAndQuery: '/' }),
    'verify pathAndQuery alone': () => github.verify(signed, text, { pathAndQuery: '/' }),
    'verify pathAndQuery empty': () => github.verify(signed, text, { method: 'POST', pathAndQuery: '' }),
    'sign secret a number': () => sign('github', 1, text),
    'a method called on another object': () => Verifier.prototype.verify.call({}, signed, text),
  }
  for (const [what, run] of Object.entries(wrong)) {
    test(`${what}: INVALID_ARGUMENT`, () => throwsCode(run, 'INVALID_ARGUMENT'))
  }
})

describe('HooksigError', () => {
  test('one class, the core codes and statuses', () => {
    const codes = errorCodes()
    assert.deepEqual(
      codes.map((e) => e.code),
      ['MISSING_HEADER', 'MALFORMED_HEADER', 'NO_SIGNATURE', 'SIGNATURE_MISMATCH', 'TIMESTAMP_TOO_OLD', 'TIMESTAMP_IN_FUTURE', 'INVALID_SECRET', 'MALFORMED_BODY', 'INVALID_ARGUMENT', 'INTERNAL', 'DUPLICATE_DELIVERY', 'REPLAY_STORE_UNAVAILABLE', 'PAYLOAD_TOO_LARGE', 'RAW_BODY_UNAVAILABLE'],
    )
    assert.deepEqual(codes.slice(-4).map((e) => e.httpStatus), [200, 503, 413, 500])
    try {
      github.verify({}, text)
      assert.fail('verified without headers')
    } catch (error) {
      assert.ok(error instanceof HooksigError)
      assert.equal(error.httpStatus, 400)
      assert.equal(error.message, codes[0].message)
      assert.match(String(error.stack), /HooksigError/)
    }
    assert.equal(new HooksigError('not a code').code, 'INTERNAL')
  })
})

describe('panics', () => {
  test('a panic in the addon is a catchable INTERNAL error, not an abort', async () => {
    const { createRequire } = await import('node:module')
    const native = createRequire(import.meta.url)('../index.js')
    assert.throws(() => native.__panicForTests(), (error) => error instanceof Error && error.code === 'INTERNAL')
    // The addon is still usable afterwards.
    assert.equal(github.verify(signed, text).secretIndex, 0)
  })
})

describe('caller code that runs during a call', () => {
  test('a getter that detaches the body buffer cannot make the addon read freed memory', () => {
    const body = new Uint8Array(bytes)
    const headers = {
      get 'x-hub-signature-256'() {
        structuredClone(body.buffer, { transfer: [body.buffer] }) // detaches `body`
        return signature
      },
    }
    // The body is read after the headers, so the addon sees the detached, empty body.
    throwsCode(() => github.verify(headers, body), 'SIGNATURE_MISMATCH')
    assert.equal(body.byteLength, 0)
  })
})
