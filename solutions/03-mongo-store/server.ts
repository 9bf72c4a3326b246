// The only file that listens. Run it with `npm run step 3`.
import { createApp } from './app.js'
import { createSessionStore } from './store.js'

const port = Number(process.env.PORT ?? 4000)
// A development default, like the article's 'SECRET KEY'. Set SESSION_SECRET anywhere real.
const secret = process.env.SESSION_SECRET ?? 'SECRET KEY'
// The article's database; `npm run step` sets MONGO_URL to the MongoDB it found.
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/test-app'

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
    server.close()
    void store.close()
  })
}
