import express, { type Express } from 'express'

/** Builds the app without listening: server.ts listens, and tests call the app as it is. */
export function createApp(): Express {
  const app = express()

  // Never touches a session: load balancers and uptime monitors call it as often as they like.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  return app
}
