import express, { type Express } from 'express'

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp(): Express {
  const app = express()

  // 🐨 1. A health route: GET /health answers 200 with a JSON body, for example { status: 'ok' }.
  //    It never touches a session, so load balancers, uptime checks and the workshop's checks can
  //    call it as often as they like.

  return app
}
