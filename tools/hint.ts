// npm run hint N [-- --all]: the step's next 💰 hint, or all of them.
import { parseArgs } from 'node:util'
import { runMain, UserError } from './lib/errors.js'
import { nextHint } from './lib/hint-view.js'
import { ensureStarters } from './lib/starters.js'
import { listSteps, parseStep } from './lib/steps.js'

runMain(async () => {
  const { values, positionals } = parseCommandLine()
  const steps = listSteps()
  const step = parseStep(positionals[0], steps, 'hint')
  ensureStarters(steps)
  for (const line of nextHint(step, values.all)) console.log(line)
})

function parseCommandLine() {
  try {
    return parseArgs({ options: { all: { type: 'boolean', default: false } }, allowPositionals: true })
  } catch (error) {
    throw new UserError(`${(error as Error).message}: the only option is --all, as in \`npm run hint 3 -- --all\`.`)
  }
}
