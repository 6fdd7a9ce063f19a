// `tsc --strict` over the edge build's declarations, as a Worker would use them.
import { HooksigError, Verifier, explain, sign, verify, verifyRequest } from '../../bindings-node/edge/index.mjs'
import type { Explanation, Verified } from '../../bindings-node/edge/index.mjs'

const verifier = new Verifier('stripe', { secrets: ['whsec_a', new Uint8Array([1])], tolerance: 300, past: 60 })
const headers: Record<string, string> = sign('stripe', 'whsec_a', '{}', { timestamp: 1700000000 })
const ok: Verified = verifier.verify(new Headers(headers), new Uint8Array(2), { now: 1700000000 })
const key: string = ok.replayKey
const signed: boolean = ok.idSigned
const one: Verified = verify('github', 'secret', [['x-hub-signature-256', 'sha256=00']], new ArrayBuffer(1))
const why: Explanation = explain('github', ['s'], headers, '{}', { now: 1, tolerance: null })

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      const { id } = await verifyRequest(verifier, request)
      return Response.json({ id, key, signed, one: one.scheme, verdict: why.verdict })
    } catch (error) {
      if (!(error instanceof HooksigError)) throw error
      return Response.json({ error: error.code }, { status: error.httpStatus })
    }
  },
}
