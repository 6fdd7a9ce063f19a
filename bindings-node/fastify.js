// @ts-check
'use strict'
// `hooksig/fastify`: a plugin that declares one webhook route with its own
// raw content-type parser (registered in the plugin's encapsulated context,
// so the app's other routes keep their parsers and this route gets no JSON
// parsing). It does not load fastify.

const { HooksigError } = require('./hooksig.js')
const { DEFAULT_BODY_LIMIT, tooLarge, settings, check, release, rejection, errorBody, wantedHeaders } = require('./adapter.js')

/** @param {import('fastify').FastifyReply} reply @param {{ status: number, code: string }} refused */
function answer(reply, { status, code }) {
  if (status === 413) reply.header('connection', 'close')
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code))
}

/** @type {typeof import('./fastify').hooksigWebhook} */
async function hooksigWebhook(fastify, options) {
  const { verifier, handler, url, method = 'POST', ...rest } = options ?? /** @type {any} */ ({})
  const cfg = settings(verifier, rest)
  if (typeof handler !== 'function' || typeof url !== 'string') throw new HooksigError('INVALID_ARGUMENT')
  fastify.removeAllContentTypeParsers()
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: cfg.limit }, (_req, body, done) => done(null, body))
  fastify.setErrorHandler((error, _request, reply) => {
    // The parser's limit: answered like every other rejection; anything else goes to the app's handler.
    const refused = /** @type {any} */ (error).code === 'FST_ERR_CTP_BODY_TOO_LARGE' && rejection(tooLarge())
    if (refused) return answer(reply, refused)
    throw error
  })
  fastify.route({
    method,
    url,
    bodyLimit: cfg.limit,
    handler: async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      /** @type {import('./webhook').Webhook} */
      let hook
      try {
        const { verified, claim } = await check(cfg, wantedHeaders(verifier, request.raw.rawHeaders), body, request.method, request.raw.url ?? request.url)
        hook = { verified, body, claim }
      } catch (error) {
        const refused = rejection(error)
        if (refused) return answer(reply, refused)
        throw error
      }
      try {
        return await handler(request, reply, hook)
      } catch (error) {
        await release(cfg, hook.claim)
        throw error
      }
    },
  })
}

module.exports = { hooksigWebhook, default: hooksigWebhook, DEFAULT_BODY_LIMIT }
