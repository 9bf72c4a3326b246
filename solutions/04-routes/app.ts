import express, { type Express } from 'express'
import session from 'express-session'

// Tells TypeScript what this app keeps in a session (declaration merging: it adds to
// express-session's own SessionData, so req.session.user is typed everywhere).
declare module 'express-session' {
  interface SessionData {
    user: { uuid: string }
  }
}

export interface AppOptions {
  /** Signs the session cookie, so a visitor cannot pick someone else's session id. */
  secret: string
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: session.Store
}

const cookieName = 'connect.sid' // express-session's default, named here so /end can clear it

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp({ secret, store }: AppOptions): Express {
  const app = express()

  // Never touches a session: load balancers, uptime checks and the workshop's checks call it freely.
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

  // The article's test route: a real app stores the user at login (step 05).
  app.get('/', (req, res, next) => {
    req.session.user = { uuid: '12234-2345-2323423' }
    req.session.save((error) => {
      // The article only logged the error, so the request hung until the client gave up.
      if (error) return next(error)
      res.send(req.session.user)
    })
  })

  app.get('/end', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error)
      // destroy() removes the document, not the browser's cookie: clear it, with the path it was set with.
      res.clearCookie(cookieName, { path: '/' })
      res.send('Session is destroyed')
    })
  })

  return app
}
