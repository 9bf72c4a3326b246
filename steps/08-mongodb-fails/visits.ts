// GET /visits counts the visitor's requests in the session: an ordinary request that changes the
// session, and so writes it, every time.
import { Router } from 'express'

export function visitsRouter(): Router {
  const router = Router()
  router.get('/visits', (req, res) => {
    req.session.visits = (req.session.visits ?? 0) + 1
    res.json({ visits: req.session.visits })
  })
  return router
}
