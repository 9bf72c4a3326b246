import express, { type Express } from 'express'
import type { Store } from 'express-session'
import { articleRouter } from './article.js'
import { authRouter } from './auth.js'
import { jsonErrors, notFound } from './errors.js'
import { sessions } from './session.js'

export interface AppOptions {
  // 🐨 4. A new secret must not log everybody out (the lesson's "Secrets: rotation"). `secret` may be a
  //    list, in createApp's options and in `sessions()`'s: the first signs new cookies, all of them
  //    verify. config.ts reads the earlier secrets from SESSION_OLD_SECRETS, comma-separated, as
  //    `oldSecrets` (none when unset; spaces around a comma do not count).

  /** Signs the session cookie. */
  secret: string
  /** Where sessions are kept (in memory without one). */
  store?: Store

  // → task 1: how many proxies to trust.

  // → task 2: a lifetime, in ms, for the cookie and the document.

  // → task 6: the article's routes, only when asked for.
}

/** Builds the app without listening: server.ts listens, and tests call the app as it is. */
export function createApp({ secret, store }: AppOptions): Express {
  const app = express()

  // 🐨 1. Behind a proxy that ends HTTPS, requests reach the app over plain HTTP, and only a header of
  //    the proxy says how they came in (the lesson's "Secure cookies behind a proxy"). createApp
  //    takes `trustProxy`, how many proxies to believe (none by default: anyone can send that
  //    header), and hands it to Express. The cookie is then Secure exactly for the requests that
  //    came over HTTPS. Clearing it makes the same choice for each request:
  //    `clearSessionCookie(req, res)` in session.ts, called that way in article.ts and auth.ts.

  // → task 6: no X-Powered-By.

  // Never touches a session: load balancers and uptime monitors call it as often as they like.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  // Every route after this line has a session (req.session); /health above needs none.

  // → task 3: right after the session's middleware, end the logins older than maxAge.

  // 🐨 6. createApp is safe by default (the lesson's "Nothing extra in production"): it has the
  //    article's routes (a login without a password, a logout any link can trigger) only when asked,
  //    with `articleRoutes`, and no answer says X-Powered-By. server.ts hands createApp everything
  //    config.ts reads: every secret, the current one first; the proxies to trust; and the article's
  //    routes outside production only.
  app.use(sessions({ secret, store }))
  app.use(articleRouter())
  app.use(authRouter())

  // Last: what no route answered, then every error, as JSON.
  app.use(notFound)
  app.use(jsonErrors)

  return app
}
