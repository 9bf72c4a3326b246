import express, { type Express } from 'express'
import session from 'express-session'

// 🐨 1. Tell TypeScript what a session holds here: user, an object with a uuid string. Without
//    it `req.session.user` does not compile: express-session's SessionData knows only `cookie`,
//    and you add to it from this file by declaration merging (the lesson's "TypeScript must know
//    what a session holds"; `npm run hint 4 -- --task 1` if stuck).

export interface AppOptions {
  /** Signs the session cookie, so a visitor cannot pick someone else's session id. */
  secret: string
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: session.Store
}

// 🐨 3. GET /end ends the session and answers 'Session is destroyed'. Ending it has two halves:
//    its document leaves MongoDB, and the browser is told to drop its connect.sid cookie, which
//    it does only when the path matches the one the cookie was set with. A failed end goes to
//    Express as well.

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

  // 🐨 2. The article's GET /: the session gets a user, { uuid: '12234-2345-2323423' }, and the
  //    answer is that user, sent only once the store really has it. When that write fails, hand
  //    the error to Express, which answers at once: the article only logged it, and the visitor
  //    waited until the browser gave up.

  return app
}
