// Starts the app on the configured port and stops it cleanly. The only file that listens.
import { realpathSync } from 'node:fs'
import type { Server } from 'node:http'
import type { Express } from 'express'
import type { MongoClient } from 'mongodb'
import { createApp } from './app.js'
import { readConfig } from './config.js'
import { createMongoClient, createSessionStore } from './store.js'

export interface RunningServer {
  port: number
  /**
   * Stops taking new connections, lets open requests finish (and cuts those still open after
   * graceMs), then closes the store and the client.
   */
  close(graceMs?: number): Promise<void>
}

/** Resolves once the server listens; rejects with one sentence when it cannot start. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const { port, secret, oldSecrets, mongoUrl, production, trustProxy, encryptionKey, mongoTimeoutMs } = readConfig(env)
  // Connect first: connect-mongo creates its TTL index once, as soon as the store exists, and a
  // store whose first index creation failed stays broken even after MongoDB comes back.
  let client: MongoClient
  try {
    client = createMongoClient(mongoUrl, mongoTimeoutMs)
    await client.connect()
  } catch (error) {
    throw new Error(
      `MongoDB at MONGO_URL cannot be used (${(error as Error).message}): start it, or set MONGO_URL to one that runs.`,
    )
  }
  const store = createSessionStore(client, { encryptionSecret: encryptionKey })
  await store.collectionP // listen only once the TTL index is in place

  // → task 2: hand createApp the instance's name, and listen on the host.

  // Every secret verifies, the current one signs; the article's test routes stay out of production.
  const app = createApp({ secret: [secret, ...oldSecrets], store, trustProxy, articleRoutes: !production })
  const server = await listen(app, port).catch(async (error: Error) => {
    await store.close() // connect-mongo closes the client it was given
    throw error
  })
  console.log(`App listening on port ${port}`)
  return {
    port,
    // Graceful: open requests finish first (Node closes idle keep-alive connections itself), but
    // one still open after graceMs is cut: a request that never ends must not block a deploy.
    close: async (graceMs = 10_000) => {
      const closed = new Promise((resolve) => server.close(resolve))
      const cut = setTimeout(() => server.closeAllConnections(), graceMs)
      await closed
      clearTimeout(cut)
      await store.close() // connect-mongo closes the client it was given…
      await client.close() // …and this says who owns it; closing twice is harmless
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
