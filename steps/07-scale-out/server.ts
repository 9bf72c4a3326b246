// The only file that listens. Run it with `npm run step 7`, or several copies of it behind a load
// balancer with `npm run step 7 -- --instances 3`.
import { createApp } from './app.js'
import { createMongoClient, createSessionStore } from './store.js'

/** One sentence and exit code 1: the process cannot start as it is configured. */
function refuse(sentence: string): never {
  console.error(`🚨 ${sentence}`)
  process.exit(1)
}

const production = process.env.NODE_ENV === 'production'
const port = Number(process.env.PORT ?? 4000)
const developmentSecret = 'SECRET KEY' // the article's; fine on your machine, never in production
const secret = process.env.SESSION_SECRET || developmentSecret
// Rotation: move the current secret here (comma-separated) and set a new SESSION_SECRET. Cookies
// signed with an old secret keep working until they expire; new cookies get the new secret.
const oldSecrets = (process.env.SESSION_OLD_SECRETS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
const encryptionSecret = process.env.SESSION_ENCRYPTION_KEY || undefined
const trustProxy = Number(process.env.TRUST_PROXY ?? 0) // how many proxies (HTTPS load balancers) sit in front
// A replica set: several members and the set's name, e.g. mongodb://h1:27021,h2:27022,h3:27023/test-app?replicaSet=rs0
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/test-app'
// 🐨 const instance = process.env.INSTANCE || hostname() (from 'node:os'): `npm run step 7 -- --instances 3`
//    sets a, b, c. It goes into a header: refuse() a name that is not letters, digits, '.', '-' or '_'.

if (production && secret === developmentSecret) {
  refuse(
    'NODE_ENV is production but SESSION_SECRET is not set: set it to a long random string, e.g. the output of `openssl rand -base64 32`.',
  )
}
if (!Number.isInteger(trustProxy) || trustProxy < 0) {
  refuse(`TRUST_PROXY must be the number of proxies in front of the app (0, 1, 2…), not "${process.env.TRUST_PROXY}".`)
}

const client = createMongoClient(mongoUrl)
// connect-mongo creates its TTL index as soon as the store exists, and a failure there would end
// the process with a stack trace: make sure MongoDB answers first, and say so if it does not.
try {
  await client.connect()
} catch (error) {
  refuse(
    `MongoDB did not answer at MONGO_URL (${(error as Error).message}): start it, or set MONGO_URL to one that runs.`,
  )
}
const store = createSessionStore(client, { encryptionSecret })
// Every instance needs the same secrets: a cookie signed by one must verify on all the others.
// 🐨 Pass the instance's name: createApp({ ..., instance }).
const app = createApp({ secret: [secret, ...oldSecrets], store, trustProxy })

// Express 5 passes listen errors (such as a port in use) to this callback.
const server = app.listen(port, (error) => {
  if (error) {
    console.error(
      `🚨 Cannot listen on port ${port} (${error.message}): stop the program using it, or pick another port with PORT=4001.`,
    )
    process.exit(1)
  }
  console.log(`App listening on port ${port}`) // 🐨 add (instance ${instance}): three instances print here
})

// Graceful shutdown, for Ctrl+C (SIGINT) and `kill` or a deploy (SIGTERM): stop taking new
// requests and let the open ones finish, then close the store and the client. Node then exits by
// itself, with code 0.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: finishing open requests, then closing MongoDB`)
    server.close(async () => {
      await store.close() // connect-mongo closes the client it was given…
      await client.close() // …and this says who owns it; closing twice is harmless
    })
    server.closeIdleConnections() // keep-alive connections with no request in flight
    // A request that never ends must not block a deploy forever.
    setTimeout(() => refuse('Requests were still open 10 s after the signal: exiting anyway.'), 10_000).unref()
  })
}
