// The package's types: everything index.d.ts (generated from src/lib.rs)
// declares (ErrorCode included, from types.d.ts), plus the one error class
// hooksig.js adds.
export * from './index'
import type { ErrorCode } from './index'

/** The only error any function of this package throws, whatever the input. */
export declare class HooksigError extends Error {
  constructor(code: string, cause?: unknown)
  readonly name: 'HooksigError'
  /** The stable machine-readable code. */
  readonly code: ErrorCode
  /** The HTTP status a webhook endpoint should answer with (400, 401, 500; 200 for a duplicate, 503 when the replay store is down). */
  readonly httpStatus: number
}

/** The package's version, e.g. "0.1.0": the same number as every hooksig package. */
export declare const version: string
