import express, { type Express } from 'express'

// 🐨 1. createApp takes its options: export an AppOptions interface with `secret: string` (it
//    signs the session cookie) and take createApp({ secret }: AppOptions). The checks call it so.

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp(): Express {
  const app = express()

  // Never touches a session: load balancers, uptime checks and the workshop's checks call it freely.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  // 🐨 2. Give every visitor a session, with express-session's middleware, after the health route
  //    (it needs none). Its settings, as the lesson's "What the options mean" explains them:
  //    - the cookie is signed with the secret createApp was given,
  //    - a session that did not change during a request is not written back on every request,
  //    - as in the article, every visitor gets a session, even one nothing was stored in (step 05
  //      says why that is a bad idea). `npm run hint 2 -- --task 2` if stuck.

  return app
}
