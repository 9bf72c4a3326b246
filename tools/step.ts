// npm run step N [-- --solution] [-- --poll]: runs steps/NN/server.ts (or the solution's), restarting
// it on every save, with MongoDB found by the resolver (from step 03 on).
import { parseArgs } from 'node:util'
import { runMain, UserError } from './lib/errors.js'
import { databaseOf, defaultDatabase, resolveMongo, withDatabase, type ResolvedMongo } from './lib/mongo.js'
import { isPortFree, parsePort } from './lib/ports.js'
import { runServer } from './lib/server-runner.js'
import { ensureStarters } from './lib/starters.js'
import { display, folderOf, listSteps, parseStep } from './lib/steps.js'

runMain(async () => {
  const { values, positionals } = parseCommandLine()
  const steps = listSteps()
  const step = parseStep(positionals[0], steps, 'step')
  // Usually the first command a learner runs: keep the starters before any edit (npm run reset).
  ensureStarters(steps)
  const dir = folderOf(step, values.solution)
  const port = parsePort(process.env.PORT)
  if (!(await isPortFree(port))) {
    throw new UserError(`Port ${port} is already in use (another \`npm run step\`?): stop that program, or choose another port, e.g. PORT=4001 npm run step ${step.number}.`)
  }

  let mongo: ResolvedMongo | undefined
  const env: Record<string, string> = { PORT: String(port) }
  if (step.usesMongo) {
    mongo = await resolveMongo()
    env.MONGO_URL = databaseOf(mongo.url) ? mongo.url : withDatabase(mongo.url, defaultDatabase)
  }

  console.log(`\nStep ${step.number} · ${step.title}  (${display(dir)}${values.solution ? ', the finished solution' : ''})`)
  console.log(`  App:      http://localhost:${port}`)
  if (mongo && env.MONGO_URL) console.log(`  MongoDB:  ${mongo.description}, database ${databaseOf(env.MONGO_URL)}`)
  else console.log('  MongoDB:  not used yet (from step 3 on)')
  console.log(`  Check it: npm run check ${step.number}${values.solution ? ' -- --solution' : ''}`)
  console.log(`  Watching ${display(dir)}: save a file and the server restarts. Ctrl+C stops.\n`)

  return new Promise<number>((resolve) => {
    const runner = runServer({
      dir,
      env,
      poll: values.poll,
      onEvent: (event) => {
        if (event.type === 'restarting') console.log(`\n↻ ${display(event.file)} changed: restarting…`)
        if (event.type !== 'exited') return
        const how = event.code !== null ? `exit code ${event.code}` : `signal ${event.signal}`
        if (!event.listened && event.firstRun) {
          console.error(`\n🚨 The server in ${display(dir)} did not start (${how}): fix what it printed above, then run npm run step ${step.number} again.`)
          void finish(1)
        } else {
          console.error(`\n🚨 The server stopped (${how}). Fix what it printed above and save: it restarts by itself. Ctrl+C quits.`)
        }
      },
    })
    async function finish(code: number) {
      await runner.stop()
      await mongo?.stop()
      resolve(code)
    }
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void finish(0))
  })
})

function parseCommandLine() {
  try {
    return parseArgs({
      options: { solution: { type: 'boolean', default: false }, poll: { type: 'boolean', default: false } },
      allowPositionals: true,
    })
  } catch (error) {
    throw new UserError(`${(error as Error).message}: the options are --solution and --poll, as in \`npm run step 3 -- --solution\`.`)
  }
}
