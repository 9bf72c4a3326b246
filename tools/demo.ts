// npm run demo [-- --instances K]: the finished workshop server behind the session inspector, for
// the classroom. One page shows, live, the cookie the browser holds and the MongoDB document it
// points to; with --instances K, K servers answer in turn behind a round-robin balancer.
import { parseArgs } from 'node:util'
import { startDemo } from './inspector/demo.js'
import { sessionsCollection } from './inspector/reader.js'
import { demoDatabase } from './lib/databases.js'
import { runMain, UserError } from './lib/errors.js'
import { dropDatabase, resolveMongo } from './lib/mongo.js'
import { isPortFree, parsePort } from './lib/ports.js'
import { display, listSteps } from './lib/steps.js'

runMain(async () => {
  // The page shows every session in the database: it is a classroom tool, never a production one.
  if (process.env.NODE_ENV === 'production') {
    throw new UserError(
      'The session inspector shows every session in the database, so it never runs with NODE_ENV=production: unset NODE_ENV for the classroom demo.',
    )
  }
  const instances = parseInstances(parseCommandLine().values.instances)
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
  const demo = await startDemo({ step, port, mongoUrl, instances }).catch(async (error: unknown) => {
    await mongo.stop()
    throw error
  })

  console.log(
    `\nSession inspector · step ${step.number} · ${step.title}  (${display(step.solutionDir)}, the finished server)`,
  )
  console.log(`  Inspector: ${demo.url}   ← open this on the projector`)
  if (demo.balancerPort === null) {
    console.log(
      `  App:       http://localhost:${port}/  (the same origin, passed on to the server on internal port ${demo.appPorts[0]})`,
    )
  } else {
    console.log(
      `  App:       http://localhost:${port}/  (the same origin, passed on to a round-robin balancer on internal port ${demo.balancerPort})`,
    )
    for (const [i, appPort] of demo.appPorts.entries())
      console.log(`  instance ${String.fromCharCode(97 + i)} → http://127.0.0.1:${appPort}`)
  }
  console.log(
    `  MongoDB:   ${mongo.description}, database ${database} (the demo's own), collection ${sessionsCollection} (${demo.clearable ? "read, and emptied by the page's clear button" : 'read only'})`,
  )
  console.log(`  Ctrl+C stops ${demo.balancerPort === null ? 'both' : 'them all'}.\n`)

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
    return parseArgs({ options: { instances: { type: 'string' } }, allowPositionals: false })
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: \`npm run demo\` takes one option, --instances K (\`npm run demo -- --instances 3\`); PORT=4001 npm run demo changes its port.`,
    )
  }
}

/** --instances K: 1 to 9 copies of the server (named a, b, c, …), as `npm run step` takes. */
function parseInstances(value: string | undefined): number {
  if (value === undefined) return 1
  const count = Number(value)
  if (!/^\d+$/.test(value) || count < 1 || count > 9) {
    throw new UserError(
      `--instances takes a whole number from 1 to 9, not "${value}": for example \`npm run demo -- --instances 3\`.`,
    )
  }
  return count
}
