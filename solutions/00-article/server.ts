// Starts the app on the configured port and stops it cleanly. The only file that listens.
import { createApp } from './app.js'

// The article's server, in today's TypeScript: a fixed port, a listen error it does not see, and no
// clean way to stop. Replace it with the tasks above.
const app = createApp()
app.listen(4000, () => {
  console.log('App listening on port 4000')
})
