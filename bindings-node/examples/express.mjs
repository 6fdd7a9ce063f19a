// A Stripe webhook endpoint with Express: verify the raw body, answer with
// the error's suggested status. Run: STRIPE_WEBHOOK_SECRET=whsec_… node examples/express.mjs
import express from 'express'
import { HooksigError, Verifier } from 'hooksig'

export function createApp(secret) {
  const verifier = new Verifier('stripe', { secrets: [secret] }) // keyed once, reused
  const app = express()
  // The signature covers the exact bytes: take the body raw, whatever its type.
  app.post('/webhooks/stripe', express.raw({ type: () => true }), (req, res) => {
    try {
      const { timestamp } = verifier.verify(req.headers, req.body)
      res.json({ received: true, timestamp }) // now parse and handle req.body
    } catch (error) {
      if (!(error instanceof HooksigError)) throw error
      res.status(error.httpStatus).json({ error: error.code })
    }
  })
  return app
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createApp(process.env.STRIPE_WEBHOOK_SECRET ?? '').listen(3000, '127.0.0.1')
}
