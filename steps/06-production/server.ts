// The only file that listens. Run it with `npm run step 6`.
import { createApp } from './app.js'
import { createSessionStore } from './store.js'

const port = Number(process.env.PORT ?? 4000)
// A development default, like the article's 'SECRET KEY'. Set SESSION_SECRET anywhere real.
const secret = process.env.SESSION_SECRET ?? 'SECRET KEY'
// 🐨 With NODE_ENV=production and no SESSION_SECRET (or the default one), refuse to start: one 🚨
//    sentence with console.error, then process.exit(1).
// 🐨 Rotation: read old secrets from SESSION_OLD_SECRETS (comma-separated) and pass
//    [secret, ...oldSecrets] to createApp: the first signs, all verify.
// 🐨 TRUST_PROXY: the number of proxies in front of the app (default 0), passed as createApp({ trustProxy }).
// The article's database; `npm run step` sets MONGO_URL to the MongoDB it found.
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/test-app'

// 🐨 One client for the app: const client = createMongoClient(mongoUrl), then `await client.connect()`
//    in a try/catch that refuses to start with one 🚨 sentence when MongoDB does not answer
//    (connect-mongo would crash the process later, with a stack trace).
// 🐨 createSessionStore(client, { encryptionSecret: process.env.SESSION_ENCRYPTION_KEY || undefined })
const store = createSessionStore(mongoUrl)
const app = createApp({ secret, store })

// Express 5 passes listen errors (such as a port in use) to this callback.
const server = app.listen(port, (error) => {
  if (error) {
    console.error(
      `🚨 Cannot listen on port ${port} (${error.message}): stop the program using it, or pick another port with PORT=4001.`,
    )
    process.exit(1)
  }
  console.log(`App listening on port ${port}`)
})

// Ctrl+C (SIGINT) and `kill` or a container stop (SIGTERM): stop taking requests, then close
// MongoDB's connection pool. An open store keeps the process alive forever.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // 🐨 Close in order: the server (open requests finish), then the store, then the client.
    // 💰 server.close(async () => { await store.close(); await client.close() })
    server.close()
    void store.close()
  })
}
