// Sessions: express-session's middleware, set up in one place.
import type { RequestHandler } from 'express'
import session from 'express-session'

export interface SessionOptions {
  /** Signs the session cookie, so that a visitor cannot make up or guess a session id. */
  secret: string

  // 🐨 2. sessions() takes a second, optional option, `store` (express-session's Store type), and hands
  //    it to express-session, so sessions go to that store; without one, express-session keeps them
  //    in process memory, and a restart loses them all. createApp() takes the same option and passes
  //    it on (app.ts).
}

/** A session for every request that reaches it: req.session, found again by the connect.sid cookie. */
export function sessions({ secret }: SessionOptions): RequestHandler {
  return session({
    secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
    resave: false, // don't write an unchanged session back on every request
    saveUninitialized: true, // every visitor gets a session at once, even one that holds nothing
  })
}
