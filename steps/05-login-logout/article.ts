// The article's two routes: GET / puts a user in the session without any login, GET /end ends
// the session. They show what a session does; they are not a way to log in.
import { Router } from 'express'
import { clearSessionCookie } from './session.js'

export function articleRouter(): Router {
  const router = Router()

  router.get('/', (req, res, next) => {
    req.session.user = { uuid: '12234-2345-2323423' }
    // Answer once the session is stored: a failed save reaches the error handling instead of
    // leaving the visitor waiting.
    req.session.save((error) => {
      if (error) return next(error)
      res.send(req.session.user)
    })
  })

  router.get('/end', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error)
      clearSessionCookie(res) // destroy() removes the document, not the browser's cookie
      res.send('Session is destroyed')
    })
  })

  return router
}
