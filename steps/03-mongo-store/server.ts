// The only file that listens. Run it with `npm run step 3`.
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 4000)
// A development default, like the article's 'SECRET KEY'. Set SESSION_SECRET anywhere real.
const secret = process.env.SESSION_SECRET ?? 'SECRET KEY'
// The article's database; `npm run step` sets MONGO_URL to the MongoDB it found.
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/test-app'

// 🐨 Build the store with createSessionStore(mongoUrl) from './store.js' and pass it to createApp().
// 💰 const store = createSessionStore(mongoUrl); const app = createApp({ secret, store })
console.log(`Sessions are kept in memory until you wire the store (MongoDB: ${mongoUrl.split('@').at(-1)})`)
const app = createApp({ secret })

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

// Ctrl+C (SIGINT) and `kill` or a container stop (SIGTERM): stop taking requests, then exit.
// 🐨 Close the store too (`void store.close()`): its MongoDB connection pool keeps the process alive.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
  })
}
