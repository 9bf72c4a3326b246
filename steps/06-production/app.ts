import { randomUUID } from 'node:crypto'
import express, { type Express } from 'express'
import session from 'express-session'

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
  /** Signs the session cookie, so a client cannot pick someone else's session id. */
  secret: string // 🐨 string | string[]: an array rotates secrets (the first signs, all verify)
  /** Where sessions are kept; express-session falls back to a MemoryStore, lost on every restart. */
  store?: session.Store
  // 🐨 trustProxy?: number | boolean — how many proxies may say how the request came in (default false)
  // 🐨 maxAge?: number — how long a session lasts from login, in milliseconds (default 14 days)
}

const cookieName = 'connect.sid' // express-session's default, named so logout can clear it
// One object to set the cookie and to clear it: a browser deletes a cookie only when they match.
// 🐨 Move it into createApp (it needs maxAge) and add secure: 'auto', sameSite: 'lax', maxAge.
// 💰 secure: 'auto' as const, sameSite: 'lax' as const  (as const: the literal types session() expects)
const cookie = { path: '/', httpOnly: true } // httpOnly: page scripts cannot read the session id

// Builds the app without listening, so tests (and later steps) can use it as it is.
export function createApp({ secret, store }: AppOptions): Express {
  const app = express()
  // 🐨 app.set('trust proxy', trustProxy): behind a proxy that ends HTTPS, req.secure then reads
  //    X-Forwarded-Proto from the proxy, and from nobody else.

  // A route that never touches a session: for load balancers, uptime checks and the workshop's checks.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  app.use(
    session({
      name: cookieName,
      secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
      resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
      saveUninitialized: false, // no document and no cookie until something is stored: bots and
      // anonymous visitors cost nothing, and no cookie is set before the visitor does something (consent laws)
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
      // 🐨 With secure: 'auto', clear with { ...cookie, secure: req.secure } (here and in /logout).
      res.clearCookie(cookieName, cookie)
      res.send('Session is destroyed')
    })
  })

  // Body parsers only where a body is expected: JSON (fetch, curl) and HTML forms.
  app.post('/login', express.json(), express.urlencoded({ extended: false }), (req, res, next) => {
    const { username } = (req.body ?? {}) as { username?: unknown }
    if (typeof username !== 'string' || username.trim() === '') {
      res.status(400).json({ error: 'Send a username: {"username":"ada"} as JSON, or username=ada from a form.' })
      return
    }
    // A real app checks the password here, before it touches the session.
    // Regenerate the session when signing in to prevent fixation: a session id that someone else
    // planted or saw before the login is thrown away, with its document.
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
      // destroy() removes the document, not the browser's cookie: clear it with the options it was set with.
      res.clearCookie(cookieName, cookie)
      res.status(204).end()
    })
  })

  // 🐨 Last, an error handler: when MongoDB is unreachable (MongoServerSelectionError,
  //    MongoNetworkError from 'mongodb', or a raw socket error with code ECONNRESET, ECONNREFUSED,
  //    EPIPE or ETIMEDOUT), answer 503 with a JSON { error }; pass every other error on with next(error).
  // 💰 app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => { ... })
  //    Check res.writableEnded first: express-session may report a failed refresh after the answer
  //    was sent (return, nothing to do); then res.headersSent: once the answer has started, only next(error) is left.
  //    Before answering 503, `delete req.session`, so express-session does not try to write it again.

  return app
}
