// The edge build's types (index.mjs, workerd.mjs): the Node package's input
// and result types (../index.d.ts), the same functions, plus `verifyRequest`
// for a WHATWG `Request` and what `Verified` adds here.
import type {
  BodyInput,
  ErrorCode,
  ErrorInfo,
  ExplainOptions,
  Explanation,
  HeadersInput,
  Secrets,
  Secret,
  SignOptions,
  Verified as NodeVerified,
  VerifierOptions,
  VerifyOptions,
} from '../index.js'

export type {
  BodyInput,
  ErrorCode,
  ErrorInfo,
  ExplainOptions,
  Explanation,
  Finding,
  FindingCode,
  HeadersInput,
  HeaderText,
  RequestLineOptions,
  Secret,
  Secrets,
  SignOptions,
  VerifierOptions,
  VerifyOptions,
} from '../index.js'

/** A successful verification. */
export interface Verified extends NodeVerified {
  /** True if the MAC covers `id` (Standard Webhooks / Svix only): only then is `id` a replay key. */
  idSigned: boolean
  /** What to de-duplicate this delivery on: 64 lowercase hex digits, the same for every spelling of one signed delivery. */
  replayKey: string
}

/** The only error any function of this package throws, whatever the input. */
export declare class HooksigError extends Error {
  constructor(code: string, cause?: unknown)
  readonly name: 'HooksigError'
  /** The stable machine-readable code. */
  readonly code: ErrorCode
  /** The HTTP status a webhook endpoint should answer with (400, 401 or 500). */
  readonly httpStatus: number
}

/** A profile with its secrets validated and keyed once; reuse it for every request. */
export declare class Verifier {
  /** As the Node package: one secret or up to 8; `tolerance` seconds either way (`null`: off); `past`/`future` one side. */
  constructor(profile: string, options: VerifierOptions)
  /**
   * Verifies a delivery: the headers as received (a `Headers` too) and the
   * raw body. `options.now` is Unix seconds (default: `Date.now()`);
   * `method` and `pathAndQuery` (both or neither) are the request line,
   * required by UnknownPay S2S and ignored by the others.
   */
  verify(headers: HeadersInput, body: BodyInput, options?: VerifyOptions): Verified
  /** Frees the verifier's memory in the module now (a collected Verifier is freed anyway). */
  dispose(): void
}

/** One-shot verification; prefer a long-lived `Verifier`. */
export declare function verify(
  profile: string,
  secretsOrOptions: Secrets | VerifierOptions,
  headers: HeadersInput,
  body: BodyInput,
  options?: VerifyOptions,
): Verified

/** The headers `profile`'s provider would send, in order. */
export declare function sign(profile: string, secret: Secret, body: BodyInput, options?: SignOptions): Record<string, string>

/** Why a delivery fails to verify: the core's `Explanation::to_json`, parsed, top-level keys in camelCase. */
export declare function explain(
  profile: string,
  secretsOrOptions: Secrets | VerifierOptions,
  headers: HeadersInput,
  body: BodyInput,
  options?: ExplainOptions,
): Explanation

/** Every error code, in the core's order. */
export declare function errorCodes(): ErrorInfo[]

/**
 * Verifies a WHATWG `Request` with `verifier`: its headers, its raw body (read
 * here: hence a promise) and its method and path as the request line.
 */
export declare function verifyRequest(
  verifier: Verifier,
  request: Request,
  options?: Pick<VerifyOptions, 'now'>,
): Promise<Verified>
