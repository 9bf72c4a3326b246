import express, { type Express } from 'express'
import type { Store } from 'express-session'
import { sessions } from './session.js'

export interface AppOptions {
  /** Signs the session cookie. */
  secret: string
  /** Where sessions are kept (in memory without one). */
  store?: Store
}

/** Builds the app without listening: server.ts listens, and tests call the app as it is. */
export function createApp({ secret, store }: AppOptions): Express {
  const app = express()

  // Never touches a session: load balancers and uptime monitors call it as often as they like.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  // Every route after this line has a session (req.session); /health above needs none.
  app.use(sessions({ secret, store }))

  // 🐨 4. Add the router of article.ts to the app, after the sessions: before them, req.session does
  //    not exist.

  return app
}
