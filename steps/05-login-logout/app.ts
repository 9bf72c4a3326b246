import express, { type Express } from 'express'
import type { Store } from 'express-session'
import { articleRouter } from './article.js'
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
  app.use(articleRouter())

  // → task 2: add authRouter() from auth.ts here.

  // → task 6: last of all, notFound and jsonErrors from errors.ts.

  return app
}
