// The edge build's entry for Cloudflare Workers (workerd) and Vercel Edge
// (the `workerd`, `edge-light` conditions): they compile WebAssembly only
// from modules they were deployed with, so the .wasm is imported as one.
import module from './hooksig.wasm'
import { init } from './api.mjs'

init(new WebAssembly.Instance(module, {}))

export { HooksigError, Verifier, errorCodes, explain, sign, verify, verifyRequest } from './api.mjs'
