// Sessions: express-session's middleware, set up in one place.
import type { RequestHandler, Response } from 'express'
import session, { type Store } from 'express-session'

// → task 3: a user may hold a `name` too: give it a type of its own.

// What a session holds, for TypeScript: this adds `user` to express-session's own SessionData
// (declaration merging), so req.session.user is typed everywhere, and a typo does not compile.
declare module 'express-session' {
  interface SessionData {
    user: { uuid: string }
  }
}

/** express-session's default name for the cookie, named here so that the cookie can be cleared. */
export const cookieName = 'connect.sid'

// 🐨 1. Two session settings change (the lesson's "No session until it holds something" and "One set
//    of cookie options"):
//    - no cookie and no document for a visitor whose session holds nothing (bots, health checks,
//      a first visit);
//    - one object of cookie options (Path=/, HttpOnly), written once and used both where the
//      sessions set the cookie, named cookieName, and where clearSessionCookie() clears it: a
//      browser drops a cookie only when they match.

export interface SessionOptions {
  /** Signs the session cookie, so that a visitor cannot make up or guess a session id. */
  secret: string
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: Store
}

/** A session for every request that reaches it: req.session, found again by the connect.sid cookie. */
export function sessions({ secret, store }: SessionOptions): RequestHandler {
  return session({
    // → task 1: name the cookie, hand it the cookie options, and store no session that holds nothing.

    secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
    resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
    saveUninitialized: true, // every visitor gets a session at once, even one that holds nothing
    store, // MongoDB instead of process memory: sessions survive restarts and are shared
  })
}

/** Tells the browser to drop the session cookie: it does so only when name and path match. */
export function clearSessionCookie(res: Response): void {
  // → task 1: clear the cookie with the same options object.
  res.clearCookie(cookieName, { path: '/' })
}
