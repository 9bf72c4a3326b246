import express, { type Express } from 'express'
import session from 'express-session'

// → task 3: login stores a name too: a user may also hold a `name`.

// Tells TypeScript what this app keeps in a session (declaration merging: it adds to
// express-session's own SessionData, so req.session.user is typed everywhere).
declare module 'express-session' {
  interface SessionData {
    user: { uuid: string }
  }
}

export interface AppOptions {
  /** Signs the session cookie, so a visitor cannot pick someone else's session id. */
  secret: string
  /** Where sessions are kept; without one, express-session keeps them in memory, lost on every restart. */
  store?: session.Store
}

const cookieName = 'connect.sid' // express-session's default, named here so /end can clear it

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp({ secret, store }: AppOptions): Express {
  const app = express()

  // 🐨 1. Two session settings change (the lesson's "No session until it holds something" and
  //    "One set of cookie options"):
  //    - no cookie and no document for a visitor whose session holds nothing (bots, health
  //      checks, a first visit), and no cookie before consent;
  //    - one set of cookie options (Path=/, HttpOnly), written once and used both where the
  //      session sets the cookie and wherever the cookie is cleared: a browser deletes a cookie
  //      only when the path matches.

  // Never touches a session: load balancers, uptime checks and the workshop's checks call it freely.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  app.use(
    session({
      name: cookieName,
      secret, // signs the connect.sid cookie: never commit a real one, read it from the environment
      resave: false, // don't write an unchanged session back on every request (connect-mongo can `touch`)
      saveUninitialized: true, // as the article: store even empty sessions (step 05 turns this off)
      store, // MongoDB instead of process memory: sessions survive restarts and are shared
    }),
  )

  // The article's test route: a real app stores the user at login (step 05).
  app.get('/', (req, res, next) => {
    req.session.user = { uuid: '12234-2345-2323423' }
    req.session.save((error) => {
      // The article only logged the error, so the request hung until the client gave up.
      if (error) return next(error)
      res.send(req.session.user)
    })
  })

  app.get('/end', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error)
      // destroy() removes the document, not the browser's cookie: clear it, with the path it was set with.
      res.clearCookie(cookieName, { path: '/' })
      res.send('Session is destroyed')
    })
  })

  // 🐨 2. POST /login reads `username` from a JSON body or a form body (Express's two body
  //    parsers, on this route only: no other route reads a body). Text of 1 to 64 characters,
  //    trimmed, or else 400 with a JSON { error } that says what to send: the name is stored in
  //    every session, so its size is the app's to choose, never the client's.

  // 🐨 3. Then a new session, against fixation (the lesson's "Then regenerate"): a new id, so an id
  //    someone planted or saw before the login is thrown away, with its document. The new session
  //    holds the user { uuid, name }, a random uuid and the trimmed name, and the answer is that
  //    user as JSON, once it is stored. Errors go to Express's error handling.

  // 🐨 4. GET /me answers the logged-in user, or 401 with a JSON { error } when nobody is logged in.

  // 🐨 5. POST /logout destroys the session, clears the cookie with the options it was set with, and
  //    answers 204.

  // → task 6: last of all, after every route, add the JSON error handler you write in errors.ts.

  return app
}
