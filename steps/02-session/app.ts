import express, { type Express } from 'express'

// 🐨 1. createApp takes its options: export an AppOptions interface with `secret: string` (it signs
//    the session cookie), and take createApp({ secret }: AppOptions). The app never reads the
//    environment: whoever builds it hands the secret in (server.ts, and the checks, their own).

/** Builds the app without listening: server.ts listens, and tests call the app as it is. */
export function createApp(): Express {
  const app = express()

  // Never touches a session: load balancers and uptime monitors call it as often as they like.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  // 🐨 3. Give every route a session with sessions({ secret }) from session.ts, added to the app after
  //    the health route and before any other: a middleware runs only for the routes registered
  //    after it, and /health needs no session.

  return app
}
