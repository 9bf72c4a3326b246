import express, { type Express } from 'express'
import session from 'express-session'

// 🐨 1. Tell TypeScript what a session holds here: user, an object with a uuid string. express-session
//    types req.session as Session & Partial<SessionData>; add to SessionData by declaration merging
//    (declare module 'express-session' { … }), or `req.session.user` does not compile.

export interface AppOptions {
  /** Signs the session cookie, so a visitor cannot pick someone else's session id. */
  secret: string
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: session.Store
}

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp({ secret, store }: AppOptions): Express {
  const app = express()

  // Never touches a session: load balancers, uptime checks and the workshop's checks call it freely.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  app.use(
    session({
      secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
      resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
      saveUninitialized: true, // as the article: store even empty sessions (step 05 turns this off)
      store, // MongoDB instead of process memory: sessions survive restarts and are shared
    }),
  )

  // 🐨 2. The article's GET /: store a user, { uuid: '12234-2345-2323423' }, in the session, save it,
  //    and only then answer the user. When the save fails, pass the error to next(error): the
  //    article only logged it, and the visitor waited until the browser gave up.

  // 🐨 3. GET /end: destroy the session and answer 'Session is destroyed'. destroy() removes the
  //    document, not the browser's cookie: clear connect.sid too, with the path it was set with.
  //    A failed destroy goes to next(error) as well.

  return app
}
