// Sessions: express-session's middleware, set up in one place.
import type { RequestHandler } from 'express'
import session, { type Store } from 'express-session'

// 🐨 1. Tell TypeScript what a session holds here: user, an object with a uuid string. Without it
//    `req.session.user` does not compile: express-session's SessionData knows only `cookie`, and
//    you add to it from this file by declaration merging (the lesson's "TypeScript must know what
//    a session holds").

// → task 3: cookieName, express-session's name for the cookie.

export interface SessionOptions {
  /** Signs the session cookie, so that a visitor cannot make up or guess a session id. */
  secret: string
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: Store
}

/** A session for every request that reaches it: req.session, found again by the connect.sid cookie. */
export function sessions({ secret, store }: SessionOptions): RequestHandler {
  return session({
    secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
    resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
    saveUninitialized: true, // every visitor gets a session at once, even one that holds nothing
    store, // MongoDB instead of process memory: sessions survive restarts and are shared
  })
}

// → task 3: clearSessionCookie(res), which tells the browser to drop the cookie.
