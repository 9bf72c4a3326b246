// Starts the app on the configured port and stops it cleanly. The only file that listens.
import { createApp } from './app.js'

// 🐨 3. Export start(env = process.env): read the settings with readConfig(env) (config.ts), listen
//    on the port, print `App listening on port <port>`, and resolve with { port, close() } once the
//    server listens; close() stops the server and resolves once it has stopped. The checks call
//    start() with settings of their own, on ports of their choosing, several times in one run.

// 🐨 4. When listening fails (the port is taken, say), start() rejects with one sentence that names
//    the port and says what to do. Express 5 hands that error to app.listen's callback: the
//    article's callback ignores it, and prints "App listening" for a server that is not listening.

// 🐨 5. Run directly (`npm run step 1`, `npx tsx server.ts`, even through a symbolic link), and only
//    then: await start(); when it rejects, print `🚨 <its message>` and exit with code 1, no stack
//    trace. On SIGINT (Ctrl+C) and SIGTERM (`kill`, a container stop), close the server, once even
//    when both signals come: open requests finish, then the process ends by itself. (The checks
//    import this file: nothing may listen when it is only imported.)

// The article's server, in today's TypeScript: a fixed port, a listen error it does not see, and no
// clean way to stop. Replace it with the tasks above.
const app = createApp()
app.listen(4000, () => {
  console.log('App listening on port 4000')
})
