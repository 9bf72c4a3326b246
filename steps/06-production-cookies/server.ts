// Starts the app on the configured port and stops it cleanly. The only file that listens.
import type { Server } from 'node:http'
import type { Express } from 'express'
import { createApp } from './app.js'
import { readConfig } from './config.js'
import { createSessionStore } from './store.js'

export interface RunningServer {
  port: number
  /** Stops taking new connections, lets open requests finish, then closes the store. */
  close(): Promise<void>
}

/** Resolves once the server listens; rejects with one sentence when it cannot start. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const { port, secret, mongoUrl } = readConfig(env)
  const store = createSessionStore(mongoUrl)
  // Listen only once the store works: connected to MongoDB, its TTL index in place.
  await store.collectionP
  // → tasks 1, 4 and 6: createApp gets everything readConfig now reads: the new secret first, then
  //    the old ones (rotation), how many proxies to trust, and the article's routes everywhere but
  //    in production.
  const server = await listen(createApp({ secret, store }), port).catch(async (error: Error) => {
    await store.close()
    throw error
  })
  console.log(`App listening on port ${port}`)
  return {
    port,
    close: async () => {
      await new Promise((resolve) => server.close(resolve))
      // Its MongoDB connection pool would keep the process alive for ever.
      await store.close()
    },
  }
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
