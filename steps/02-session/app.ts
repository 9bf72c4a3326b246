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

  // 🐨 2. Give every visitor a session: app.use(session({ … })) from express-session, after the
  //    health route (it needs none), with
  //    - secret: the one createApp was given,
  //    - resave: false: an unchanged session is not written back on every request,
  //    - saveUninitialized: true: as the article, every visitor gets a session (step 05 says why
  //      false is better).

  return app
}
