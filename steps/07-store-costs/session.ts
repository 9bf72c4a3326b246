// Sessions: express-session's middleware, set up in one place.
import type { Request, RequestHandler, Response } from 'express'
import session, { type Store } from 'express-session'

/** Who is logged in. The article's GET / stores only a uuid; POST /login adds the name and the time. */
export interface User {
  uuid: string
  name?: string
  /** When the login happened (ms since 1970): a login lasts maxAge from then, however active. */
  loggedInAt?: number
}

// What a session holds, for TypeScript: this adds `user` to express-session's own SessionData
// (declaration merging), so req.session.user is typed everywhere, and a typo does not compile.
declare module 'express-session' {
  interface SessionData {
    user: User

    // → task 1: the number of requests, for GET /visits.
  }
}

/** express-session's default name for the cookie, named here so that the cookie can be cleared. */
export const cookieName = 'connect.sid'

/** One set of cookie options, to set the cookie and to clear it: a browser drops a cookie only when they match. */
const cookie = {
  path: '/',
  httpOnly: true, // page scripts cannot read the session id
  secure: 'auto' as const, // Secure exactly when the request came over HTTPS (req.secure)
  sameSite: 'lax' as const, // not sent with other sites' background requests and form posts (CSRF)
}

export interface SessionOptions {
  /** Signs the session cookie. An array rotates secrets: the first signs new cookies, all of them verify. */
  secret: string | string[]
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: Store
  /** How long a session lasts, in ms: the cookie's lifetime, which connect-mongo copies into `expires`. */
  maxAge: number
}

// 🐨 5. A visitor who never logs in (a bot, a passer-by) should not leave a document for 14 days: a
//    new session lasts 2 hours (or maxAge, when that is shorter), and a login lengthens its session
//    to maxAge. `authRouter({ maxAge })` learns maxAge from app.ts (the lesson's "Anonymous
//    sessions of hours").

/** A session for every request that reaches it: req.session, found again by the connect.sid cookie. */
export function sessions({ secret, store, maxAge }: SessionOptions): RequestHandler {
  return session({
    name: cookieName,
    secret, // an array rotates: new cookies are signed with the first secret, old ones still verify
    resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
    saveUninitialized: false, // no document and no cookie until the session holds something
    store, // MongoDB instead of process memory: sessions survive restarts and are shared
    cookie: { ...cookie, maxAge },
  })
}

/**
 * Tells the browser to drop the session cookie. A browser ignores a Secure Set-Cookie that arrives
 * over plain HTTP, so `secure` is resolved the way express-session resolved 'auto' when it set it.
 */
export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(cookieName, { ...cookie, secure: req.secure })
}
