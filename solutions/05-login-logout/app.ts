import { randomUUID } from 'node:crypto'
import express, { type Express } from 'express'
import session from 'express-session'
import { jsonErrors } from './errors.js'

/** Who is logged in. The article's GET / stores only a uuid; POST /login adds the name. */
export interface User {
  uuid: string
  name?: string
}

// Declaration merging: adds `user` to express-session's SessionData, so req.session.user is typed
// everywhere in this program, and a typo such as req.session.usr does not compile.
declare module 'express-session' {
  interface SessionData {
    user: User
  }
}

export interface AppOptions {
  /** Signs the session cookie, so a visitor cannot pick someone else's session id. */
  secret: string
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: session.Store
}

const cookieName = 'connect.sid' // express-session's default, named here so logout can clear it
const maxNameLength = 64 // a username is stored in every session: never let a client choose its size

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp({ secret, store }: AppOptions): Express {
  const app = express()
  // One object to set the cookie and to clear it: a browser deletes a cookie only when its path
  // (and domain) match the one it holds.
  const cookie = { path: '/', httpOnly: true } // httpOnly: page scripts cannot read the session id

  // Never touches a session: load balancers, uptime checks and the workshop's checks call it freely.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  app.use(
    session({
      name: cookieName,
      secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
      resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
      saveUninitialized: false, // no document and no cookie until the session holds something
      store, // MongoDB instead of process memory: sessions survive restarts and are shared
      cookie,
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
      res.clearCookie(cookieName, cookie)
      res.send('Session is destroyed')
    })
  })

  // Body parsers only where a body is expected: JSON (fetch, curl) and HTML forms.
  app.post('/login', express.json(), express.urlencoded({ extended: false }), (req, res, next) => {
    const { username } = (req.body ?? {}) as { username?: unknown }
    const name = typeof username === 'string' ? username.trim() : ''
    if (name === '' || name.length > maxNameLength) {
      const send = `Send a username of 1 to ${maxNameLength} characters: {"username":"ada"} as JSON, or username=ada from a form.`
      res.status(400).json({ error: send })
      return
    }
    // A real app checks the password here, before it touches the session.
    // Regenerate the session when signing in to prevent fixation: a session id that someone else
    // planted or saw before the login is thrown away, with its document.
    req.session.regenerate((error) => {
      if (error) return next(error)
      req.session.user = { uuid: randomUUID(), name }
      req.session.save((error) => {
        if (error) return next(error)
        res.json(req.session.user)
      })
    })
  })

  app.get('/me', (req, res) => {
    if (!req.session.user) {
      res.status(401).json({ error: 'Not logged in: POST /login first.' })
      return
    }
    res.json(req.session.user)
  })

  app.post('/logout', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error)
      // destroy() removes the document, not the browser's cookie: clear it with the options it was set with.
      res.clearCookie(cookieName, cookie)
      res.status(204).end()
    })
  })

  app.use(jsonErrors)
  return app
}
