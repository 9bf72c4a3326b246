// Starts the app on the configured port and stops it cleanly. The only file that listens.
import { createApp } from './app.js'

// 🐨 3. Export start(env = process.env): read the settings with readConfig(env) (config.ts), listen
//    on the port, print `App listening on port <port>`, and resolve with { port, close() } once it
//    listens; close() stops the server and resolves when it has stopped. The checks start your
//    server this way, on ports of their choosing, several times in one run.

// 🐨 4. When listening fails (the port is taken), reject with one sentence that names the port and
//    says what to do. Express 5 passes that error to app.listen's callback: the article's callback
//    ignored it, and printed "App listening" for a server that was not listening.

// 🐨 5. Run directly (`npm run step 1`), and only then: await start(); when it rejects, print
//    `🚨 <its message>` and exit with code 1, no stack trace. On SIGINT (Ctrl+C) and SIGTERM (`kill`,
//    a container stop), close the server: open requests finish, then the process ends by itself.
//    (The checks import this file, so nothing may listen when it is only imported.)

// The article's server, in today's TypeScript: a fixed port, a listen error it does not see, and no
// clean way to stop. Replace it with the tasks above.
const app = createApp()
app.listen(4000, () => {
  console.log('App listening on port 4000')
})
