// npm run check N [-- --solution]: runs checks 1..N against steps/NN (or solutions/NN).
import { parseArgs } from 'node:util'
import { runMain, UserError } from './lib/errors.js'
import { runChecks } from './lib/run-checks.js'
import { ensureStarters } from './lib/starters.js'
import { display, folderOf, listSteps, parseStep } from './lib/steps.js'

runMain(async () => {
  const { values, positionals } = parseCommandLine()
  const steps = listSteps()
  const step = parseStep(positionals[0], steps, 'check')
  const dir = folderOf(step, values.solution)
  // Keeps a copy of every untouched starter, for `npm run reset` (see starters.ts).
  ensureStarters(steps)

  console.log(`Checking ${display(dir)} (${step.title}) with checks 1 to ${step.number}`)
  const [summary] = await runChecks([{ step, dir }], steps, { print: (line) => console.log(line) })

  const { passed, failed } = summary ?? { passed: 0, failed: 0 }
  if (failed === 0 && passed > 0) {
    const next = steps.find((candidate) => candidate.number === step.number + 1)
    console.log(`\n✅ ${passed} checks pass: step ${step.number} is done.${next ? ` Next: npm run step ${next.number}` : ' That was the last step.'}`)
    return 0
  }
  console.log(`\n❌ ${failed} of ${passed + failed} checks fail. Fix the first 🚨 above, save, and run npm run check ${step.number} again.`)
  return 1
})

function parseCommandLine() {
  try {
    return parseArgs({ options: { solution: { type: 'boolean', default: false } }, allowPositionals: true })
  } catch (error) {
    throw new UserError(`${(error as Error).message}: the only option is --solution, as in \`npm run check 3 -- --solution\`.`)
  }
}
