import express, { type Express } from 'express'

// Builds the app without listening, so tests (and later steps) can use it as it is.
export function createApp(): Express {
  const app = express()

  // A route that never touches a session: for load balancers, uptime checks and the workshop's checks.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  return app
}
