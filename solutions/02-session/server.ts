// The only file that listens. Run it with `npm run step 2`.
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 4000)
// A development default, like the article's 'SECRET KEY'. Set SESSION_SECRET anywhere real.
const secret = process.env.SESSION_SECRET ?? 'SECRET KEY'

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
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
  })
}
