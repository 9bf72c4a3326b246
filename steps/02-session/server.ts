// Starts the app on the configured port and stops it cleanly. The only file that listens.
import type { Server } from 'node:http'
import type { Express } from 'express'
import { createApp } from './app.js'
import { readConfig } from './config.js'

export interface RunningServer {
  port: number
  /** Stops taking new connections, lets open requests finish, then resolves. */
  close(): Promise<void>
}

/** Resolves once the server listens; rejects with one sentence when it cannot start. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  // 🐨 4. Hand the secret from readConfig(env) to createApp({ secret }).
  const { port } = readConfig(env)
  const server = await listen(createApp(), port)
  console.log(`App listening on port ${port}`)
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** app.listen() as a promise. Express 5 passes listen errors (such as a port in use) to its callback. */
function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error) => {
      const fix = 'stop the program using it, or pick another port with PORT=4001'
      if (error) reject(new Error(`Cannot listen on port ${port} (${error.message}): ${fix}.`))
      else resolve(server)
    })
  })
}

// Run directly (`npm run step`), not imported by a check: start, or say why not in one
// sentence; on Ctrl+C (SIGINT) or `kill` and container stops (SIGTERM), stop cleanly.
if (process.argv[1] === import.meta.filename) {
  const server = await start().catch((error: Error) => {
    console.error(`🚨 ${error.message}`)
    process.exit(1)
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close())
  }
}
