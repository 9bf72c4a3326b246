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

// 🐨 3. A login lasts maxAge from the moment it happened, however active the visitor is. At login,
//    keep that moment in the user as `loggedInAt` (a number: milliseconds since 1970), and let User
//    hold it (optional: the article's GET / stores no login time). What enforces the limit comes
//    after the session middleware, below.

export interface AppOptions {
  /** Signs the session cookie, so a visitor cannot pick someone else's session id. */
  // 🐨 4. Rotation: `secret` also takes several secrets (a string, or an array of strings), newest
  //    first, so a new secret logs nobody out: new cookies are signed with the first, and a cookie
  //    signed with any of them still works. server.ts passes the new one, then the old (task 6).
  secret: string
  // → task 1: `trustProxy?: number | boolean` (default false): how many proxies in front of the app
  //    may say how a request came in.
  // → task 2: `maxAge?: number` (milliseconds, default 14 days): how long a login lasts.
  // → task 6: `articleRoutes?: boolean` (default true): the article's GET / and GET /end.
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: session.Store
}

const cookieName = 'connect.sid' // express-session's default, named here so logout can clear it
const maxNameLength = 64 // a username is stored in every session: never let a client choose its size

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp({ secret, store }: AppOptions): Express {
  const app = express()
  // 🐨 1. Secure cookies behind a proxy. Behind an HTTPS proxy every request reaches the app over
  //    plain HTTP; only the proxy's X-Forwarded-Proto header says it came over HTTPS. Trust the
  //    proxy, as many hops as `trustProxy` says and none by default: anyone can send that header.
  //    The cookie must be Secure exactly when the request came over HTTPS, and never over plain
  //    HTTP (or your machine gets no cookie at all). Both logouts must clear it with the attributes
  //    it was set with, Secure as decided for this request, over HTTP too: a browser ignores a
  //    Secure Set-Cookie that arrives over plain HTTP, and the code that clears a cookie does not
  //    know express-session's per-request choice. (The lesson's "Secure cookies behind a proxy"
  //    says how; `npm run hint 6` if stuck.)
  // 🐨 6. Production is not a playground. No answer carries an X-Powered-By header: it names the
  //    framework to look up exploits for, and helps nobody else. The article's GET / (a login
  //    without a password) and GET /end (a logout any link can trigger) exist only when
  //    `articleRoutes` is true, and answer 404 otherwise; server.ts turns them off exactly when
  //    NODE_ENV is production.
  // One object to set the cookie and to clear it: a browser deletes a cookie only when its path
  // (and domain) match the one it holds.
  const cookie = { path: '/', httpOnly: true } // httpOnly: page scripts cannot read the session id

  // Never touches a session: load balancers, uptime checks and the workshop's checks call it freely.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  // 🐨 2. SameSite=Lax: the browser does not send the cookie with the requests other sites' pages
  //    make (fetch, images, form posts: cross-site request forgery), only when a visitor follows a
  //    link here. And one lifetime, `maxAge`: the Set-Cookie carries an Expires date maxAge ahead,
  //    and the session's document in MongoDB expires at that same moment.
  // → task 3: on every request, once the session is loaded and before any route, a session whose
  //    login is older than maxAge is over: the visitor gets a fresh, empty session, logged out (GET
  //    /me answers 401). express-session pushes the document's expiry forward on every request, so
  //    without this a copied cookie, replayed in time, would never expire.
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
