// npm start [-- N] [-- --poll]: guided mode. Opens the step where you stopped (or the first one
// not done, or step N), checks it on every save, and moves on when it passes.
import { parseArgs } from 'node:util'
import { runMain, UserError } from './lib/errors.js'
import { GuidedSession, keysLine, startingStep } from './lib/guided.js'
import { listenForKeys } from './lib/keys.js'
import { type ResolvedMongo, resolveMongo } from './lib/mongo.js'
import { switchRunningStep } from './lib/outage.js'
import { continueLine, overall, stepLines } from './lib/progress-view.js'
import { ensureStarters } from './lib/starters.js'
import { knownStates } from './lib/status.js'
import { listSteps, parseStep } from './lib/steps.js'
import { WarmChecker } from './lib/warm-checker.js'

runMain(async () => {
  const { values, positionals } = parseCommandLine()
  const steps = listSteps()
  const asked = positionals[0] === undefined ? undefined : parseStep(positionals[0], steps, 'start --')
  ensureStarters(steps)
  const start = startingStep(steps, asked)
  if (!start) {
    const states = knownStates(steps)
    console.log(`Progress: ${overall(states)}`)
    for (const line of stepLines(states)) console.log(`  ${line}`)
    console.log(`\n${continueLine(states)} npm start -- N opens step N again.`)
    return 0
  }

  // MongoDB is looked for when the first step that keeps sessions in it is checked, not before.
  let mongo: Promise<ResolvedMongo> | undefined
  const mongoUrl = async () => {
    mongo ??= resolveMongo().then(
      (found) => {
        console.log(`MongoDB: ${found.description}.`)
        return found
      },
      (error: unknown) => {
        mongo = undefined // the next save looks again
        throw error
      },
    )
    return (await mongo).url
  }
  const checker = new WarmChecker(steps, mongoUrl)
  console.log('Sessions workshop, guided mode.')
  console.log(process.stdin.isTTY ? keysLine : `${keysLine} (keys from standard input; it ending quits)`)

  return new Promise<number>((resolve) => {
    const session = new GuidedSession(
      {
        steps,
        poll: values.poll,
        checker,
        toggleOutage: () => switchRunningStep(),
        onQuit: () => {
          keys.close()
          void checker
            .close()
            .then(async () => (await mongo?.catch(() => undefined))?.stop())
            .then(() => resolve(0))
        },
      },
      start.step,
    )
    const keys = listenForKeys(
      process.stdin,
      (key) => session.key(key),
      () => void session.quit(),
    )
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void session.quit())
    session.open(start.step, start.auto)
  })
})

function parseCommandLine() {
  try {
    return parseArgs({ options: { poll: { type: 'boolean', default: false } }, allowPositionals: true })
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: the only option is --poll, as in \`npm start -- --poll\` (npm start -- 3 opens step 3).`,
    )
  }
}
