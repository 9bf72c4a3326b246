import express, { type Express } from 'express'
import type { Store } from 'express-session'
import { articleRouter } from './article.js'
import { authRouter, endExpiredLogins } from './auth.js'
import { jsonErrors, notFound } from './errors.js'
import { sessions } from './session.js'
import { visitsRouter } from './visits.js'

export interface AppOptions {
  /** Signs the session cookie; an array rotates secrets (the first signs). */
  secret: string | string[]
  /** Where sessions are kept (in memory without one). */
  store?: Store
  /** How many proxies in front of the app may say how a request came in (Express's `trust proxy`). */
  trustProxy?: number | boolean
  /** How long a login lasts, in ms. */
  maxAge?: number
  /** The article's GET / (a login without a password) and GET /end (a logout by link): off unless asked for. */
  articleRoutes?: boolean
}

const fourteenDays = 14 * 24 * 60 * 60 * 1000

/** Builds the app without listening: server.ts listens, and tests call the app as it is. */
export function createApp({
  secret,
  store,
  trustProxy = false,
  maxAge = fourteenDays,
  articleRoutes = false,
}: AppOptions): Express {
  const app = express()
  app.disable('x-powered-by') // no need to tell every client which framework to look up exploits for
  // Behind a proxy that ends HTTPS, requests arrive over plain HTTP: trusting the proxy lets
  // req.secure read its X-Forwarded-Proto header. Trusting none ignores a header anyone can send.
  app.set('trust proxy', trustProxy)

  // Never touches a session: load balancers and uptime monitors call it as often as they like.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  // Every route after this line has a session (req.session); /health above needs none.
  app.use(sessions({ secret, store, maxAge }))
  app.use(endExpiredLogins(maxAge))
  if (articleRoutes) app.use(articleRouter())
  app.use(authRouter({ maxAge }))
  app.use(visitsRouter())

  // Last: what no route answered, then every error, as JSON.
  app.use(notFound)

  // → task 4: the 503 handler, before the JSON one.

  app.use(jsonErrors)

  return app
}
