// The Worker both edge runtimes serve in the tests (workerd: `export default
// { fetch }`; Deno: `deno serve`): `hooksig` is the edge build, resolved by
// workerd's config (a module named "hooksig") and by Deno's import map.
import { HooksigError, Verifier, verifyRequest } from 'hooksig'

// A test secret; a real Worker reads it from `env`.
const verifier = new Verifier('stripe', { secrets: ['whsec_edge_test_secret'] })

export default {
  /** @param {Request} request */
  async fetch(request) {
    try {
      const { scheme, timestamp, replayKey } = await verifyRequest(verifier, request)
      return Response.json({ scheme, timestamp, replayKey })
    } catch (error) {
      if (!(error instanceof HooksigError)) throw error
      return Response.json({ error: error.code }, { status: error.httpStatus })
    }
  },
}
