// npm run hint N [-- --task K] [-- --all]: the next rung of hints for the task whose check fails
// first (or task K), from a nudge to the code; or every hint of the step.
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
  for (const line of nextHint(step, { all: values.all, task: parseTask(values.task, step.number) })) console.log(line)
})

function parseCommandLine() {
  try {
    return parseArgs({
      options: { all: { type: 'boolean', default: false }, task: { type: 'string' } },
      allowPositionals: true,
    })
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: the options are --task K and --all, as in \`npm run hint 3 -- --task 2\`.`,
    )
  }
}

function parseTask(value: string | undefined, step: number): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim())) {
    throw new UserError(
      `--task takes the number of a 🐨 task, not "${value}": for example \`npm run hint ${step} -- --task 2\`.`,
    )
  }
  return Number(value)
}
