// The only file that listens. Run it with `npm run step 1`.
import { createApp } from './app.js'

// 🐨 Read the port from the environment: PORT when it is set, else 4000.
// 💰 const port = Number(process.env.PORT ?? 4000)
const port = 4000

const app = createApp()

// 🐨 Say which port you listen on, and handle a listen error (Express 5 passes it to this callback):
//    print one sentence with the fix and exit with code 1.
// 💰 app.listen(port, (error) => { if (error) { console.error(...); process.exit(1) } console.log(`App listening on port ${port}`) })
app.listen(port, () => {
  console.log('App listening on port 4000')
})

// 🐨 On SIGINT (Ctrl+C) and SIGTERM (kill, container stop), close the server so the process can exit.
// 💰 const server = app.listen(...); process.once('SIGTERM', () => { server.close() })
