import express, { type Express } from 'express'

// Builds the app without listening, so the checks (and later steps) can use it as it is.
export function createApp(): Express {
  const app = express()

  return app
}
