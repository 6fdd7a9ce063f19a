// What the edge tests share: the vector files and the conversions of a
// case's fields into the package's inputs (as bindings-node/__test__ does).
import { readFileSync } from 'node:fs'

/** `testdata/<name>`, parsed. */
export const testdata = (name) => JSON.parse(readFileSync(new URL(`../../testdata/${name}`, import.meta.url), 'utf8'))

/** A vector string is text (the package takes its UTF-8 bytes); `{ hex }` is exact bytes. */
export const wire = (text) => (typeof text === 'string' ? text : new Uint8Array(Buffer.from(text.hex, 'hex')))

/** A case's request line as `verify`'s and `sign`'s options (none: `{}`). */
export const lineOf = (testCase) =>
  testCase.request ? { method: testCase.request.method, pathAndQuery: testCase.request.path_and_query } : {}

/** A case's `tolerance` as the options `Verifier` and `explain` take. */
export function windowOf(testCase) {
  const t = testCase.tolerance
  if (t === undefined || t === null) return {}
  if (t === 'disabled') return { tolerance: null }
  return { past: t.past, future: t.future }
}

/** The body in one of the four forms, by turns: string (UTF-8), Uint8Array, ArrayBuffer, Buffer. */
export function bodyOf(testCase, i) {
  const bytes = testCase.body_hex !== undefined ? Buffer.from(testCase.body_hex, 'hex') : Buffer.from(testCase.body, 'utf8')
  switch (i % 4) {
    case 0:
      return testCase.body_hex !== undefined ? new Uint8Array(bytes) : testCase.body
    case 1:
      return new Uint8Array(bytes)
    case 2:
      return new Uint8Array(bytes).buffer
    default:
      return bytes
  }
}
