// Sessions: express-session's middleware, set up in one place.
import type { RequestHandler, Response } from 'express'
import session, { type Store } from 'express-session'

/** Who is logged in. The article's GET / stores only a uuid; POST /login adds the name. */
export interface User {
  uuid: string
  name?: string

  // → task 3: when the login happened.
}

// What a session holds, for TypeScript: this adds `user` to express-session's own SessionData
// (declaration merging), so req.session.user is typed everywhere, and a typo does not compile.
declare module 'express-session' {
  interface SessionData {
    user: User
  }
}

/** express-session's default name for the cookie, named here so that the cookie can be cleared. */
export const cookieName = 'connect.sid'

/** One set of cookie options, to set the cookie and to clear it: a browser drops a cookie only when they match. */

// → task 1: the cookie is Secure exactly when the request came over HTTPS.

// 🐨 2. The cookie is SameSite=Lax: other sites' background requests and form posts do not carry it
//    (cross-site request forgery). And it gets a lifetime: createApp's `maxAge`, in milliseconds,
//    14 days unless told otherwise, handed to `sessions()`. connect-mongo copies the cookie's
//    expiry into the document's `expires`, so the cookie and the document end together.
const cookie = { path: '/', httpOnly: true } // httpOnly: page scripts cannot read the session id

export interface SessionOptions {
  // → task 4: a list of secrets rotates them.

  /** Signs the session cookie, so that a visitor cannot make up or guess a session id. */
  secret: string
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: Store
}

/** A session for every request that reaches it: req.session, found again by the connect.sid cookie. */
export function sessions({ secret, store }: SessionOptions): RequestHandler {
  return session({
    name: cookieName,
    secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
    resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
    saveUninitialized: false, // no document and no cookie until the session holds something
    store, // MongoDB instead of process memory: sessions survive restarts and are shared
    cookie,
  })
}

/** Tells the browser to drop the session cookie: it does so only when name and path match. */
export function clearSessionCookie(res: Response): void {
  res.clearCookie(cookieName, cookie)
}
