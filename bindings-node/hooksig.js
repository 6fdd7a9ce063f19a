// @ts-check
'use strict'
// The package entry: the generated native binding (index.js), with every
// error it throws turned into a HooksigError. Nothing else happens here.

const native = require('./index.js')

/** @type {Map<string, import('./index').ErrorInfo>} */
const INFO = new Map(native.errorCodes().map((info) => [info.code, info]))

class HooksigError extends Error {
  /**
   * @param {string} code one of the core's codes (anything else becomes INTERNAL)
   * @param {unknown} [cause] what was thrown, when it was not the core's error
   */
  constructor(code, cause) {
    const info = INFO.get(code) ?? INFO.get('INTERNAL')
    super(info?.message, cause === undefined ? undefined : { cause })
    this.name = 'HooksigError'
    /** @type {import('./hooksig').ErrorCode} */
    this.code = /** @type {any} */ (info?.code)
    /** @type {number} */
    this.httpStatus = info?.httpStatus ?? 500
  }
}

/**
 * The native layer's errors carry the core's code; anything else thrown on
 * the way (a wrong `this`, a caller's getter or iterator that throws) is the
 * caller's INVALID_ARGUMENT.
 * @param {unknown} error
 */
function toHooksigError(error) {
  if (error instanceof HooksigError) return error
  const code = error instanceof Error ? /** @type {{ code?: unknown }} */ (error).code : undefined
  return typeof code === 'string' && INFO.has(code) ? new HooksigError(code) : new HooksigError('INVALID_ARGUMENT', error)
}

/**
 * @template T
 * @param {() => T} run
 * @returns {T}
 */
function call(run) {
  try {
    return run()
  } catch (error) {
    throw toHooksigError(error)
  }
}

/**
 * The native `verify`s return `[scheme, secretIndex, timestamp, id]` with
 * trailing nulls left off (cheaper to cross N-API than an object with four
 * named properties); this is the `Verified` object the API documents.
 * @param {any} parts
 * @returns {import('./index').Verified}
 */
function verified(parts) {
  return { scheme: parts[0], secretIndex: parts[1], timestamp: parts[2] ?? null, id: parts[3] ?? null }
}

class Verifier {
  /** @type {import('./index').Verifier} */
  #native

  /** @param {Parameters<typeof native.verify>[0]} profile @param {import('./index').VerifierOptions} options */
  constructor(profile, options) {
    this.#native = call(() => new native.Verifier(profile, options))
  }

  /** @type {import('./index').Verifier['verify']} */
  verify(headers, body, options) {
    // The hot path: no closure per call (see `call`).
    try {
      return verified(this.#native.verify(headers, body, options))
    } catch (error) {
      throw toHooksigError(error)
    }
  }

  /** @type {import('./index').Verifier['verifyRequest']} */
  verifyRequest(headers, body, options) {
    return verified(call(() => this.#native.verifyRequest(headers, body, options)))
  }
}

/** @type {typeof native.verify} */
const verify = (...args) => verified(call(() => native.verify(...args)))
/** @type {typeof native.sign} */
const sign = (...args) => call(() => native.sign(...args))
/** @type {typeof native.signRequest} */
const signRequest = (...args) => call(() => native.signRequest(...args))
/** @type {typeof native.explain} */
const explain = (...args) => call(() => native.explain(...args))
/** @type {typeof native.errorCodes} */
const errorCodes = () => native.errorCodes()

module.exports = {
  Verifier,
  HooksigError,
  verify,
  sign,
  signRequest,
  explain,
  errorCodes,
  __napiBindingTarget: native.__napiBindingTarget,
}
