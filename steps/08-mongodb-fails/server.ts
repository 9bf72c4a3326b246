// Starts the app on the configured port and stops it cleanly. The only file that listens.
import { realpathSync } from 'node:fs'
import type { Server } from 'node:http'
import type { Express } from 'express'
import { createApp } from './app.js'
import { readConfig } from './config.js'
import { createSessionStore } from './store.js'

export interface RunningServer {
  port: number

  // → task 5: close takes graceMs.

  /** Stops taking new connections, lets open requests finish, then closes the store. */
  close(): Promise<void>
}

/** Resolves once the server listens; rejects with one sentence when it cannot start. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  // 🐨 3. connect-mongo creates its TTL index once, as soon as the store exists, and a store whose
  //    first index creation failed stays broken after MongoDB is back (the lesson's "Connect
  //    first"). So start() creates the client (with MONGO_TIMEOUT_MS) and connects it before
  //    anything else; when that fails, it rejects with one sentence that names MONGO_URL and says
  //    what to do. `createSessionStore(client, options)` in store.ts then takes that client instead
  //    of a URL.
  const { port, secret, oldSecrets, mongoUrl, production, trustProxy, encryptionKey } = readConfig(env)
  const store = createSessionStore(mongoUrl, { encryptionSecret: encryptionKey })
  // Listen only once the store works: connected to MongoDB, its TTL index in place.
  await store.collectionP
  // Every secret verifies, the current one signs; the article's test routes stay out of production.
  const app = createApp({ secret: [secret, ...oldSecrets], store, trustProxy, articleRoutes: !production })
  const server = await listen(app, port).catch(async (error: Error) => {
    await store.close() // its connections would keep the process alive
    throw error
  })
  console.log(`App listening on port ${port}`)
  return {
    port,
    // 🐨 5. A deploy stops the old process with a signal (the lesson's "Graceful shutdown"): close(graceMs)
    //    lets the open requests finish, but cuts those still open after graceMs (10 seconds unless told
    //    otherwise), so that one slow client never holds a deploy; then it closes the store, and the
    //    client.
    close: async () => {
      await new Promise((resolve) => server.close(resolve))
      await store.close() // after the server: requests still under way may need it
    },
  }
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
