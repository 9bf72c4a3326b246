import express, { type Express } from 'express'
import { sessions } from './session.js'

export interface AppOptions {
  /** Signs the session cookie. */
  secret: string

  // → task 2: createApp() takes `store` too, and hands it to sessions().
}

/** Builds the app without listening: server.ts listens, and tests call the app as it is. */
export function createApp({ secret }: AppOptions): Express {
  const app = express()

  // Never touches a session: load balancers and uptime monitors call it as often as they like.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  // Every route after this line has a session (req.session); /health above needs none.
  app.use(sessions({ secret }))

  return app
}
