// Logging in and out: a new session at login (against session fixation), who is logged in, and
// a logout that ends the session and its cookie.
import { randomUUID } from 'node:crypto'
import express, { type RequestHandler, Router } from 'express'
import { clearSessionCookie } from './session.js'

/** A username is stored in every session: its size is the app's to choose, never the client's. */
const maxNameLength = 64

export function authRouter({ maxAge }: { maxAge: number }): Router {
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
      req.session.user = { uuid: randomUUID(), name, loggedInAt: Date.now() }
      req.session.cookie.maxAge = maxAge // a login keeps its session maxAge; an anonymous one, hours
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
      clearSessionCookie(req, res)
      res.status(204).end()
    })
  })

  return router
}

/**
 * Ends a login maxAge after it began. The session's expiry slides forward on every request, so
 * only the login time kept in the session ends it for good: a stolen cookie replayed in time
 * would otherwise never expire.
 */
export function endExpiredLogins(maxAge: number): RequestHandler {
  return (req, _res, next) => {
    const since = req.session?.user?.loggedInAt // no session at all for `OPTIONS *`
    if (since === undefined || Date.now() - since < maxAge) return next()
    req.session.regenerate(next) // a fresh, empty session: logged out
  }
}

/** The trimmed username of a login's body, or undefined when it is missing, empty, too long or not text. */
function usernameOf(body: unknown): string | undefined {
  const username = (body as { username?: unknown } | undefined)?.username
  const name = typeof username === 'string' ? username.trim() : ''
  return name !== '' && name.length <= maxNameLength ? name : undefined
}
