import express, { type Express } from 'express'
import session from 'express-session'

export interface AppOptions {
  /** Signs the session cookie, so a client cannot pick someone else's session id. */
  secret: string
  /** Where sessions are kept; express-session falls back to a MemoryStore, lost on every restart. */
  store?: session.Store
}

// Builds the app without listening, so tests (and later steps) can use it as it is.
export function createApp({ secret }: AppOptions): Express {
  const app = express()

  // A route that never touches a session: for load balancers, uptime checks and the workshop's checks.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  app.use(
    session({
      secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
      resave: false, // don't write an unchanged session back on every request
      saveUninitialized: true, // as the article: store even empty sessions (step 05 turns this off)
      // 🐨 Keep sessions in the store passed to createApp() instead of process memory.
      // 💰 take `store` from the options next to `secret`, then add `store,` here
    }),
  )

  return app
}
