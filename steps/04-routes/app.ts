import express, { type Express } from 'express'
import session from 'express-session'

// Tells TypeScript what this app keeps in a session (declaration merging; step 05 says more).
declare module 'express-session' {
  interface SessionData {
    user: { uuid: string }
  }
}

export interface AppOptions {
  /** Signs the session cookie, so a client cannot pick someone else's session id. */
  secret: string
  /** Where sessions are kept; express-session falls back to a MemoryStore, lost on every restart. */
  store?: session.Store
}

const cookieName = 'connect.sid' // express-session's default, named so /end can clear it

// Builds the app without listening, so tests (and later steps) can use it as it is.
export function createApp({ secret, store }: AppOptions): Express {
  const app = express()

  // A route that never touches a session: for load balancers, uptime checks and the workshop's checks.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  app.use(
    session({
      name: cookieName,
      secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
      resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
      saveUninitialized: true, // as the article: store even empty sessions (step 05 turns this off)
      store, // MongoDB instead of process memory: sessions survive restarts and are shared
    }),
  )

  // 🐨 GET / : put the article's user in the session, save it, then answer the user.
  //    If the save fails, hand the error to Express with next(error): the article only logged it,
  //    and the request hung until the browser gave up.
  // 💰 req.session.user = { uuid: '12234-2345-2323423' }
  //    req.session.save((error) => { if (error) return next(error); res.send(req.session.user) })

  // 🐨 GET /end : destroy the session, clear the cookie, answer 'Session is destroyed'.
  //    destroy() deletes the MongoDB document but leaves the cookie in the browser.
  // 💰 req.session.destroy((error) => { if (error) return next(error); res.clearCookie(cookieName, { path: '/', httpOnly: true }); res.send('Session is destroyed') })

  return app
}
