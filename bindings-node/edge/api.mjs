// @ts-check
// The edge build's API over the WebAssembly module (bindings-wasm/src/lib.rs):
// JS values become bytes in the module's memory, one exported function calls
// the core, and its answer becomes JS values again. The same API, and the
// same conversions, as the Node package (hooksig.js, src/lib.rs); every
// decision is the core's. The entries (index.mjs, workerd.mjs) instantiate
// the module and pass it to `init`.

/** @type {any} the module's exports */
let wasm
/** @type {Uint8Array} a view of the module's memory (renewed when it grows) */
let heap = new Uint8Array(0)
/** @type {DataView} */
let view = new DataView(new ArrayBuffer(0))
/** Scratch memory in the module for each call's arguments, and the out area (96 bytes). */
let scratch = 0
let scratchSize = 0
let out = 0
/** @type {{ code: string, httpStatus: number, message: string }[]} Error::ALL, in order */
let ERRORS = []
/** @type {Map<string, { code: string, httpStatus: number, message: string }>} */
let INFO = new Map()

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: false })
const OUT_SIZE = 96

/** The module's memory as it is now (it moves when it grows). */
function memory() {
  if (heap.buffer !== wasm.memory.buffer) {
    heap = new Uint8Array(wasm.memory.buffer)
    view = new DataView(wasm.memory.buffer)
  }
}

/** @param {number} ptr @param {number} len */
const readText = (ptr, len) => decoder.decode(heap.subarray(ptr, ptr + len))

/**
 * Called once by the entry with the instantiated module.
 * @param {WebAssembly.Instance} instance
 */
export function init(instance) {
  wasm = instance.exports
  out = wasm.hs_alloc(OUT_SIZE)
  ERRORS = []
  for (let i = 0; ; i++) {
    const httpStatus = wasm.hs_error_info(i, out)
    if (httpStatus === 0) break
    memory()
    const word = (/** @type {number} */ k) => view.getUint32(out + 4 * k, true)
    ERRORS.push({ code: readText(word(0), word(1)), httpStatus, message: readText(word(2), word(3)) })
  }
  INFO = new Map(ERRORS.map((info) => [info.code, info]))
}

export class HooksigError extends Error {
  /**
   * @param {string} code one of the core's codes (anything else becomes INTERNAL)
   * @param {unknown} [cause]
   */
  constructor(code, cause) {
    const info = INFO.get(code) ?? INFO.get('INTERNAL')
    super(info?.message, cause === undefined ? undefined : { cause })
    this.name = 'HooksigError'
    /** @type {any} */
    this.code = info?.code ?? 'INTERNAL'
    /** @type {number} */
    this.httpStatus = info?.httpStatus ?? 500
  }
}

const invalid = () => new HooksigError('INVALID_ARGUMENT')

/** A status from the module: 0, or -(1 + position in Error::ALL). @param {number} status */
function check(status) {
  if (status !== 0) throw new HooksigError(ERRORS[-1 - status]?.code ?? 'INTERNAL')
}

/**
 * Runs a call: a HooksigError passes through; a trap in the module (the core
 * has no panics: a bug) is INTERNAL; anything else thrown on the way (a
 * caller's getter or iterator) is the caller's INVALID_ARGUMENT.
 * @template T @param {() => T} run @returns {T}
 */
function call(run) {
  try {
    return run()
  } catch (error) {
    if (error instanceof HooksigError) throw error
    if (error instanceof WebAssembly.RuntimeError) throw new HooksigError('INTERNAL', error)
    throw new HooksigError('INVALID_ARGUMENT', error)
  }
}

// ------------------------------------------------------------ arguments

/** A body or secret: a string (UTF-8), a `Uint8Array` or an `ArrayBuffer`. @param {unknown} value */
function bytesOf(value) {
  if (typeof value === 'string' || value instanceof Uint8Array) return value
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  throw invalid()
}

/** A header name or value: text (its UTF-8 bytes) or a `Uint8Array`. @param {unknown} value */
function headerText(value) {
  if (typeof value === 'string' || value instanceof Uint8Array) return value
  throw invalid()
}

/** An optional text option (`undefined`/`null`: absent). @param {unknown} value */
function optionalText(value) {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  throw invalid()
}

/** The options object, or none. @param {unknown} value @returns {Record<string, any> | undefined} */
function optionsOf(value) {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'object' && !Array.isArray(value)) return /** @type {any} */ (value)
  throw invalid()
}

/** `now` (seconds; default: the clock); anything but a number is handed on as NaN, which the module refuses. @param {unknown} now */
function nowOf(now) {
  if (now === undefined || now === null) return Math.floor(Date.now() / 1000)
  return typeof now === 'number' ? now : NaN
}

/** One window option: [kind, number] for `Tolerance::from_args`. @param {Record<string, any>[]} objects @param {string} name */
function windowArg(objects, name) {
  for (const object of objects) {
    const value = object[name]
    if (value === undefined) continue
    if (value === null) return [1, 0]
    return typeof value === 'number' ? [2, value] : [3, 0]
  }
  return [0, 0]
}

/** @param {Record<string, any>[]} objects */
const windowArgs = (objects) => [
  ...windowArg(objects, 'tolerance'),
  ...windowArg(objects, 'past'),
  ...windowArg(objects, 'future'),
]

/** @param {unknown} value @returns {(string | Uint8Array)[]} */
function secretsOf(value) {
  if (value === undefined) throw invalid()
  return Array.isArray(value) ? value.map(bytesOf) : [bytesOf(value)]
}

/** The one-shot functions' second argument: the secret(s), or a `VerifierOptions` object. @param {unknown} value */
function secretsOrOptions(value) {
  const options =
    typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)
  if (!options) return { secrets: secretsOf(value), options: undefined }
  const object = /** @type {Record<string, any>} */ (value)
  return { secrets: secretsOf(object.secrets), options: object }
}

/**
 * Headers in any shape the Node package takes: a plain object (array values
 * count once each, `undefined` is skipped), anything with `entries()`
 * (`Headers`, `Map`), `[name, value]` pairs or a flat `[name, value, …]`
 * list. `wants` picks the names to keep (the core's `wants_header`).
 * @param {unknown} headers @param {(name: string | Uint8Array) => boolean} wants
 * @returns {(string | Uint8Array)[]} name, value, name, value…
 */
function headersOf(headers, wants) {
  /** @type {(string | Uint8Array)[]} */
  const flat = []
  /** @param {unknown} name @param {unknown} value */
  const push = (name, value) => {
    const n = headerText(name)
    if (wants(n)) flat.push(n, headerText(value))
  }
  /** @param {unknown} pair */
  const pushPair = (pair) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw invalid()
    push(pair[0], pair[1])
  }
  if (typeof headers !== 'object' || headers === null || ArrayBuffer.isView(headers) || headers instanceof ArrayBuffer) {
    throw invalid()
  }
  if (Array.isArray(headers)) {
    if (Array.isArray(headers[0])) headers.forEach(pushPair)
    else {
      if (headers.length % 2 !== 0) throw invalid()
      for (let i = 0; i < headers.length; i += 2) push(headers[i], headers[i + 1])
    }
  } else if (typeof (/** @type {any} */ (headers).entries) === 'function') {
    for (const pair of /** @type {any} */ (headers).entries()) pushPair(pair)
  } else {
    const object = /** @type {Record<string, unknown>} */ (headers)
    for (const name in object) {
      if (!wants(name)) continue
      const value = object[name]
      if (Array.isArray(value)) for (const one of value) flat.push(name, headerText(one))
      else if (value !== undefined) flat.push(name, headerText(value))
    }
  }
  return flat
}

const all = () => true

// ------------------------------------------------------------ memory layout

/**
 * Lays out one call's arguments in scratch memory: first the span tables
 * (8 bytes per item), then the bytes. `write` returns each group's
 * pointer and each item's [ptr, len].
 */
class Frame {
  /** @param {((string | Uint8Array | undefined)[])[]} groups lists (secrets, headers) and single items ([x]) */
  constructor(groups) {
    let items = 0
    let bound = 0
    for (const group of groups) {
      items += group.length
      for (const item of group) {
        if (item !== undefined) bound += typeof item === 'string' ? item.length * 3 : item.length
      }
    }
    const size = items * 8 + bound + 8
    if (size > scratchSize) {
      if (scratch !== 0) wasm.hs_free(scratch, scratchSize)
      scratchSize = Math.max(size, scratchSize * 2, 4096)
      scratch = wasm.hs_alloc(scratchSize)
      if (scratch === 0) {
        scratchSize = 0
        throw new HooksigError('INTERNAL')
      }
    }
    memory()
    let table = scratch
    let at = scratch + items * 8
    /** @type {{ table: number, spans: number[] }[]} */
    this.groups = groups.map((group) => {
      const start = table
      const spans = []
      for (const item of group) {
        let len = 0
        let ptr = 0 // null: absent
        if (item !== undefined) {
          ptr = at
          if (typeof item === 'string') len = writeString(item, at)
          else {
            heap.set(item, at)
            len = item.length
          }
          at += len
        }
        view.setUint32(table, ptr, true)
        view.setUint32(table + 4, len, true)
        table += 8
        spans.push(ptr, len)
      }
      return { table: start, spans }
    })
  }
}

/** Writes `text` as UTF-8 at `at`, returns its length. @param {string} text @param {number} at */
function writeString(text, at) {
  const n = text.length
  if (n < 64) {
    let i = 0
    for (; i < n; i++) {
      const c = text.charCodeAt(i)
      if (c > 0x7f) break
      heap[at + i] = c
    }
    if (i === n) return n
  }
  return encoder.encodeInto(text, heap.subarray(at, at + 3 * n)).written
}

// ------------------------------------------------------------ the API

/** Frees verifiers that were never used again (the module's memory is not the JS heap). */
const registry = new FinalizationRegistry((/** @type {number} */ handle) => wasm.hs_verifier_free(handle))

/** @type {Map<number, string>} the scheme names (static in the module), by address */
const schemes = new Map()
/** @param {number} ptr @param {number} len */
function schemeAt(ptr, len) {
  let name = schemes.get(ptr)
  if (name === undefined) schemes.set(ptr, (name = readText(ptr, len)))
  return name
}

/** @param {string | Uint8Array} name */
const key = (name) => (typeof name === 'string' ? name : null)

export class Verifier {
  /** @type {number} */
  #handle
  /** @type {Map<string, boolean>} the core's `wants_header` answers, by name */
  #wanted = new Map()
  /** @type {(name: string | Uint8Array) => boolean} */
  #wants

  /** @param {string} profile @param {import('./index.mjs').VerifierOptions} options */
  constructor(profile, options) {
    this.#handle = call(() => {
      const o = optionsOf(options)
      if (typeof profile !== 'string' || o === undefined) throw invalid()
      const secrets = secretsOf(o.secrets)
      const frame = new Frame([[profile], secrets])
      const [p, s] = frame.groups
      check(wasm.hs_verifier_new(p.spans[0], p.spans[1], s.table, secrets.length, ...windowArgs([o]), out))
      memory()
      return view.getUint32(out, true)
    })
    registry.register(this, this.#handle, this)
    this.#wants = (name) => {
      const k = key(name)
      const known = k === null ? undefined : this.#wanted.get(k)
      if (known !== undefined) return known
      const frame = new Frame([[name]])
      const [ptr, len] = frame.groups[0].spans
      const wanted = wasm.hs_wants_header(this.#handle, ptr, len) === 1
      if (k !== null && this.#wanted.size < 256) this.#wanted.set(k, wanted)
      return wanted
    }
  }

  /** @type {import('./index.mjs').Verifier['verify']} */
  verify(headers, body, options) {
    return call(() => {
      const o = optionsOf(options)
      const now = nowOf(o?.now)
      const method = optionalText(o?.method)
      const path = optionalText(o?.pathAndQuery)
      const pairs = headersOf(headers, this.#wants)
      const frame = new Frame([pairs, [bytesOf(body)], [method], [path]])
      const [h, b, m, p] = frame.groups
      const status = wasm.hs_verify(this.#handle, h.table, pairs.length / 2, b.spans[0], b.spans[1], m.spans[0], m.spans[1], p.spans[0], p.spans[1], now, out)
      check(status)
      memory()
      const flags = view.getUint32(out + 4, true)
      return {
        scheme: schemeAt(view.getUint32(out + 16, true), view.getUint32(out + 20, true)),
        secretIndex: view.getUint32(out, true),
        timestamp: flags & 1 ? view.getFloat64(out + 24, true) : null,
        id: flags & 2 ? readText(view.getUint32(out + 8, true), view.getUint32(out + 12, true)) : null,
        idSigned: (flags & 4) !== 0,
        replayKey: String.fromCharCode.apply(null, /** @type {any} */ (heap.subarray(out + 32, out + 96))),
      }
    })
  }

  /** Frees the module memory now (optional: a collected Verifier is freed anyway). */
  dispose() {
    if (this.#handle === 0) return
    registry.unregister(this)
    wasm.hs_verifier_free(this.#handle)
    this.#handle = 0
  }
}

/** @type {typeof import('./index.mjs').verify} */
export function verify(profile, secretsOrOptionsArg, headers, body, options) {
  const verifier = call(() => {
    const { secrets, options: o } = secretsOrOptions(secretsOrOptionsArg)
    return new Verifier(profile, { ...o, secrets })
  })
  try {
    return verifier.verify(headers, body, options)
  } finally {
    verifier.dispose()
  }
}

/** @type {typeof import('./index.mjs').sign} */
export function sign(profile, secret, body, options) {
  return call(() => {
    const o = optionsOf(options)
    if (typeof profile !== 'string') throw invalid()
    const timestamp = o?.timestamp
    const hasTimestamp = timestamp !== undefined && timestamp !== null
    const items = [profile, bytesOf(secret), bytesOf(body), optionalText(o?.id), optionalText(o?.method), optionalText(o?.pathAndQuery), optionalText(o?.keyId)]
    const frame = new Frame([items])
    const s = frame.groups[0].spans
    const ts = typeof timestamp === 'number' ? timestamp : NaN
    check(wasm.hs_sign(s[0], s[1], s[2], s[3], s[4], s[5], hasTimestamp ? 1 : 0, ts, s[6], s[7], s[8], s[9], s[10], s[11], s[12], s[13], out))
    const data = take()
    /** @type {Record<string, string>} */
    const headers = {}
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength)
    /** @type {string[]} */
    const parts = []
    for (let at = 0; at < data.length; ) {
      const len = dv.getUint32(at, true)
      parts.push(decoder.decode(data.subarray(at + 4, at + 4 + len)))
      at += 4 + len
    }
    for (let i = 0; i + 1 < parts.length; i += 2) headers[parts[i]] = parts[i + 1]
    return headers
  })
}

/** The block whose pointer and length the module wrote to `out`, copied out and freed. */
function take() {
  memory()
  const ptr = view.getUint32(out, true)
  const len = view.getUint32(out + 4, true)
  const data = heap.slice(ptr, ptr + len)
  wasm.hs_free(ptr, len)
  return data
}

/** @param {string} k */
const camelCase = (k) => k.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase())

/** @type {typeof import('./index.mjs').explain} */
export function explain(profile, secretsOrOptionsArg, headers, body, options) {
  const json = call(() => {
    const o = optionsOf(options)
    if (typeof profile !== 'string') throw invalid()
    const { secrets, options: so } = secretsOrOptions(secretsOrOptionsArg)
    const window = windowArgs([o ?? {}, so ?? {}])
    const now = nowOf(o?.now)
    const method = optionalText(o?.method)
    const path = optionalText(o?.pathAndQuery)
    // Every header: the causes include misnamed headers and other profiles'.
    const pairs = headersOf(headers, all)
    const frame = new Frame([[profile], secrets, pairs, [bytesOf(body)], [method], [path]])
    const [p, s, h, b, m, q] = frame.groups
    check(wasm.hs_explain(p.spans[0], p.spans[1], s.table, secrets.length, ...window, h.table, pairs.length / 2, b.spans[0], b.spans[1], m.spans[0], m.spans[1], q.spans[0], q.spans[1], now, out))
    return decoder.decode(take())
  })
  return /** @type {any} */ (Object.fromEntries(Object.entries(JSON.parse(json)).map(([k, v]) => [camelCase(k), v])))
}

/** @type {typeof import('./index.mjs').errorCodes} */
export const errorCodes = () => ERRORS.map((info) => ({ ...info }))

/**
 * Verifies a WHATWG `Request` (Workers, Deno, Vercel Edge): its headers, its
 * raw body (read here, hence async), and its method and path as the request
 * line (which only UnknownPay S2S signs). `options.now` as in `verify`.
 * @type {typeof import('./index.mjs').verifyRequest}
 */
export async function verifyRequest(verifier, request, options) {
  if (!(verifier instanceof Verifier)) throw invalid()
  let body
  let line
  try {
    body = new Uint8Array(await request.arrayBuffer())
    const url = new URL(request.url)
    line = { method: request.method, pathAndQuery: url.pathname + url.search }
  } catch (error) {
    throw new HooksigError('INVALID_ARGUMENT', error)
  }
  return verifier.verify(request.headers, body, { ...line, ...optionsOf(options) })
}
