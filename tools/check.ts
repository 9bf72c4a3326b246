// npm run check N [-- --solution]: runs checks 1..N against steps/NN (or solutions/NN).
import { parseArgs } from 'node:util'
import { runMain, UserError } from './lib/errors.js'
import { resolveMongo } from './lib/mongo.js'
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

  // Found here, before vitest starts, so "no MongoDB" is one sentence; the checks' global setup
  // then finds the same server through MONGO_URL. An embedded server lives until this command ends.
  const mongo = await resolveMongo()
  process.env.MONGO_URL = mongo.url
  console.log(`Checking ${display(dir)} (${step.title}) with checks 1 to ${step.number}`)
  console.log(`MongoDB: ${mongo.description}`)
  const [summary] = await runChecks([{ step, dir }], steps, { print: (line) => console.log(line) }).finally(() =>
    mongo.stop(),
  )

  const { passed, failed } = summary ?? { passed: 0, failed: 0 }
  if (failed === 0 && passed > 0) {
    const next = steps.find((candidate) => candidate.number === step.number + 1)
    console.log(
      `\n✅ ${passed} checks pass: step ${step.number} is done.${next ? ` Next: npm run step ${next.number}` : ' That was the last step.'}`,
    )
    return 0
  }
  if (passed + failed === 0)
    throw new UserError(
      `No check ran: test/${step.name}.test.ts and the checks before it should exist; restore them with \`git checkout -- test\`.`,
    )
  console.log(
    `\n❌ ${failed} of ${passed + failed} checks fail. Fix the first 🚨 above, save, and run npm run check ${step.number} again.`,
  )
  return 1
})

function parseCommandLine() {
  try {
    return parseArgs({ options: { solution: { type: 'boolean', default: false } }, allowPositionals: true })
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: the only option is --solution, as in \`npm run check 3 -- --solution\`.`,
    )
  }
}
