import { randomUUID } from 'node:crypto'
import express, { type ErrorRequestHandler, type Express } from 'express'
import session from 'express-session'
import { MongoNetworkError, MongoServerSelectionError } from 'mongodb'

/** Who is logged in. The article's GET / stores only a uuid; POST /login adds the name. */
export interface User {
  uuid: string
  name?: string
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
  /** Where sessions are kept; express-session falls back to a MemoryStore, lost on every restart. */
  store?: session.Store
  /** Express's `trust proxy`: how many proxies in front of the app may say how the request came in. Default: none. */
  trustProxy?: number | boolean
  /** How long a session lasts from login, in milliseconds: the cookie's lifetime and the document's `expires`. */
  maxAge?: number
}

const cookieName = 'connect.sid' // express-session's default, named so logout can clear it
const fourteenDays = 14 * 24 * 60 * 60 * 1000

// Builds the app without listening, so tests (and later steps) can use it as it is.
export function createApp({ secret, store, trustProxy = false, maxAge = fourteenDays }: AppOptions): Express {
  const app = express()
  // Behind a proxy that ends HTTPS, every request reaches the app over plain HTTP. Trusting the
  // proxy lets req.secure read its X-Forwarded-Proto header; trusting none ignores that header.
  app.set('trust proxy', trustProxy)

  // One set of options to set the cookie and to clear it: a browser deletes a cookie only when they match.
  const cookie = {
    path: '/',
    httpOnly: true, // page scripts cannot read the session id
    secure: 'auto' as const, // Secure exactly when the request came over HTTPS (req.secure)
    sameSite: 'lax' as const, // not sent with cross-site POSTs, forms or fetches: a defence against CSRF
    maxAge, // the cookie expires, and connect-mongo copies that date into the document's `expires`
  }

  // Never touches a session, so it answers even while MongoDB is down: the process is alive.
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

  /** Clears the session cookie with the attributes it was set with, `secure: 'auto'` resolved as express-session does. */
  const clearSessionCookie = (req: express.Request, res: express.Response) =>
    res.clearCookie(cookieName, { ...cookie, secure: req.secure })

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
      clearSessionCookie(req, res)
      res.send('Session is destroyed')
    })
  })

  app.post('/login', express.json(), express.urlencoded({ extended: false }), (req, res, next) => {
    const { username } = (req.body ?? {}) as { username?: unknown }
    if (typeof username !== 'string' || username.trim() === '') {
      res.status(400).json({ error: 'Send a username: {"username":"ada"} as JSON, or username=ada from a form.' })
      return
    }
    // A real app checks the password here. Regenerate the session when signing in to prevent fixation.
    req.session.regenerate((error) => {
      if (error) return next(error)
      req.session.user = { uuid: randomUUID(), name: username.trim() }
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
      clearSessionCookie(req, res)
      res.status(204).end()
    })
  })

  app.use(databaseUnavailable)
  return app
}

// MongoDB unreachable (down, restarting, network cut): answer 503 and a sentence instead of a 500
// and a stack trace. Nothing is cached: the next request asks MongoDB again, so the app recovers
// by itself when the database is back.
const databaseUnavailable: ErrorRequestHandler = (error, req, res, next) => {
  // express-session refreshes (touches) or saves the session after a route has answered. When that
  // write fails it still finishes the answer, then reports the error: the client has what it asked
  // for, and passing the error on would make Express cut the connection under it.
  if (res.writableEnded && isUnreachable(error)) return
  if (res.headersSent || !isUnreachable(error)) {
    next(error)
    return
  }
  // Drop this request's session: express-session would try to write it again when the 503 ends,
  // fail again, and Express would cut the connection under that second error.
  delete (req as { session?: unknown }).session
  res
    .status(503)
    .set('Retry-After', '5')
    .json({ error: 'Sessions are unavailable: the database does not answer. Try again in a few seconds.' })
}

/** The driver's "no server" and network errors, and the raw socket errors it sometimes lets through. */
function isUnreachable(error: unknown): boolean {
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) return true
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)
}
