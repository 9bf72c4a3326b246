import express, { type Express } from 'express'

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp(): Express {
  const app = express()

  // Never touches a session: load balancers, uptime checks and the workshop's checks call it freely.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  return app
}
