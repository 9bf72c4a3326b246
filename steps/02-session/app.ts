import express, { type Express } from 'express'

export interface AppOptions {
  /** Signs the session cookie, so a client cannot pick someone else's session id. */
  secret: string
}

// Builds the app without listening, so tests (and later steps) can use it as it is.
export function createApp({ secret }: AppOptions): Express {
  const app = express()

  // A route that never touches a session: for load balancers, uptime checks and the workshop's checks.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  // 🐨 Give every visitor a session: app.use(session({ ... })) with
  //    - secret: the `secret` passed in (it signs the connect.sid cookie),
  //    - resave: false (don't write an unchanged session back on every request),
  //    - saveUninitialized: true (as the article; step 05 explains why false is better).
  // 💰 import session from 'express-session', then
  //    app.use(session({ secret, resave: false, saveUninitialized: true }))

  return app
}
