// The edge build's entry for Deno, browsers and Node (the `deno`, `browser`
// conditions): loads hooksig.wasm next to this file, then the API is
// synchronous. workerd and Vercel Edge import the module instead (workerd.mjs).
import { init } from './api.mjs'

const url = new URL('./hooksig.wasm', import.meta.url)
/** @returns {Promise<BufferSource>} */
async function load() {
  if (url.protocol === 'file:' && typeof process === 'object' && process?.versions?.node) {
    const { readFile } = await import('node:fs/promises')
    return readFile(url)
  }
  const response = await fetch(url)
  if (!response.ok) throw new Error(`hooksig: cannot load ${url}: ${response.status}`)
  return response.arrayBuffer()
}
init(new WebAssembly.Instance(await WebAssembly.compile(await load()), {}))

export { HooksigError, Verifier, errorCodes, explain, sign, verify, verifyRequest } from './api.mjs'
