// Starts the app on the configured port and stops it cleanly. The only file that listens.
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
  const config = readConfig(env)
  const { port, secret, oldSecrets, mongoUrl, production, trustProxy, encryptionKey, mongoTimeoutMs } = config
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
  // → task 2 (described in config.ts): the app gets its instance name, the server listens on HOST
  //   when it is set, and the line that says where it listens names the instance.
  const app = createApp({ secret: [secret, ...oldSecrets], store, trustProxy, articleRoutes: !production })
  const server = await listen(app, port).catch(async (error: Error) => {
    await store.close()
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
    process.once(signal, () => {
      console.log(`${signal}: finishing open requests, then closing MongoDB`)
      void server.close()
    })
  }
}
