import { randomUUID } from 'node:crypto'
import express, { type Express } from 'express'
import session from 'express-session'
import { jsonErrors } from './errors.js'

/** Who is logged in. The article's GET / stores only a uuid; POST /login adds the name and the time. */
export interface User {
  uuid: string
  name?: string
  /** When the login happened (ms since 1970): a login lasts maxAge from here, however active. */
  loggedInAt?: number
}

// Declaration merging: adds `user` to express-session's SessionData, so req.session.user is typed.
declare module 'express-session' {
  interface SessionData {
    user: User
  }
}

export interface AppOptions {
  /** Signs the session cookie. An array rotates secrets: the first signs new cookies, all of them verify. */
  secret: string | string[]
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: session.Store
  /** How many proxies in front of the app may say how a request came in (Express's `trust proxy`). Default: none. */
  trustProxy?: number | boolean
  /** How long a login lasts, in milliseconds: the cookie's lifetime, and a limit the server enforces. */
  maxAge?: number
  /** The article's GET / (a login without a password) and GET /end (a logout by link). Off in production. */
  articleRoutes?: boolean
}

const cookieName = 'connect.sid' // express-session's default, named here so logout can clear it
const maxNameLength = 64 // a username is stored in every session: never let a client choose its size
const fourteenDays = 14 * 24 * 60 * 60 * 1000

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp({
  secret,
  store,
  trustProxy = false,
  maxAge = fourteenDays,
  articleRoutes = true,
}: AppOptions): Express {
  const app = express()
  app.disable('x-powered-by') // no need to tell every client which framework to look up exploits for
  // Behind a proxy that ends HTTPS, requests reach the app over plain HTTP. Trusting the proxy lets
  // req.secure read its X-Forwarded-Proto header; trusting none ignores a header anyone can send.
  app.set('trust proxy', trustProxy)

  // One set of options to set the cookie and to clear it.
  const cookie = {
    path: '/',
    httpOnly: true, // page scripts cannot read the session id
    secure: 'auto' as const, // Secure exactly when the request came over HTTPS (req.secure)
    sameSite: 'lax' as const, // not sent with other sites' background requests and form posts (CSRF)
    maxAge, // the cookie expires, and connect-mongo copies that date into the document's `expires`
  }
  // A browser ignores a Secure Set-Cookie that arrives over plain HTTP, so clear the cookie with
  // `secure` resolved the way express-session resolved 'auto' when it set it.
  const clearSessionCookie = (req: express.Request, res: express.Response) =>
    res.clearCookie(cookieName, { ...cookie, secure: req.secure })

  // Never touches a session: load balancers, uptime checks and the workshop's checks call it freely.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  app.use(
    session({
      name: cookieName,
      secret, // an array rotates: new cookies are signed with the first, old cookies still verify
      resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
      saveUninitialized: false, // no document and no cookie until the session holds something
      store, // MongoDB instead of process memory: sessions survive restarts and are shared
      cookie,
    }),
  )

  // The document's expiry slides forward on every request; only the login time kept in the session
  // ends a login for good. Without this, a copied cookie replayed in time never expires.
  app.use((req, _res, next) => {
    const since = req.session.user?.loggedInAt
    if (since === undefined || Date.now() - since < maxAge) return next()
    req.session.regenerate(next) // a fresh, empty session: logged out
  })

  if (articleRoutes) {
    // The article's test routes: a login without a password, and a logout any link can trigger.
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
        clearSessionCookie(req, res)
        res.send('Session is destroyed')
      })
    })
  }

  // Body parsers only where a body is expected: JSON (fetch, curl) and HTML forms.
  app.post('/login', express.json(), express.urlencoded({ extended: false }), (req, res, next) => {
    const { username } = (req.body ?? {}) as { username?: unknown }
    const name = typeof username === 'string' ? username.trim() : ''
    if (name === '' || name.length > maxNameLength) {
      const send = `Send a username of 1 to ${maxNameLength} characters: {"username":"ada"} as JSON, or username=ada from a form.`
      res.status(400).json({ error: send })
      return
    }
    // A real app checks the password here. Regenerate the session when signing in to prevent fixation.
    req.session.regenerate((error) => {
      if (error) return next(error)
      req.session.user = { uuid: randomUUID(), name, loggedInAt: Date.now() }
      req.session.save((error) => {
        if (error) return next(error)
        res.json(req.session.user)
      })
    })
  })

  // 🐨 1. GET /visits counts the visitor's requests in req.session.visits (declare it in SessionData)
  //    and answers { "visits": n }: 1 on the first visit, then 2, 3… Unlike GET /me, which only
  //    reads the session, it is an ordinary request that changes the session every time, as
  //    express-session's own example counts page views: task 2 and the race of tasks 4 and 5 need
  //    one.

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
      clearSessionCookie(req, res)
      res.status(204).end()
    })
  })

  app.use(jsonErrors)
  return app
}
