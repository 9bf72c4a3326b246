// Sessions: express-session's middleware, set up in one place.
import type { RequestHandler } from 'express'
import session from 'express-session'

export interface SessionOptions {
  /** Signs the session cookie, so that a visitor cannot make up or guess a session id. */
  secret: string
}

/** A session for every request that reaches it: req.session, found again by the connect.sid cookie. */
export function sessions({ secret }: SessionOptions): RequestHandler {
  return session({
    secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
    resave: false, // don't write an unchanged session back on every request
    saveUninitialized: true, // every visitor gets a session at once, even one that holds nothing
  })
}
