import express, { type Express } from 'express'

// Builds the app without listening, so tests (and later steps) can use it as it is.
export function createApp(): Express {
  const app = express()

  // 🐨 Add a health route: GET /health answers 200 with JSON, for example { status: 'ok' }.
  //    It never touches a session, so load balancers and the workshop's checks can call it freely.
  // 💰 app.get('/health', (_req, res) => { res.json({ status: 'ok' }) })

  return app
}
