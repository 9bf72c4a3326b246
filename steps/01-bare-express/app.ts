import express, { type Express } from 'express'

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp(): Express {
  const app = express()

  // 🐨 1. A health route: GET /health answers 200 with a JSON body, such as { status: 'ok' }. It will
  //    never touch a session, so load balancers and uptime monitors can call it as often as they like.

  return app
}
