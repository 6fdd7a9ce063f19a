// The package's types: everything index.d.ts (generated from src/lib.rs)
// declares, plus the one error class hooksig.js adds.
export * from './index'

/** The core's error codes (see the README's table). */
export type ErrorCode =
  | 'MISSING_HEADER'
  | 'MALFORMED_HEADER'
  | 'NO_SIGNATURE'
  | 'SIGNATURE_MISMATCH'
  | 'TIMESTAMP_TOO_OLD'
  | 'TIMESTAMP_IN_FUTURE'
  | 'INVALID_SECRET'
  | 'MALFORMED_BODY'
  | 'INVALID_ARGUMENT'
  | 'INTERNAL'

/** The only error any function of this package throws, whatever the input. */
export declare class HooksigError extends Error {
  constructor(code: string, cause?: unknown)
  readonly name: 'HooksigError'
  /** The stable machine-readable code. */
  readonly code: ErrorCode
  /** The HTTP status a webhook endpoint should answer with (400, 401 or 500). */
  readonly httpStatus: number
}
