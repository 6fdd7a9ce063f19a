// What the vector files' tests share: loading a file of testdata/ and
// turning a case's fields into the package's inputs. Not a test file.
import { readFileSync } from 'node:fs'

/** `testdata/<name>`, parsed. */
export const testdata = (name) => JSON.parse(readFileSync(new URL(`../../testdata/${name}`, import.meta.url), 'utf8'))

/** A vector string is text (the package takes its UTF-8 bytes); `{ hex }` is exact bytes. */
export const wire = (text) => (typeof text === 'string' ? text : Buffer.from(text.hex, 'hex'))

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
