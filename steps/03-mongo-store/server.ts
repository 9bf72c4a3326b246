// Starts the app on the configured port and stops it cleanly. The only file that listens.
import { realpathSync } from 'node:fs'
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
  // 🐨 4. Build the store with createSessionStore(mongoUrl) (store.ts) and hand it to createApp().
  //    Listen only once it works: connected to MongoDB, its TTL index in place; when MongoDB does
  //    not answer, start() rejects instead of listening. (The lesson's "Wait for the store, close
  //    the store" names what to wait for.)

  // → task 5: if listening fails, close the store before start() rejects.
  const { port, secret } = readConfig(env)
  const server = await listen(createApp({ secret }), port)
  console.log(`App listening on port ${port}`)

  // 🐨 5. close() closes the store too, after the server: its MongoDB connections would keep the process
  //    alive for ever. And if listening fails after the store was built, close the store before
  //    start() rejects.
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** app.listen() as a promise. Express 5 passes listen errors (such as a port in use) to its callback. */
function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error) => {
      if (error) return reject(cannotListen(port, error))
      resolve(server)
    })
  })
}

function cannotListen(port: number, error: Error): Error {
  const fix = 'stop the program using it, or pick another port with PORT=4001'
  return new Error(`Cannot listen on port ${port} (${error.message}): ${fix}.`)
}

// Run directly (`npm run step`, `npx tsx server.ts`), not imported: start, or say why not in one
// sentence. The real path of the file Node runs, since it may be started through a symbolic link.
if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) {
  const server = await start().catch((error: Error) => {
    console.error(`🚨 ${error.message}`)
    process.exit(1)
  })
  // Ctrl+C (SIGINT), and `kill` or a container stop (SIGTERM): finish the open requests, and the
  // process ends by itself. A second signal of the same kind ends it at once (Node's default).
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return
      stopping = true
      console.log(`${signal}: finishing open requests, then stopping`)
      void server.close()
    })
  }
}
