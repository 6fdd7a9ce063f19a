// @ts-check
'use strict'
// The package entry: the generated native binding (index.js), with every
// error it throws turned into a HooksigError. Nothing else happens here.

const native = loadNative()

/**
 * The generated loader (index.js) finds the binary in the platform package
 * (`hooksig-linux-x64-gnu`…, an optional dependency) or next to it. Where
 * there is none, say which platform this is and which package was looked for.
 */
function loadNative() {
  try {
    return require('./index.js')
  } catch (error) {
    const report = process.platform === 'linux' && process.report ? process.report.getReport() : null
    // @ts-ignore: the report's header is untyped
    const libc = process.platform === 'linux' ? (report?.header?.glibcVersionRuntime ? '-gnu' : '-musl') : ''
    const abi = process.platform === 'win32' ? '-msvc' : libc
    const wanted = `hooksig-${process.platform}-${process.arch}${abi}`
    const manifest = /** @type {{ optionalDependencies?: Record<string, string> }} */ (
      /** @type {unknown} */ (require('./package.json'))
    )
    const known = Object.keys(manifest.optionalDependencies ?? {})
    const message =
      `hooksig has no native binary for this platform (${process.platform}-${process.arch}${abi}): ` +
      (known.includes(wanted)
        ? `the package ${wanted} (an optional dependency of hooksig) is not installed or did not load; ` +
          'reinstall without --omit=optional / --no-optional'
        : known.length > 0
          ? `there is no package ${wanted} (prebuilt: ${known.join(', ')}); build it from source (README)`
          : `neither the package ${wanted} nor a locally built addon was found (npm run build)`)
    throw new Error(message, { cause: error })
  }
}

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
 * The native `verify`s return `[scheme, secretIndex, timestamp, id,
 * replayKey, idSigned]` (cheaper to cross N-API than an object with named
 * properties); this is the `Verified` object the API documents.
 * @param {any} parts
 * @returns {import('./index').Verified}
 */
function verified(parts) {
  return { scheme: parts[0], secretIndex: parts[1], timestamp: parts[2], id: parts[3], replayKey: parts[4], idSigned: parts[5] }
}

// `verifyHeaders` returns `hooksig::compact`'s number: decoded with the core's constants.
const { COMPACT_INDEX_BITS, COMPACT_ID_SHIFT, COMPACT_ID_BITS, COMPACT_TIMESTAMP_SHIFT } = native
const INDEX_MASK = 2 ** COMPACT_INDEX_BITS - 1
const ID_MASK = 2 ** COMPACT_ID_BITS - 1
const TIMESTAMP_UNIT = 2 ** COMPACT_TIMESTAMP_SHIFT
/** A negative compact number is `-(1 + i)`, `i` the code's position in `errorCodes()` (the core's order). */
const CODES = [...INFO.keys()]

/** How many header names a `Verifier` remembers the core's answer for. */
const WANTED_CACHE = 256

/**
 * A plain object (`req.headers`, an object literal): its keys are walked
 * here, the rest of the shapes by the native layer. One with an `entries`
 * method is taken as a `Headers`/`Map` there, so it is not plain.
 * @param {unknown} headers
 * @returns {headers is Record<string, unknown>}
 */
function isPlainObject(headers) {
  if (typeof headers !== 'object' || headers === null) return false
  const proto = Object.getPrototypeOf(headers)
  return (proto === Object.prototype || proto === null) && typeof (/** @type {any} */ (headers).entries) !== 'function'
}

class Verifier {
  /** @type {any} the native Verifier, with the internal methods index.d.ts leaves out */
  #native
  /** @type {string} */
  #scheme
  /** @type {Map<string, boolean>} the core's `wantsHeader` answers, by header name */
  #wanted = new Map()
  /** `verifyHeaders` writes a success's compact number (a float64) here, then 1 if the id is signed (else 0). */
  #out = new Uint8Array(9)
  /** The compact number in `#out`. */
  #packed = new Float64Array(this.#out.buffer, 0, 1)

  /** @param {Parameters<typeof native.verify>[0]} profile @param {import('./index').VerifierOptions} options */
  constructor(profile, options) {
    this.#native = call(() => new native.Verifier(profile, options))
    this.#scheme = this.#native.scheme
  }

  /** @type {import('./index').Verifier['verify']} */
  verify(headers, body, options) {
    // The hot path: no closure per call (see `call`).
    try {
      if (isPlainObject(headers)) {
        const result = this.#verifyPlain(headers, body, options)
        if (result !== undefined) return result
      }
      return verified(this.#native.verify(headers, body, options))
    } catch (error) {
      throw toHooksigError(error)
    }
  }

  /**
   * `verify` for a plain object in one native call: the keys the core wants
   * (asked once per name, remembered) with string values, at most four, go
   * across as arguments. `undefined` when the object needs the general path
   * (a wanted value that is an array or not a string, more than four wanted
   * headers), which then reads it again from the start.
   * @param {Record<string, unknown>} headers
   * @param {Parameters<import('./index').Verifier['verify']>[1]} body
   * @param {Parameters<import('./index').Verifier['verify']>[2]} options
   * @returns {import('./index').Verified | undefined}
   */
  #verifyPlain(headers, body, options) {
    let n0, v0, n1, v1, n2, v2, n3, v3
    let count = 0
    for (const name in headers) {
      if (!(this.#wanted.get(name) ?? this.#wants(name))) continue
      const value = headers[name]
      if (value === undefined) continue
      if (typeof value !== 'string') return undefined
      switch (count++) {
        case 0:
          n0 = name
          v0 = value
          break
        case 1:
          n1 = name
          v1 = value
          break
        case 2:
          n2 = name
          v2 = value
          break
        case 3:
          n3 = name
          v3 = value
          break
        default:
          return undefined
      }
    }
    const out = this.#out
    const key = this.#native.verifyHeaders(body, options, out, n0, v0, n1, v1, n2, v2, n3, v3)
    if (typeof key === 'number') throw new HooksigError(CODES[-1 - key] ?? 'INTERNAL')
    if (typeof key !== 'string') return verified(key)
    const packed = this.#packed[0]
    const low = packed % TIMESTAMP_UNIT
    const stamp = (packed - low) / TIMESTAMP_UNIT
    const slot = (low >> COMPACT_ID_SHIFT) & ID_MASK
    const id = slot === 0 ? null : slot === 1 ? v0 : slot === 2 ? v1 : slot === 3 ? v2 : v3
    return {
      scheme: this.#scheme,
      secretIndex: low & INDEX_MASK,
      timestamp: stamp === 0 ? null : stamp - 1,
      id: id ?? null,
      replayKey: key,
      idSigned: out[8] === 1,
    }
  }

  /** @type {import('./index').Verifier['wantsHeader']} */
  wantsHeader(name) {
    return this.#wanted.get(name) ?? call(() => this.#wants(name))
  }

  /** @type {import('./index').Verifier['replayTtl']} */
  replayTtl(retention) {
    return call(() => this.#native.replayTtl(retention))
  }

  /** @param {string} name */
  #wants(name) {
    /** @type {boolean} */
    const wanted = this.#native.wantsHeader(name)
    if (this.#wanted.size < WANTED_CACHE) this.#wanted.set(name, wanted)
    return wanted
  }
}

// What every language's replay stores share (`hooksig/replay`), from the core.
const { REPLAY_STORE_PREFIX, DEFAULT_STORE_CAPACITY, DEFAULT_RETENTION, DEFAULT_BODY_LIMIT } = native

/** @type {typeof native.verify} */
const verify = (...args) => verified(call(() => native.verify(...args)))
/** @type {typeof native.sign} */
const sign = (...args) => call(() => native.sign(...args))
/** @param {string} key */
const camelCase = (key) => key.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase())
/**
 * The core's JSON (`Explanation::to_json`), parsed; its top-level keys in
 * the package's camelCase (`secret_index` -> `secretIndex`), the rest as is.
 * @type {typeof native.explain}
 */
const explain = (...args) => {
  const json = /** @type {any} */ (call(() => native.explain(...args)))
  return /** @type {any} */ (Object.fromEntries(Object.entries(JSON.parse(json)).map(([k, v]) => [camelCase(k), v])))
}
/** @type {typeof native.errorCodes} */
const errorCodes = () => native.errorCodes()
/** @type {string} the package's version: the same number as every hooksig package */
const version = require('./package.json').version

module.exports = {
  Verifier,
  HooksigError,
  verify,
  sign,
  explain,
  errorCodes,
  COMPACT_INDEX_BITS,
  COMPACT_ID_SHIFT,
  COMPACT_ID_BITS,
  COMPACT_TIMESTAMP_SHIFT,
  REPLAY_STORE_PREFIX,
  DEFAULT_STORE_CAPACITY,
  DEFAULT_BODY_LIMIT,
  DEFAULT_RETENTION,
  // Shorthand names first: Node's ESM import of this CommonJS module finds
  // named exports only up to the first `key: expression` entry.
  version,
  COMPACT_LIMIT: native.COMPACT_LIMIT,
  COMPACT_DOES_NOT_FIT: native.COMPACT_DOES_NOT_FIT,
  __napiBindingTarget: native.__napiBindingTarget,
}
