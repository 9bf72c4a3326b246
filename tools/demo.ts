// npm run demo: the finished workshop server behind the session inspector, for the classroom.
// One page shows, live, the cookie the browser holds and the MongoDB document it points to.
import { parseArgs } from 'node:util'
import { runMain, UserError } from './lib/errors.js'
import { demoDatabase } from './lib/databases.js'
import { dropDatabase, resolveMongo } from './lib/mongo.js'
import { isPortFree, parsePort } from './lib/ports.js'
import { display, listSteps } from './lib/steps.js'
import { startDemo } from './inspector/demo.js'
import { sessionsCollection } from './inspector/reader.js'

runMain(async () => {
  // The page shows every session in the database: it is a classroom tool, never a production one.
  if (process.env.NODE_ENV === 'production') {
    throw new UserError(
      'The session inspector shows every session in the database, so it never runs with NODE_ENV=production: unset NODE_ENV for the classroom demo.',
    )
  }
  parseCommandLine()
  const step = listSteps().at(-1)
  if (!step?.usesMongo)
    throw new UserError(
      'The last step in solutions/ keeps no sessions in MongoDB: restore the folder with `git checkout -- solutions`.',
    )
  let port: number
  try {
    port = parsePort(process.env.PORT)
  } catch {
    throw new UserError(
      `PORT must be a whole number from 1 to 65535, not "${process.env.PORT}": run for example PORT=4001 npm run demo.`,
    )
  }
  if (!(await isPortFree(port))) {
    throw new UserError(
      `Port ${port} is already in use (\`npm run step\`, or another demo?): stop that program, or choose another port, e.g. PORT=4001 npm run demo.`,
    )
  }

  const mongo = await resolveMongo()
  // A database of the demo's own, emptied first: the room sees only the sessions of this demo.
  const { url: mongoUrl, database } = demoDatabase(mongo.url)
  await dropDatabase(mongoUrl)
  const demo = await startDemo({ step, port, mongoUrl }).catch(async (error: unknown) => {
    await mongo.stop()
    throw error
  })

  console.log(
    `\nSession inspector · step ${step.number} · ${step.title}  (${display(step.solutionDir)}, the finished server)`,
  )
  console.log(`  Inspector: ${demo.url}   ← open this on the projector`)
  console.log(
    `  App:       http://localhost:${port}/  (the same origin, passed on to the server on internal port ${demo.appPort})`,
  )
  console.log(
    `  MongoDB:   ${mongo.description}, database ${database} (the demo's own), collection ${sessionsCollection} (read only)`,
  )
  console.log('  Ctrl+C stops both.\n')

  return new Promise<number>((resolve) => {
    const finish = () => {
      void demo
        .stop()
        .then(() => mongo.stop())
        .then(() => resolve(0))
    }
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, finish)
  })
})

function parseCommandLine() {
  try {
    return parseArgs({ options: {}, allowPositionals: false })
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: \`npm run demo\` takes no options; PORT=4001 npm run demo changes its port.`,
    )
  }
}
