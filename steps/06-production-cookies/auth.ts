// Logging in and out: a new session at login (against session fixation), who is logged in, and
// a logout that ends the session and its cookie.
import { randomUUID } from 'node:crypto'
import express, { Router } from 'express'
import { clearSessionCookie } from './session.js'

/** A username is stored in every session: its size is the app's to choose, never the client's. */
const maxNameLength = 64

export function authRouter(): Router {
  const router = Router()

  // Body parsers on this route only, where a body is expected: JSON (fetch, curl) and HTML forms.
  router.post('/login', express.json(), express.urlencoded({ extended: false }), (req, res, next) => {
    const name = usernameOf(req.body)
    if (name === undefined) {
      res.status(400).json({ error: `Send a username of 1 to ${maxNameLength} characters, as JSON or from a form.` })
      return
    }
    // A real app checks the password here. Then a new session: an id someone planted or saw
    // before the login is thrown away, with its document.
    req.session.regenerate((error) => {
      if (error) return next(error)

      // → task 3: the user keeps the moment of the login.
      req.session.user = { uuid: randomUUID(), name }
      // Answer once the login is stored: a failed save is an error, not a login that is lost.
      req.session.save((error) => {
        if (error) return next(error)
        res.json(req.session.user)
      })
    })
  })

  router.get('/me', (req, res) => {
    if (!req.session.user) {
      res.status(401).json({ error: 'Not logged in: POST /login first.' })
      return
    }
    res.json(req.session.user)
  })

  router.post('/logout', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error)

      // → task 1: clearSessionCookie now needs the request too.
      clearSessionCookie(res)
      res.status(204).end()
    })
  })

  return router
}

// 🐨 3. Every request moves a session's expiry forward, so a copied cookie, replayed in time, never
//    expires (the lesson's "A login that really ends"). A login ends maxAge after it began,
//    however active the visitor is: the user keeps the moment of the login (`loggedInAt`, ms since
//    1970), and `endExpiredLogins(maxAge)`, a middleware auth.ts exports and app.ts uses right
//    after the session's, gives a request whose login is older a fresh, empty session.

/** The trimmed username of a login's body, or undefined when it is missing, empty, too long or not text. */
function usernameOf(body: unknown): string | undefined {
  const username = (body as { username?: unknown } | undefined)?.username
  const name = typeof username === 'string' ? username.trim() : ''
  return name !== '' && name.length <= maxNameLength ? name : undefined
}
