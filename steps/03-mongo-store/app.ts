import express, { type Express } from 'express'
import session from 'express-session'

export interface AppOptions {
  /** Signs the session cookie, so a visitor cannot pick someone else's session id. */
  secret: string

  // 🐨 2. A second option, `store?: session.Store`: where sessions are kept. Hand it on to
  //    express-session, so sessions go to that store; without one, express-session keeps sessions
  //    in process memory, and a restart loses them all.
}

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp({ secret }: AppOptions): Express {
  const app = express()

  // Never touches a session: load balancers, uptime checks and the workshop's checks call it freely.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  app.use(
    session({
      secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
      resave: false, // don't write an unchanged session back on every request
      saveUninitialized: true, // as the article: store even empty sessions (step 05 turns this off)
    }),
  )

  return app
}
