import express, { type Express } from 'express'
import session from 'express-session'

// 🐨 Login stores a name as well: widen the user to { uuid: string; name?: string }
//    (declaration merging: this block adds `user` to express-session's SessionData type).
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

const cookieName = 'connect.sid' // express-session's default, named so logout can clear it
// 🐨 One object to set the cookie and to clear it: const cookie = { path: '/', httpOnly: true }
//    Pass it to session({ cookie }) and to every res.clearCookie(cookieName, cookie).

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
      saveUninitialized: true, // 🐨 false: no document and no cookie until the session holds something
      store, // MongoDB instead of process memory: sessions survive restarts and are shared
    }),
  )

  // The article's test route: it stores a user without logging in. POST /login is the real thing.
  app.get('/', (req, res, next) => {
    req.session.user = { uuid: '12234-2345-2323423' }
    req.session.save((error) => {
      if (error) return next(error)
      res.send(req.session.user)
    })
  })

  app.get('/end', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error)
      res.clearCookie(cookieName, { path: '/', httpOnly: true })
      res.send('Session is destroyed')
    })
  })

  // 🐨 POST /login: read `username` from a JSON body or a form body, answer 400 with a JSON error
  //    without one; otherwise regenerate the session (a new id: session fixation), then store
  //    { uuid: randomUUID(), name: username } in req.session.user, save, and answer the user.
  // 💰 app.post('/login', express.json(), express.urlencoded({ extended: false }), (req, res, next) => {
  //      req.session.regenerate((error) => { if (error) return next(error); req.session.user = ...; req.session.save(...) })
  //    })   randomUUID comes from 'node:crypto'.

  // 🐨 GET /me: answer req.session.user, or 401 with a JSON error when nobody is logged in.

  // 🐨 POST /logout: destroy the session, clear the cookie with the options it was set with, answer 204.
  // 💰 req.session.destroy((error) => { if (error) return next(error); res.clearCookie(cookieName, cookie); res.status(204).end() })

  return app
}
